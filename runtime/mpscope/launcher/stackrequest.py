"""Asking every live process of the program for the stacks of all its threads (the collector's side).

Who is asked: only processes that said hello with a ``stacks`` field and whose
stream is still open (a closed stream means the process ended, and its pid may
already belong to someone else), and quiet children (no stream yet) whose
parent's ``process.started`` said how to ask and reported no exit, once their
dump file exists (they create it at their start). A process without hooks is
never signalled.

* ``via: signal`` (POSIX): send SIGURG to the pid, then read what faulthandler
  appended to the process's file in the collector's private directory. There
  is no end marker, so a dump counts as complete once it ends with a newline
  and the file stopped growing for ``SETTLE`` seconds. For Ctrl-\\ (SIGQUIT) the
  terminal already signalled the foreground process group: processes whose file
  grew are not asked again; the others (another process group, SIGQUIT not
  theirs to take) get SIGURG.
* ``via: request`` (Windows): write a ``request.stacks`` line on the process's
  stream and wait for its ``stacks`` event with the same id.

Each answer becomes a ``stacks`` event (reporter ``collector`` for dump files;
the process's own event for requests); a process that does not answer in time
gets one with an ``error``.
"""

import itertools
import os
import signal
import time

from mpscope import events as ev
from mpscope.jsonline import encode_line
from mpscope.stackdump import parse_dumps

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Tuple

    from mpscope.launcher.collector import Collector
    from mpscope.launcher.runmodel import ProcessRecord, RunModel

#: A dump is complete when its file did not grow for this long.
SETTLE = 0.2
#: How long a process has to answer.
ANSWER_TIMEOUT = 5.0
#: After Ctrl-\, how long the terminal's SIGQUIT has to show before SIGURG is sent.
SIGQUIT_GRACE = 0.5
POLL = 0.02

_request_numbers = itertools.count(1)


class _Pending:
    __slots__ = ("pid", "path", "offset", "size", "grew_at", "signalled", "quits")

    def __init__(self, pid: int, path: str, offset: int, quits: bool) -> None:
        self.quits = quits  # SIGQUIT makes it dump too
        self.pid = pid
        self.path = path
        self.offset = offset
        self.size = offset
        self.grew_at: "Optional[float]" = None
        self.signalled = False


