"""The agent: mpscope's presence inside one process of the user's program.

It knows who this process is (role, name, start method), owns the event stream,
and adds the envelope (``v``, ``kind``, ``t``, ``pid``) to every event. The hooks
only call ``emit``; they never touch the stream.

Who a process is may only become clear after start-up (a spawned child learns
its name when its Process object arrives; a resource tracker when its ``main``
runs), so the ``hello`` can be deferred: events wait in the stream's queue
until ``announce`` opens it. ``finish`` announces with a fallback role at the
latest.

A plain ``Process`` child goes further and stays *quiet* (``stay_quiet``): its
parent has announced it (``process.started`` with ``quiet``), its exit status
comes from the parent, and it connects only when it first has an event of its
own to send. Connecting and saying hello in every child cost more than the
rest of a short child's life with mpscope (see ``docs/protocol.md``).
"""

import os
import sys
import time

from mpscope import PROTOCOL_VERSION, __version__
from mpscope import events as ev
from mpscope.bounded import clip
from mpscope.options import VIA_SIGNAL

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Protocol

    class EventStream(Protocol):
        """What the agent needs from a stream (``transport.Stream``, or the launcher's local one)."""

        def open(self, hello: Dict[str, Any]) -> None: ...

        def send(self, event: Dict[str, Any], urgent: bool = True) -> None: ...

        def flush(self, timeout: float) -> bool: ...

        def silence(self) -> None: ...

        def reset_after_fork(self) -> None: ...

#: Flush deadline at the end of a process: never delay an exit by more than this.
EXIT_FLUSH_TIMEOUT = 2.0

# How this process came to be; decides the fallback role and the start method.
ORIGIN_EXEC = "exec"  # a fresh interpreter (the program, or one it started)
ORIGIN_SPAWN = "spawn"  # multiprocessing spawn child (--multiprocessing-fork)
ORIGIN_MP_FORK = "mp-fork"  # forked by multiprocessing's fork start method
ORIGIN_FORKSERVER = "forkserver"  # forked by the forkserver
ORIGIN_FORK = "fork"  # a bare os.fork()

_FALLBACK_ROLE = {
    ORIGIN_EXEC: ev.ROLE_MAIN,
    ORIGIN_SPAWN: ev.ROLE_PROCESS,
    ORIGIN_MP_FORK: ev.ROLE_PROCESS,
    ORIGIN_FORKSERVER: ev.ROLE_PROCESS,
    ORIGIN_FORK: ev.ROLE_FORK,
}

_START_METHOD = {
    ORIGIN_SPAWN: ev.START_SPAWN,
    ORIGIN_MP_FORK: ev.START_FORK,
    ORIGIN_FORKSERVER: ev.START_FORKSERVER,
}


def python_version() -> str:
    major, minor, micro, level, serial = sys.version_info
    text = "%d.%d.%d" % (major, minor, micro)
    if level != "final":
        text += {"alpha": "a", "beta": "b", "candidate": "rc"}.get(level, level) + str(serial)
    return text


