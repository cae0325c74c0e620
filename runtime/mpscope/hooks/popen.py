"""The Popen side of a Process: exit statuses, joins and signals, observed without wrapping.

* Exit records from the parent: every Popen class (fork, spawn on POSIX and
  Windows, forkserver) stores the child's status in ``self.returncode``, in
  ``poll()`` or ``wait()``. Observing that assignment (``hooks/attributes.py``)
  leaves ``poll``/``wait`` unwrapped, so a Ctrl-C while joining shows the same
  traceback as without mpscope. A child killed by a signal gets its record
  here, with the signal's name.
* ``process.signalled``: ``BaseProcess.terminate``/``kill`` call
  ``self._popen.terminate()``/``kill()``; the lookup of those methods from
  those two bodies is the moment the parent asks (``hasattr`` elsewhere, such
  as in ``Pool``, is not).
* The start of a ``join()``: its lookup of ``self._popen.wait``.
"""

import sys

from mpscope import agent as _agent
from mpscope import events as ev
from mpscope.exits import exit_record
from mpscope.guard import Hook
from mpscope.hooks import forking
from mpscope.hooks import process as _process
from mpscope.hooks.attributes import observe_attribute
from mpscope.hooks.lookup import observe_lookups

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import FrameType, ModuleType
    from typing import Any

_exit_hook = Hook("popen.returncode")
_signal_hook = Hook("popen.terminate/kill")
_wait_hook = Hook("popen.wait")


def _on_returncode(popen: "Any", previous: "Any", returncode: "Any") -> None:
    if previous is not None or returncode is None:
        return
    agent = _agent.current()
    pid = getattr(popen, "pid", None)
    if agent is None or not isinstance(pid, int) or pid < 1:
        return
    code = returncode if isinstance(returncode, int) and not isinstance(returncode, bool) else None
    agent.emit(ev.PROCESS_EXITED, exit_record(ev.REPORTER_PARENT, code, child_pid=pid))


def _on_signal_lookup(popen: "Any", caller: "FrameType") -> None:
    code = caller.f_code
    if code is _process.codes.terminate:
        method, signal_name = "terminate", "SIGTERM"
    elif code is _process.codes.kill:
        method, signal_name = "kill", "SIGKILL"
    else:
        return
    if popen.returncode is not None:
        return  # already exited: multiprocessing sends nothing
    agent = _agent.current()
    if agent is not None and isinstance(popen.pid, int):
        if sys.platform == "win32":
            signal_name = "TerminateProcess"
        agent.emit(ev.PROCESS_SIGNALLED, {"child_pid": popen.pid, "method": method, "signal": signal_name})


def _on_wait_lookup(popen: "Any", caller: "FrameType") -> None:
    if caller.f_code is _process.codes.join:
        process = caller.f_locals.get("self")
        if process is not None:
            _process.note_join_started(process)


def patch_popen_module(module: "ModuleType") -> None:
    """``multiprocessing.popen_fork`` (base of spawn-posix and forkserver) or ``popen_spawn_win32``."""
    popen_class = module.Popen
    if module.__name__ == "multiprocessing.popen_fork":
        launch = getattr(getattr(popen_class, "_launch", None), "__code__", None)
        if launch is not None:
            _process.codes.launch_fork = launch
            forking.before_fork_in[module.__name__] = _process.prepare_fork
    observe_attribute(popen_class, "returncode", _on_returncode, _exit_hook)
    observe_lookups(popen_class, "terminate", _on_signal_lookup, _signal_hook)
    observe_lookups(popen_class, "kill", _on_signal_lookup, _signal_hook)
    observe_lookups(popen_class, "wait", _on_wait_lookup, _wait_hook)
