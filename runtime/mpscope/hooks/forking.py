"""What a forked child is, decided with ``os.register_at_fork``.

The hooks run inside ``os.fork()``, so the frame above them is the code that
forks: multiprocessing's fork Popen, the forkserver, ``subprocess`` (about to
exec, with a ``preexec_fn``), or anything else (a bare ``os.fork()``). In every
case the child drops the parent's socket and queue; only a bare fork says hello
at once, multiprocessing children wait for their Process object.

The forking code is looked up in the parent, just before the fork, and the
child only reads the answer: after a fork, each memory page the child writes
is copied by the kernel (several microseconds apiece here), while the parent's
pages before the fork are its own.
"""

import os
import sys
from _thread import get_ident

from mpscope import agent as _agent
from mpscope import events as ev
from mpscope import stacks
from mpscope.guard import Hook

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import FrameType
    from typing import Callable, Dict, Optional, Tuple

_hook = Hook("os.fork")
_installed = False

_ORIGIN_OF_FORKER = {
    "multiprocessing.popen_fork": _agent.ORIGIN_MP_FORK,
    "multiprocessing.forkserver": _agent.ORIGIN_FORKSERVER,
}


def install() -> None:
    global _installed
    if _installed or not hasattr(os, "register_at_fork"):
        return
    os.register_at_fork(before=_before_fork, after_in_child=_after_in_child)
    _installed = True


#: (forking thread, module of the forking code, parent pid), noted by the parent before each fork.
_next_fork: "Tuple[int, Optional[str], int]" = (0, None, 0)

#: Work for the parent right before a fork, by module of the forking code: (forking frame) -> None.
#: Each callback guards itself; a failing one must not switch off the fork hook.
before_fork_in: "Dict[str, Callable[[FrameType], None]]" = {}


#: Modules of debuggers that replace ``os.fork`` with a function of theirs (debugpy / pydevd, with
#: ``subProcess`` on): their frames stand between the real fork and the code that asked for it.
_FORK_WRAPPERS = ("_pydev_bundle", "_pydevd_bundle", "pydevd", "debugpy")


def _before_fork() -> None:
    if _hook.enabled:
        _hook.run(_note_fork, sys._getframe(1))


def _note_fork(frame: "FrameType") -> None:
    global _next_fork
    forker = _forking_frame(frame)
    module = _module_of(forker)
    _next_fork = (get_ident(), module, os.getpid())
    prepare = before_fork_in.get(module or "")
    if prepare is not None and forker is not None:
        prepare(forker)


def _after_in_child() -> None:
    if _hook.enabled:
        _hook.run(_child_begins, sys._getframe(1))


def _forking_module(frame: "Optional[FrameType]") -> "Optional[str]":
    return _module_of(_forking_frame(frame))


def _module_of(frame: "Optional[FrameType]") -> "Optional[str]":
    module = frame.f_globals.get("__name__") if frame is not None else None
    return module if isinstance(module, str) else None


def _forking_frame(frame: "Optional[FrameType]") -> "Optional[FrameType]":
    """The frame that asked for the fork: ``frame``, or the first one above a debugger's wrapper."""
    for _ in range(8):
        module = frame.f_globals.get("__name__") if frame is not None else None
        if frame is None or not isinstance(module, str) or module.partition(".")[0] not in _FORK_WRAPPERS:
            return frame
        frame = frame.f_back
    return frame


def _child_begins(frame: "FrameType") -> None:
    agent = _agent.current()
    if agent is None:
        return
    thread, module, parent_pid = _next_fork
    if thread != get_ident():  # another thread forked since (or no note): look here, at a higher price
        module, parent_pid = _forking_module(frame), os.getppid()
    origin = _ORIGIN_OF_FORKER.get(module or "", _agent.ORIGIN_FORK)
    agent.after_fork_in_child(origin, parent_pid)
    if module == "subprocess":
        agent.mute()  # the child execs a new program; if that is Python, it says hello itself
        return
    if agent.stacks is not None:
        agent.stacks = stacks.after_fork(agent.stacks)
    if origin == _agent.ORIGIN_FORK:
        agent.announce(ev.ROLE_FORK)
        from mpscope.hooks import forkexit

        forkexit.install(agent)