class Agent:
    def __init__(self, stream: "EventStream", origin: str = ORIGIN_EXEC, capture_args: bool = False) -> None:
        self.stream = stream
        self.origin = origin
        self.capture_args = capture_args
        #: The parsed MPSCOPE_OPTIONS (``options.Options``), or None for the defaults.
        self.options: "Optional[Any]" = None
        #: Called by ``finish`` before the last flush, to send what hooks still hold (folded counts).
        self.finishers: "List[Callable[[], None]]" = []
        self.announced = False
        self.muted = False
        self.ending = False  # see end_of_run
        self.role: "Optional[str]" = None
        #: A quiet child (see stay_quiet): the hello waits for its first event.
        self.quiet = False
        self._quiet_name: "Optional[str]" = None
        #: How this process answers a request for its stacks (``stacks.SignalDumps`` / ``RequestReplies``), or None.
        self.stacks: "Optional[Any]" = None
        # Taken now, not at hello time: a deferred hello may come after the parent
        # exited, when the process has been re-parented (ppid 1).
        self.ppid = os.getppid()

    # -- identity --------------------------------------------------------

    @property
    def start_method(self) -> "Optional[str]":
        return _START_METHOD.get(self.origin)

    def announce(self, role: "Optional[str]" = None, name: "Optional[str]" = None) -> None:
        """Say hello (once per process) and open the stream."""
        if self.announced or self.muted:
            return
        self.announced = True
        chosen = role or _FALLBACK_ROLE.get(self.origin) or ev.ROLE_MAIN
        self.role = chosen
        self.stream.open(self.hello(chosen, name))
        if self.stacks is not None:
            try:
                self.stacks.on_stream_open(self)
            except Exception:
                self.stacks = None

    def quiet_role(self, role: str) -> bool:
        """Whether a multiprocessing child of this role stays quiet (see ``stay_quiet``).

        Only plain Process children: workers, Manager servers and helpers are
        announced at once. A quiet child has no stream, so it can be asked for its
        stacks only by signal (POSIX), never by a request line on its stream
        (Windows). The parent (in ``process.started``) and the child ask this
        alike: they share the options and the platform.
        """
        if role != ev.ROLE_PROCESS:
            return False
        return self.stacks is None or getattr(self.stacks, "via", None) == VIA_SIGNAL

    def stay_quiet(self, role: str, name: "Optional[str]" = None) -> None:
        """Say hello only with the first event this process sends, if it ever sends one."""
        if self.announced or self.muted:
            return
        self.quiet = True
        self.role = role
        self._quiet_name = name

    def hello(self, role: str, name: "Optional[str]" = None) -> "Dict[str, Any]":
        """The hello event of this process, without the token (the stream adds it)."""
        hello = self.envelope(ev.HELLO)
        hello["ppid"] = self.ppid
        hello["role"] = role
        if self.start_method is not None:
            hello["start_method"] = self.start_method
        if name is not None:
            hello["name"] = clip(name, ev.MAX_NAME)
        hello["python"] = python_version()
        hello["executable"] = clip(sys.executable or "", ev.MAX_PATH)
        hello["argv"] = [clip(arg, ev.MAX_ARG) for arg in _argv()[: ev.MAX_ARGV_ITEMS]]
        try:
            hello["cwd"] = clip(os.getcwd(), ev.MAX_PATH)
        except OSError:
            pass
        hello["platform"] = sys.platform
        hello["runtime"] = __version__
        if self.stacks is not None:
            hello["stacks"] = self.stacks.describe()
        return hello

    def mute(self) -> None:
        """This process will say nothing (the launcher itself, a child about to exec)."""
        self.muted = True
        self.stream.silence()
        stacks, self.stacks = self.stacks, None
        stop = getattr(stacks, "stop", None)
        if stop is not None:
            try:
                stop()  # nobody will ask a silent process for its stacks
            except Exception:
                pass

    def after_fork_in_child(self, origin: str, parent_pid: "Optional[int]" = None) -> None:
        self.origin = origin
        self.announced = False
        self.ending = False
        self.role = None
        self.quiet = False
        self._quiet_name = None
        self.ppid = parent_pid if parent_pid else os.getppid()
        self.stream.reset_after_fork()

    # -- events ------------------------------------------------------------

    def envelope(self, kind: str) -> "Dict[str, Any]":
        return {"v": PROTOCOL_VERSION, "kind": kind, "t": time.time(), "pid": os.getpid()}

    def emit(self, kind: str, fields: "Dict[str, Any]", urgent: bool = True) -> None:
        if self.muted:
            return
        if self.quiet and not self.announced:
            self.announce(self.role, self._quiet_name)
        event = self.envelope(kind)
        event.update(fields)
        self.stream.send(event, urgent)
        if self.ending:
            self.stream.flush(EXIT_FLUSH_TIMEOUT)

    def report_error(self, where: str, message: str) -> None:
        self.emit(ev.RUNTIME_ERROR, {"where": clip(where, ev.MAX_WHERE), "message": clip(message, ev.MAX_ERROR_MESSAGE)})

    def flush(self, timeout: float = EXIT_FLUSH_TIMEOUT) -> bool:
        return self.stream.flush(timeout)

    def finish(self) -> None:
        """At the end of a process: announce if nobody did, send what is queued, close the stream.

        Closing explicitly keeps a socket left to the garbage collector from
        printing a ResourceWarning at exit (``-W default``, ``-X dev``, pytest).
        Multiprocessing has joined and reported every child by now (its atexit
        handler runs before ours).
        """
        if self.muted:
            return
        if not self.quiet:
            self.announce()
        self._run_finishers()  # a quiet process that has something to send says hello here
        self.flush()
        self.stream.silence()

    def end_of_run(self) -> None:
        """A multiprocessing child's own work is over and its exit record is sent; the stream stays open.

        Clean-up may still report after this point: from Python 3.13 a child
        terminates its daemonic children in atexit handlers that run after
        ``_bootstrap`` (fork: right before ``os._exit``), and their exit records
        come from here. From now on every event is written synchronously
        (bounded by the exit flush deadline), since the process may end at any
        moment; the stream closes at the interpreter's exit (spawn) or with
        the process (fork, forkserver: ``os._exit``, no garbage collection, no
        ResourceWarning).
        """
        if self.muted:
            return
        if not self.quiet:
            self.announce()
        self._run_finishers()
        self.ending = True
        self.flush()

    def _run_finishers(self) -> None:
        finishers, self.finishers = list(self.finishers), []
        for finisher in finishers:
            try:
                finisher()
            except Exception:
                pass


def _argv() -> "List[str]":
    argv = getattr(sys, "argv", None)
    if not isinstance(argv, list):
        return []
    return [arg if isinstance(arg, str) else str(arg) for arg in argv]


_current: "Optional[Agent]" = None


def current() -> "Optional[Agent]":
    """The agent of this process, or None when mpscope is not active here."""
    return _current


def set_current(agent: "Optional[Agent]") -> None:
    global _current
    _current = agent
