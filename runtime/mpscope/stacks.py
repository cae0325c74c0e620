"""Hang diagnosis inside a process: how it answers "show me the stacks of all your threads".

There is no background thread (see transport.py), and a hung process may be
blocked in C (a deadlocked lock, a queue ``get``, ``time.sleep``) where no Python
code of ours could run. So on POSIX the answer is written by C code:
``faulthandler.register(SIGURG, fd, all_threads=True, chain=False)``. When the
collector sends SIGURG to a pid that said hello, CPython's signal handler writes
every thread's stack (innermost frame first) to this process's file in the
collector's private directory, whatever the threads are doing; the collector
reads and parses it (``stackdump.py``). Why this shape:

* SIGURG is ignored by default, so a request can never kill anything: not a
  process whose program later reset the handler, nor (should a pid be reused)
  a stranger. Terminals never send it (SIGWINCH, the other ignored-by-default
  signal, comes with every window resize).
* ``faulthandler`` installs its handler with ``sigaction`` behind the ``signal``
  module's back: ``signal.getsignal(SIGURG)`` still answers ``SIG_DFL``, and a
  program that installs its own handler simply replaces ours.
* A signal whose disposition is not the default at start-up (``SIG_IGN``
  inherited from a shell, or a handler) is left alone: registering would change
  what the program and the programs it executes see.
* Optionally SIGQUIT too (``stacks_on_sigquit``, set by the terminal launcher):
  Ctrl-\\ reaches the whole foreground process group, and every hooked process
  dumps instead of dying.
* A forked child inherits the registration but must not write into its parent's
  file: it registers a file of its own (before closing the inherited
  descriptor, so no dump can go to a reused descriptor number).

Known limit: the file descriptor is an ordinary one. A program that closes
every descriptor it did not open (``os.closerange``, as some daemonizing code
does) and then opens files may get that number back; a later request would
then write a dump into that file. Requests come only from the user.

On Windows (no such signals, no fork) a process answers ``request.stacks`` lines
that the collector writes on its stream, from a reader thread started when the
stream opens (``_thread``, so ``threading.active_count()`` does not change); the
answer is a ``stacks`` event built from ``sys._current_frames()``, with thread
names. ``stacks_via: "request"`` selects that path on POSIX too (tests).
"""

import os
import sys

from mpscope import events as ev
from mpscope.bounded import clip
from mpscope.options import VIA_REQUEST, VIA_SIGNAL

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import FrameType
    from typing import Any, Dict, List, Optional

    from mpscope.options import Options

#: The request signal (POSIX).
REQUEST_SIGNAL = "SIGURG"
QUIT_SIGNAL = "SIGQUIT"

# faulthandler's own limits, kept by the request path too.
MAX_FRAMES = 100
MAX_THREADS = 100


def dump_file_prefix(directory: str) -> str:
    """Every dump file of the run is this prefix, the process's pid and ``.txt``."""
    return os.path.join(directory, "stacks-")


def dump_file_name(directory: str, pid: int) -> str:
    return "%s%d.txt" % (dump_file_prefix(directory), pid)


def _signal_module() -> "Any":
    # _signal, not signal: the latter imports enum, several milliseconds at every process start.
    import _signal  # type: ignore[import]

    return _signal


def _default_disposition(signum: int) -> bool:
    _signal = _signal_module()
    try:
        return bool(_signal.getsignal(signum) == _signal.SIG_DFL)
    except (ValueError, OSError):
        return False


class SignalDumps:
    """The POSIX path: faulthandler writes into ``<stacks_dir>/stacks-<pid>.txt`` on SIGURG (and SIGQUIT)."""

    via = VIA_SIGNAL

    def __init__(self, directory: str, on_sigquit: bool) -> None:
        self.directory = directory
        self._child_prefix = dump_file_prefix(directory)  # joined once: describe_child runs while a child lives
        self.path: "Optional[str]" = None
        self.fd = -1
        self.signals: "List[int]" = []
        _signal = _signal_module()
        wanted = [REQUEST_SIGNAL] + ([QUIT_SIGNAL] if on_sigquit else [])
        for name in wanted:
            number = getattr(_signal, name, None)
            if number is not None and _default_disposition(number):
                self.signals.append(number)
        self.quit = on_sigquit and getattr(_signal, QUIT_SIGNAL, None) in self.signals

    def start(self) -> bool:
        """Open this process's file and register the handlers; False when nothing could be set up."""
        _signal = _signal_module()
        if getattr(_signal, REQUEST_SIGNAL, None) not in self.signals:
            return False  # the request signal is not ours to take: no dumps at all
        return self._register(os.getpid())

    def _register(self, pid: int) -> bool:
        import faulthandler

        path = dump_file_name(self.directory, pid)
        flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags, 0o600)
        try:
            for number in self.signals:
                faulthandler.register(number, fd, all_threads=True, chain=False)
        except Exception:
            os.close(fd)
            raise
        old, self.fd, self.path = self.fd, fd, path
        if old >= 0:
            try:
                os.close(old)
            except OSError:
                pass
        return True

    def after_fork(self) -> bool:
        """In a forked child: a file of its own (the registration itself is inherited)."""
        if self.fd < 0:
            return False
        try:
            return self._register(os.getpid())
        except Exception:
            self.stop()  # never write into the parent's file
            raise

    def stop(self) -> None:
        """Give the signals back (their handlers before ours: the defaults) and close the file."""
        import faulthandler

        for number in self.signals:
            try:
                faulthandler.unregister(number)
            except Exception:
                pass
        if self.fd >= 0:
            try:
                os.close(self.fd)
            except OSError:
                pass
        self.fd = -1

    def describe(self) -> "Dict[str, Any]":
        return self._described(self.path or "")

    def describe_child(self, pid: int) -> "Dict[str, Any]":
        """How a quiet child will be asked: the file it registers at its start (it may fail to)."""
        return self._described("%s%d.txt" % (self._child_prefix, pid))

    def _described(self, path: str) -> "Dict[str, Any]":
        return {"via": VIA_SIGNAL, "signal": REQUEST_SIGNAL, "file": clip(path, ev.MAX_PATH), "sigquit": bool(self.quit)}

    def on_stream_open(self, agent: "Any") -> None:
        pass


