"""``join(timeout)`` that returns while the child still runs: ``process.joined`` with ``alive: true``.

A join that ends because the child exited is seen at ``_children.discard``
(``hooks/process.py``). A join that times out leaves no trace in
``BaseProcess.join``: ``Popen.wait`` returns None and nothing else is called.
What does run at that moment, on POSIX, is the exit of the selector in
``multiprocessing.connection.wait`` (``with _WaitSelector() as selector``), which
``Popen.wait`` calls with the timeout. So the private ``_WaitSelector`` name is
given a subclass whose ``__exit__`` looks at its callers: only when they are
``connection.wait`` ← ``Popen.wait`` ← ``BaseProcess.join`` (code identity) and
``wait`` found nothing ready does it report. Everything else (Pool's handler
threads, a user's own ``connection.wait``) passes straight through; nothing the
user calls is wrapped. On Windows ``Popen.wait`` waits with
``WaitForSingleObject`` and a timed-out join is not reported.
"""

import sys
import time

from mpscope import agent as _agent
from mpscope import events as ev
from mpscope.guard import Hook
from mpscope.hooks import process as _process

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import CodeType, FrameType
    from typing import Any, Optional

_hook = Hook("process.join-timeout")


_wait_code: "Optional[CodeType]" = None


def _popen_wait_code() -> "Optional[CodeType]":
    """``popen_fork.Popen.wait``'s code, found once the module is imported."""
    global _wait_code
    if _wait_code is None:
        module = sys.modules.get("multiprocessing.popen_fork")
        _wait_code = getattr(getattr(getattr(module, "Popen", None), "wait", None), "__code__", None)
    return _wait_code


def _on_wait_done(wait_frame: "FrameType") -> None:
    popen_frame = wait_frame.f_back
    if popen_frame is None or popen_frame.f_code is not _popen_wait_code():
        return
    join_frame = popen_frame.f_back
    if join_frame is None or join_frame.f_code is not _process.codes.join:
        return
    if wait_frame.f_locals.get("ready"):
        return  # the child ended: the join goes on to reap it and _children.discard reports it
    process = join_frame.f_locals.get("self")
    agent = _agent.current()
    if process is None or agent is None:
        return
    notes = _process._notes.of(process)
    started = notes.pop("join_started", None)
    waited = max(0.0, time.monotonic() - started) if started is not None else 0.0
    timeout = join_frame.f_locals.get("timeout")
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool):
        timeout = None
    popen = getattr(process, "_popen", None)
    pid = getattr(popen, "pid", None) or notes.get("pid")
    if isinstance(pid, int) and pid > 0:
        agent.emit(ev.PROCESS_JOINED, {"child_pid": pid, "timeout": timeout, "waited": waited, "alive": True})


def patch_connection_module(module: "Any") -> None:
    """Called once ``multiprocessing.connection`` is imported (POSIX)."""
    original = getattr(module, "_WaitSelector", None)
    wait = getattr(module, "wait", None)
    if original is None or wait is None or getattr(original, "_mpscope_observer", False):
        return
    wait_code = wait.__code__

    base_exit = original.__exit__

    class ObservedWaitSelector(original):  # type: ignore[misc,valid-type]
        _mpscope_observer = True

        def __exit__(self, *exc_info: "Any") -> "Any":
            result = base_exit(self, *exc_info)
            if exc_info[0] is None and _hook.enabled:
                caller = sys._getframe(1)
                if caller.f_code is wait_code:
                    _hook.run(_on_wait_done, caller)
            return result

    ObservedWaitSelector.__name__ = original.__name__
    ObservedWaitSelector.__qualname__ = original.__qualname__
    ObservedWaitSelector.__module__ = original.__module__
    module._WaitSelector = ObservedWaitSelector