class StackRequester:
    def __init__(self, collector: "Collector", model: "RunModel", emit: "Callable[[str, Dict[str, Any]], None]") -> None:
        self._collector = collector
        self._model = model
        self._emit = emit  # the launcher agent's emit: stacks events go to the model and --output
        self._read_to: "Dict[str, int]" = {}  # file -> offset read so far

    def _in_private_dir(self, path: "Any") -> bool:
        directory = self._collector.directory
        if not isinstance(path, str) or directory is None:
            return False
        real_dir = os.path.realpath(directory)
        return os.path.dirname(os.path.realpath(path)) == real_dir

    def request(self, reason: str, timeout: float = ANSWER_TIMEOUT) -> "List[Tuple[ProcessRecord, Dict[str, Any]]]":
        """Ask every running process; (record, stacks event) for each, in the order of the process tree.

        A process that cannot be asked (no hooks, a closed stream, no usable way
        to ask) gets an event with the reason instead of stacks: a hang report
        that leaves a process out hides where to look.
        """
        targets = self._collector.call_locked(self._model.running)
        by_signal: "List[_Pending]" = []
        by_request: "Dict[int, str]" = {}
        answers: "Dict[int, Dict[str, Any]]" = {}
        for record in targets:
            support = record.stacks_support or {}
            problem = None
            if not record.said_hello and not record.quiet:
                problem = "cannot be asked: it runs without mpscope's hooks (or has not said hello yet)"
            elif record.stream_closed:
                problem = "cannot be asked: its stream closed without an exit record (it may be gone)"
            elif support.get("via") == "signal" and os.name == "posix":
                path = support.get("file")
                if not self._in_private_dir(path):
                    problem = "cannot be asked: its dump file is not in this run's directory"
                else:
                    offset = self._read_to.get(path, 0)
                    try:
                        if os.path.getsize(path) < offset:
                            offset = 0  # a new process with a reused pid started the file again
                        by_signal.append(_Pending(record.pid, path, offset, support.get("sigquit") is True))
                    except OSError as exc:
                        problem = "cannot be asked: its dump file is gone (%s)" % exc.strerror
            elif support.get("via") == "request":
                request_id = "%d-%d" % (os.getpid(), next(_request_numbers))
                line = encode_line({"kind": ev.REQUEST_STACKS, "id": request_id})
                if self._collector.send_line(record.pid, line):
                    by_request[record.pid] = request_id
                else:
                    problem = "cannot be asked: its stream is closed"
            else:
                problem = "cannot be asked: it offered no way to ask for its stacks"
            if problem is not None:
                fields = {"reporter": ev.REPORTER_COLLECTOR, "child_pid": record.pid, "reason": reason,
                          "threads": [], "error": problem}
                self._emit(ev.STACKS, fields)
                answers[record.pid] = dict(fields, pid=os.getpid())
        answers.update(self._collect_dumps(by_signal, reason, timeout))
        answers.update(self._collect_replies(by_request, timeout))
        return [(record, answers[record.pid]) for record in targets if record.pid in answers]

    # -- signal path -----------------------------------------------------------

    def _collect_dumps(self, pending: "List[_Pending]", reason: str, timeout: float) -> "Dict[int, Dict[str, Any]]":
        if not pending:
            return {}
        started = time.monotonic()
        for item in pending:
            if reason != ev.REASON_SIGQUIT or not item.quits:
                self._signal(item)
        waiting = list(pending)
        finished: "List[_Pending]" = []
        while waiting:
            now = time.monotonic()
            for item in list(waiting):
                try:
                    size = os.path.getsize(item.path)
                except OSError:
                    size = item.size
                if size != item.size:
                    item.size, item.grew_at = size, now
                if not item.signalled and item.grew_at is None and now - started >= SIGQUIT_GRACE:
                    self._signal(item)  # Ctrl-\ did not reach it: ask directly
                if item.grew_at is not None and now - item.grew_at >= SETTLE and self._ends_with_newline(item):
                    waiting.remove(item)
                    finished.append(item)
            if now - started >= timeout:
                break
            time.sleep(POLL)
        answers: "Dict[int, Dict[str, Any]]" = {}
        for item in pending:
            text = self._read(item)
            dumps = parse_dumps(text)
            fields: "Dict[str, Any]" = {"reporter": ev.REPORTER_COLLECTOR, "child_pid": item.pid, "reason": reason}
            if dumps:
                fields.update(dumps[-1])
            else:
                fields["threads"] = []
                fields["error"] = "no answer within %.1f s" % timeout
            self._emit(ev.STACKS, fields)
            answers[item.pid] = dict(fields, pid=os.getpid())
        return answers

    def _signal(self, item: _Pending) -> None:
        item.signalled = True
        try:
            os.kill(item.pid, getattr(signal, "SIGURG"))
        except OSError:
            pass

    def _ends_with_newline(self, item: _Pending) -> bool:
        try:
            with open(item.path, "rb") as handle:
                handle.seek(max(item.size - 1, 0))
                return handle.read(1) == b"\n"
        except OSError:
            return False

    def _read(self, item: _Pending) -> str:
        try:
            with open(item.path, "rb") as handle:
                handle.seek(item.offset)
                data = handle.read(item.size - item.offset if item.size > item.offset else -1)
        except OSError:
            return ""
        end = data.rfind(b"\n") + 1  # keep an unfinished line for next time
        self._read_to[item.path] = item.offset + end
        return data[:end].decode("ascii", "replace")

    # -- request path -------------------------------------------------------------

    def _collect_replies(self, requests: "Dict[int, str]", timeout: float) -> "Dict[int, Dict[str, Any]]":
        if not requests:
            return {}

        def answered() -> "Dict[int, Dict[str, Any]]":
            found = {}
            for pid, request_id in requests.items():
                record = self._model.processes.get(pid)
                for event in reversed(record.stacks if record is not None else []):
                    if event.get("request") == request_id:
                        found[pid] = event
                        break
            return found

        self._collector.wait_for(lambda: len(answered()) == len(requests), timeout)
        found = self._collector.call_locked(answered)
        for pid, request_id in requests.items():
            if pid not in found:
                fields = {"reporter": ev.REPORTER_COLLECTOR, "child_pid": pid, "request": request_id,
                          "reason": ev.REASON_REQUEST, "threads": [], "error": "no answer within %.1f s" % timeout}
                self._emit(ev.STACKS, fields)
                found[pid] = dict(fields, pid=os.getpid())
        return found
