"""What a multiprocessing Process is for, judged from its target or class."""

from mpscope import events as ev
from mpscope.bounded import clip

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Optional

# (module, qualified name) of the targets multiprocessing and concurrent.futures use.
_HELPER_TARGETS = {
    ("multiprocessing.pool", "worker"): ev.ROLE_POOL_WORKER,
    ("concurrent.futures.process", "_process_worker"): ev.ROLE_EXECUTOR_WORKER,
    ("multiprocessing.managers", "BaseManager._run_server"): ev.ROLE_MANAGER,
}


def qualified_name(obj: "Any") -> "Optional[str]":
    """``module.qualname`` of a function, method or class; None when it has no name."""
    func = getattr(obj, "__func__", obj)  # bound methods
    qualname = getattr(func, "__qualname__", None) or getattr(func, "__name__", None)
    if not isinstance(qualname, str):
        inner = getattr(obj, "func", None)  # functools.partial
        if inner is not None and inner is not obj:
            return qualified_name(inner)
        return None
    module = getattr(func, "__module__", None)
    text = qualname if not isinstance(module, str) else "%s.%s" % (module, qualname)
    return clip(text, ev.MAX_QUALNAME)


def role_for_target(target: "Any") -> str:
    func = getattr(target, "__func__", target)
    key = (getattr(func, "__module__", None), getattr(func, "__qualname__", None))
    return _HELPER_TARGETS.get(key, ev.ROLE_PROCESS)  # type: ignore[arg-type]


def describe_target(process: "Any", target: "Any") -> "Optional[str]":
    """What the process runs: its target, or the ``run`` a subclass defines."""
    if target is not None:
        return qualified_name(target)
    run = getattr(type(process), "run", None)
    try:
        from multiprocessing.process import BaseProcess

        if run is BaseProcess.run:
            return None
    except Exception:
        pass
    return qualified_name(run) if run is not None else None
