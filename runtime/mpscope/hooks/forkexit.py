"""The exit record of a child made by a bare ``os.fork()``.

Its parent learns the exit status from ``os.waitpid``, which cannot be
observed without wrapping it (and a wrapper would show in the traceback of a
``ChildProcessError`` or a Ctrl-C there). So the child reports itself:

* ``os._exit(n)``, the usual end of a forked child: in the child only, and only
  in a bare-fork child, ``os._exit`` is replaced by a function that sends the
  exit record, flushes, and calls the original. It cannot return or raise
  (except for a non-integer status, where the original's ``TypeError`` passes
  through it).
* the end of the interpreter (``sys.exit`` or falling off the end of the
  program): at the exit flush, an uncaught exception (``sys.last_value``, set
  when the interpreter printed it) means exit code 1. Otherwise the code is
  not known in-process (``sys.exit(3)`` leaves no trace an atexit handler can
  read) and no record is sent: the collector sees the stream close.
"""

import os
import sys

from mpscope import agent as _agent
from mpscope import events as ev
from mpscope.exits import exception_record, exit_record
from mpscope.guard import Hook

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

_hook = Hook("fork.exit")
_original_exit: "Optional[Callable[[int], Any]]" = None
_reported = False
_last_value_at_fork: "Any" = None


def install(agent: "_agent.Agent") -> None:
    """In a bare-fork child, right after the fork."""
    global _original_exit, _reported, _last_value_at_fork
    _reported = False
    _last_value_at_fork = getattr(sys, "last_value", None)
    if _original_exit is None:
        _original_exit = os._exit
        os._exit = _exit
    if _finish not in agent.finishers:
        agent.finishers.append(_finish)


def _exit(status: int) -> "Any":
    if _hook.enabled and isinstance(status, int) and not isinstance(status, bool):
        _hook.run(_report, status, None)
    return _original_exit(status)  # type: ignore[misc]


def _report(status: "Optional[int]", exc: "Optional[BaseException]") -> None:
    global _reported
    agent = _agent.current()
    if agent is None or _reported or agent.origin != _agent.ORIGIN_FORK:
        return
    _reported = True
    fields = exit_record(ev.REPORTER_SELF, status)
    if exc is not None:
        fields["exception"] = exception_record(exc)
    agent.emit(ev.PROCESS_EXITED, fields)
    agent.finish()


def _finish() -> None:
    """Agent finisher: the interpreter is ending (atexit) in a bare-fork child."""
    agent = _agent.current()
    if _reported or agent is None or agent.origin != _agent.ORIGIN_FORK:
        return
    exc = getattr(sys, "last_value", None)
    if isinstance(exc, BaseException) and exc is not _last_value_at_fork:
        _hook.run(_report_uncaught, exc)


def _report_uncaught(exc: BaseException) -> None:
    global _reported
    agent = _agent.current()
    if agent is None:
        return
    _reported = True
    fields = exit_record(ev.REPORTER_SELF, 1)
    fields["exception"] = exception_record(exc)
    agent.emit(ev.PROCESS_EXITED, fields)
