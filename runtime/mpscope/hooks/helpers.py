"""multiprocessing's helper processes: the resource tracker and the forkserver.

In the helper itself: both are started as
``python -c "from multiprocessing.X import main; main(...)"`` and do nothing but
run ``main``, so wrapping ``main`` tells the process its role (it deferred its
hello at start-up, see ``mpscope.install``) and gives it an exit record. The
wrapper's frame shows only in a helper's own crash report.

In the process that starts a helper: the helper's pid is stored in
``ResourceTracker._pid`` / ``ForkServer._forkserver_pid``; observing that
assignment announces the helper (``process.created`` + ``process.started``) so
a collector knows to wait for it even before it connects.
"""

import functools
import sys

from mpscope import agent as _agent
from mpscope import events as ev
from mpscope.guard import Hook
from mpscope.hooks.attributes import observe_attribute

# mpscope.exits and mpscope.userframes are imported where they are used: every spawned child
# imports the resource tracker's module, and almost none of them starts or is a helper.

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import ModuleType
    from typing import Any, Callable, Optional


def _wrap_main(original: "Callable[..., Any]", role: str) -> "Callable[..., Any]":
    hook = Hook(role + ".main")

    @functools.wraps(original)
    def main(*args: "Any", **kwargs: "Any") -> "Any":
        hook.run(_announce, role)
        try:
            result = original(*args, **kwargs)
        except SystemExit as exc:
            hook.run(_exited_by, exc)
            raise
        except BaseException as exc:
            hook.run(_exited, 1, exc)
            raise
        hook.run(_exited, 0, None)
        return result

    main._mpscope_wrapped = True  # type: ignore[attr-defined]
    return main


def _announce(role: str) -> None:
    agent = _agent.current()
    if agent is not None:
        agent.announce(role)


def _exited_by(exc: SystemExit) -> None:
    from mpscope.exits import exitcode_of_system_exit

    _exited(exitcode_of_system_exit(exc), None)


def _exited(exitcode: int, exc: "Optional[BaseException]") -> None:
    from mpscope.exits import exception_record, exit_record

    agent = _agent.current()
    if agent is None:
        return
    fields = exit_record(ev.REPORTER_SELF, exitcode)
    if exc is not None:
        fields["exception"] = exception_record(exc)
    agent.emit(ev.PROCESS_EXITED, fields)
    agent.finish()


def _launched(role: str, name: str, target: str) -> "Callable[[Any, Any, Any], None]":
    def on_pid(helper: "Any", previous: "Any", pid: "Any") -> None:
        if previous == pid or not isinstance(pid, int) or pid < 1:
            return
        agent = _agent.current()
        if agent is None:
            return
        from mpscope.hooks.process import new_proc_id
        from mpscope.userframes import caller_site

        proc = new_proc_id()
        created = {"proc": proc, "name": name, "daemon": True, "role": role, "class": type(helper).__module__ + "." + name,
                   "target": target, "start_method": ev.START_SPAWN}
        site = caller_site(sys._getframe(1))
        if site is not None:
            created["site"] = site
        agent.emit(ev.PROCESS_CREATED, created)
        agent.emit(ev.PROCESS_STARTED, {"proc": proc, "child_pid": pid})

    return on_pid


def _patch(module: "Any", role: str, class_name: str, pid_attribute: str) -> None:
    main = getattr(module, "main", None)
    if main is not None and not getattr(main, "_mpscope_wrapped", False):
        module.main = _wrap_main(main, role)
    helper_class = getattr(module, class_name, None)
    if helper_class is not None:
        target = "%s.main" % module.__name__
        observe_attribute(helper_class, pid_attribute, _launched(role, class_name, target), Hook(role + ".launch"))


def patch_resource_tracker(module: "ModuleType") -> None:
    _patch(module, ev.ROLE_RESOURCE_TRACKER, "ResourceTracker", "_pid")


def patch_forkserver(module: "ModuleType") -> None:
    _patch(module, ev.ROLE_FORKSERVER, "ForkServer", "_forkserver_pid")
