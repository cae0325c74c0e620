"""When a blocking call ends, observed without wrapping it.

A hook that sees a wait begin (a lookup of ``lock.acquire`` on a lock that is
taken, a ``with lock:`` on such a lock, a ``recv`` on an empty pipe) still has to
learn when the wait ends. A wrapper around the blocking call would add a frame
to every traceback through it (Ctrl-C in a deadlock, ``BrokenPipeError``), so
instead this module asks the interpreter to say when one particular call
returns, and stops listening right after:

* CPython 3.8–3.11: ``sys.setprofile`` on the waiting thread only (profile
  functions are per thread), removed by the event that ends the wait. Profile
  events see C calls (``c_return``/``c_exception``) and Python returns.
* CPython 3.12+: ``sys.monitoring`` under a tool id of its own, with *local*
  events on the one code object concerned (``CALL`` for the ``C_RETURN`` /
  ``C_RAISE`` of a C call made there, ``PY_RETURN`` for the return of a Python
  function), switched off again when the wait ends. ``sys.setprofile`` would
  re-instrument every function of the program, twice per wait.

Nothing is installed when a profiler (3.8–3.11) already runs in that thread, or
no ``sys.monitoring`` tool id is free: the wait then ends unobserved (its
caller reports nothing). A watch whose end is never seen (an exception that
unwinds past it under ``sys.monitoring``, which has no local unwind event) is
replaced by the next watch on the same thread; so callers must not let their
``on_end`` keep frames alive (they take what they need when the wait begins).
"""

import _thread
import sys
import time

from mpscope.guard import Hook

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import CodeType, FrameType
    from typing import Any, Callable, Dict, Optional

    #: on_end(monotonic time of the end, how it ended: RETURNED, RAISED or NOT_CALLED,
    #:        the value a watched Python function returned (None for C calls; see until_returns))
    OnEnd = Callable[[float, int, Any], None]

_hook = Hook("waitclock")
_get_ident = _thread.get_ident

C_CALL = 0  # the end of a C call made by a given frame
PY_RETURN = 1  # the return of the next frame of a given code object on this thread

# How a watched call ended.
RETURNED = 0
RAISED = 1
NOT_CALLED = 2  # the frame that was to make the call returned without making it


class Watch:
    # The frame is kept by id: a watch whose end is never seen must not keep the frame (and
    # the caller's locals) alive.
    __slots__ = ("kind", "frame", "code", "match", "on_end", "thread", "done")

    def __init__(self, kind: int, frame: "Optional[FrameType]", code: "CodeType",
                 match: "Optional[Callable[[Any, Any], bool]]", on_end: "OnEnd") -> None:
        self.kind = kind
        self.frame = id(frame) if frame is not None else 0
        self.code = code
        self.match = match
        self.on_end = on_end
        self.thread = _get_ident()
        self.done = False


def until_c_call_ends(frame: "FrameType", match: "Callable[[Any, Any], bool]", on_end: "OnEnd") -> bool:
    """Call ``on_end`` when the next C call made by ``frame`` for which ``match(callable, arg0)`` holds returns or raises.

    ``callable`` is what was called, ``arg0`` its first argument when known
    (3.12+ reports ``obj.method()`` as the unbound method with ``obj`` first;
    3.8–3.11 report the bound method and no argument): see ``is_method``.

    If ``frame`` returns first (the call was never made), ``on_end`` gets NOT_CALLED.
    False when nothing could be installed.
    """
    return bool(_backend.start(Watch(C_CALL, frame, frame.f_code, match, on_end)))


def until_returns(code: "CodeType", on_end: "OnEnd") -> bool:
    """Call ``on_end`` with the return value when the next frame running ``code`` on this thread returns.

    With ``sys.monitoring`` a frame that ends by an exception is not seen (no
    local unwind event): the watch is dropped by the next one. With a profile
    function it is seen as a return of None.
    """
    return bool(_backend.start(Watch(PY_RETURN, None, code, None, on_end)))


def cancel() -> None:
    """Forget this thread's watch, if any (its end will not be reported)."""
    _backend.stop(_get_ident())


def _finish(watch: Watch, how: int, value: "Any" = None) -> None:
    if watch.done:
        return
    watch.done = True
    _backend.stop(watch.thread)
    _hook.run(watch.on_end, time.monotonic(), how, value)


class _ProfileBackend:
    """3.8–3.11: a profile function on the waiting thread."""

    def __init__(self) -> None:
        self._watches: "Dict[int, Watch]" = {}

    def start(self, watch: Watch) -> bool:
        self.stop(watch.thread)
        if sys.getprofile() is not None:
            return False  # a profiler runs here: leave it alone

        def profile(frame: "FrameType", event: str, arg: "Any") -> None:
            # An exception here would surface in the program: nothing may escape.
            try:
                if watch.done:
                    if sys.getprofile() is profile:
                        sys.setprofile(None)
                elif event == "c_return" or event == "c_exception":
                    if watch.kind == C_CALL and id(frame) == watch.frame and _matches(watch, arg, _UNKNOWN):
                        _finish(watch, RAISED if event == "c_exception" else RETURNED)
                elif event == "return":
                    if watch.kind == PY_RETURN and frame.f_code is watch.code:
                        _finish(watch, RETURNED, arg)
                    elif id(frame) == watch.frame:
                        _finish(watch, NOT_CALLED)
            except Exception:
                pass

        self._watches[watch.thread] = watch
        sys.setprofile(profile)
        return True

    def stop(self, thread: int) -> None:
        watch = self._watches.pop(thread, None)
        if watch is not None and thread == _get_ident():
            watch.done = True
            sys.setprofile(None)