class RequestReplies:
    """The request path: a reader thread answers ``request.stacks`` lines with a ``stacks`` event."""

    via = VIA_REQUEST

    def __init__(self) -> None:
        self._reading: "Optional[Any]" = None  # the socket the current reader thread reads

    def start(self) -> bool:
        return True

    def after_fork(self) -> bool:
        self._reading = None  # the reader thread did not survive the fork
        return True

    def describe(self) -> "Dict[str, Any]":
        return {"via": VIA_REQUEST}

    def on_stream_open(self, agent: "Any") -> None:
        sock = getattr(agent.stream, "_sock", None)
        if sock is None or sock is self._reading:
            return
        # Everything the thread needs is imported here, by the thread that opens the
        # stream: an import in the new thread could hold an import lock at the
        # moment another thread forks, and the child would wait for it forever.
        import _thread
        import json
        import select

        self._reading = sock
        _thread.start_new_thread(_read_requests, (agent, sock, select.select, json.loads))


def _read_requests(agent: "Any", sock: "Any", select: "Any", loads: "Any") -> None:
    """Reader thread: one JSON request per line; ends when the stream closes."""
    buffer = b""
    try:
        while True:
            select([sock], [], [])
            try:
                data = sock.recv(65536)
            except (BlockingIOError, InterruptedError):
                continue
            if not data:
                return
            buffer += data
            if len(buffer) > (1 << 20):
                return  # a collector that sends nonsense: stop listening
            while b"\n" in buffer:
                line, buffer = buffer.split(b"\n", 1)
                answer_request(agent, line, loads)
    except Exception:
        return


def answer_request(agent: "Any", line: bytes, loads: "Any") -> bool:
    """Handle one request line; True when it was a stacks request that got an answer."""
    try:
        request = loads(line.decode("utf-8"))
    except ValueError:
        return False
    if not isinstance(request, dict) or request.get("kind") != ev.REQUEST_STACKS:
        return False
    fields: "Dict[str, Any]" = {"reporter": ev.REPORTER_SELF, "reason": ev.REASON_REQUEST}
    request_id = request.get("id")
    if isinstance(request_id, str):
        fields["request"] = clip(request_id, ev.MAX_SHORT)
    fields.update(snapshot(skip_ident=_current_ident()))
    agent.emit(ev.STACKS, fields)
    return True


def _current_ident() -> int:
    import _thread

    return _thread.get_ident()


def snapshot(skip_ident: "Optional[int]" = None) -> "Dict[str, Any]":
    """``threads`` (and ``threads_truncated``) of this process, innermost frame first, like faulthandler's dumps."""
    frames = sys._current_frames()
    threading = sys.modules.get("threading")
    names: "Dict[int, str]" = {}
    main_ident: "Optional[int]" = None
    if threading is not None:
        try:
            for known in list(getattr(threading, "_active", {}).values()):
                if known.ident is not None:
                    names[known.ident] = str(known.name)
            main_ident = threading.main_thread().ident
        except Exception:
            pass
    threads: "List[Dict[str, Any]]" = []
    idents = sorted(frames, key=lambda ident: ident != main_ident)  # the main thread first, as a reader expects
    truncated = False
    for ident in idents:
        if ident == skip_ident:
            continue  # the reader thread itself: mpscope's, not the program's
        if len(threads) >= MAX_THREADS:
            truncated = True
            break
        thread: "Dict[str, Any]" = {"ident": ident, "frames": []}
        if ident in names:
            thread["name"] = clip(names[ident], ev.MAX_NAME)
        if ident == main_ident:
            thread["main"] = True
        frame: "Optional[FrameType]" = frames[ident]
        while frame is not None:
            if len(thread["frames"]) >= MAX_FRAMES:
                thread["frames_truncated"] = True
                break
            code = frame.f_code
            thread["frames"].append({"file": clip(code.co_filename, ev.MAX_PATH), "line": frame.f_lineno,
                                     "function": clip(code.co_name, ev.MAX_NAME)})
            frame = frame.f_back
        threads.append(thread)
    result: "Dict[str, Any]" = {"threads": threads}
    if truncated:
        result["threads_truncated"] = True
    return result


def setup(options: "Options") -> "Optional[Any]":
    """The stack-dump support this process's options ask for, started; None when off or impossible."""
    via = options.stacks_via or (VIA_REQUEST if sys.platform == "win32" else VIA_SIGNAL)
    dumps: "Any"
    if via == VIA_SIGNAL:
        if options.stacks_dir is None or sys.platform == "win32":
            return None
        dumps = SignalDumps(options.stacks_dir, options.stacks_on_sigquit)
    else:
        if options.stacks_dir is None and options.stacks_via != VIA_REQUEST:
            return None
        dumps = RequestReplies()
    try:
        return dumps if dumps.start() else None
    except Exception:
        return None


def after_fork(dumps: "Optional[Any]") -> "Optional[Any]":
    """The child's stack-dump support after a fork (None when it could not be set up)."""
    if dumps is None:
        return None
    try:
        return dumps if dumps.after_fork() else None
    except Exception:
        return None