class _MonitoringBackend:
    """3.12+: local ``sys.monitoring`` events on the code objects being watched."""

    def __init__(self) -> None:
        self._watches: "Dict[int, Watch]" = {}
        self._enabled: "Dict[CodeType, Dict[int, int]]" = {}  # code -> event set -> number of watches
        self._tool: "Optional[int]" = None
        self._unavailable = False

    def _claim_tool(self) -> bool:
        if self._tool is not None:
            return True
        if self._unavailable:
            return False
        monitoring = sys.monitoring  # type: ignore[attr-defined]
        for tool in (4, 3):  # ids 0-2 and 5 are the debugger's, coverage's, profiler's and optimizer's
            try:
                monitoring.use_tool_id(tool, "mpscope")
            except ValueError:
                continue
            events = monitoring.events
            monitoring.register_callback(tool, events.C_RETURN, self._on_c_return)
            monitoring.register_callback(tool, events.C_RAISE, self._on_c_raise)
            monitoring.register_callback(tool, events.PY_RETURN, self._on_py_return)
            self._tool = tool
            return True
        self._unavailable = True
        return False

    def _events_of(self, watch: Watch) -> int:
        events = sys.monitoring.events  # type: ignore[attr-defined]
        return int(events.CALL | events.PY_RETURN) if watch.kind == C_CALL else int(events.PY_RETURN)

    def _apply(self, code: "CodeType") -> None:
        counts = self._enabled.get(code, {})
        mask = 0
        for events, count in counts.items():
            if count > 0:
                mask |= events
        if not mask:
            self._enabled.pop(code, None)
        sys.monitoring.set_local_events(self._tool, code, mask)  # type: ignore[attr-defined]

    def start(self, watch: Watch) -> bool:
        self.stop(watch.thread)
        if not self._claim_tool():
            return False
        events = self._events_of(watch)
        counts = self._enabled.setdefault(watch.code, {})
        counts[events] = counts.get(events, 0) + 1
        self._watches[watch.thread] = watch
        self._apply(watch.code)
        return True

    def stop(self, thread: int) -> None:
        watch = self._watches.pop(thread, None)
        if watch is None:
            return
        watch.done = True
        counts = self._enabled.get(watch.code)
        if counts is not None:
            events = self._events_of(watch)
            counts[events] = counts.get(events, 1) - 1
            self._apply(watch.code)

    def _watch_here(self, code: "CodeType") -> "Optional[Watch]":
        watch = self._watches.get(_get_ident())
        if watch is None or watch.done or watch.code is not code:
            return None
        return watch

    def _on_c_end(self, code: "CodeType", callable_: "Any", arg0: "Any", how: int) -> None:
        watch = self._watch_here(code)
        if watch is None or watch.kind != C_CALL:
            return
        if id(sys._getframe(2)) == watch.frame and _matches(watch, callable_, arg0):  # _on_c_end <- callback <- monitored frame
            _finish(watch, how)

    # The callbacks run inside the monitored code: an exception would surface there.

    def _on_c_return(self, code: "CodeType", offset: int, callable_: "Any", arg0: "Any") -> None:
        try:
            self._on_c_end(code, callable_, arg0, RETURNED)
        except Exception:
            pass

    def _on_c_raise(self, code: "CodeType", offset: int, callable_: "Any", arg0: "Any") -> None:
        try:
            self._on_c_end(code, callable_, arg0, RAISED)
        except Exception:
            pass

    def _on_py_return(self, code: "CodeType", offset: int, value: "Any") -> None:
        try:
            watch = self._watch_here(code)
            if watch is None:
                return
            if watch.kind == PY_RETURN:
                _finish(watch, RETURNED, value)
            elif id(sys._getframe(1)) == watch.frame:
                _finish(watch, NOT_CALLED)
        except Exception:
            pass


#: arg0 when the backend does not know it (profile functions see only the callable).
_UNKNOWN = object()


def is_method(callable_: "Any", arg0: "Any", obj: "Any", name: str) -> bool:
    """Whether a C call reported as (``callable_``, ``arg0``) is ``obj.name(...)``."""
    if getattr(callable_, "__name__", None) != name:
        return False
    return getattr(callable_, "__self__", None) is obj or arg0 is obj


def _matches(watch: Watch, callable_: "Any", arg0: "Any") -> bool:
    match = watch.match
    try:
        return match is not None and bool(match(callable_, arg0))
    except Exception:
        return False


class _NoBackend:
    def start(self, watch: Watch) -> bool:
        return False

    def stop(self, thread: int) -> None:
        pass


def _choose_backend() -> "Any":
    if sys.implementation.name != "cpython":
        return _NoBackend()
    if sys.version_info >= (3, 12):
        return _MonitoringBackend()
    return _ProfileBackend()


_backend = _choose_backend()
