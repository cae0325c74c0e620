"""concurrent.futures' ProcessPoolExecutor, seen from the process that owns it.

Nothing the user calls is wrapped; assignments to the executor's own
attributes say what happens (``hooks/assignments.py``: reading them stays
free), in every version from 3.8 to 3.13:

* ``_call_queue`` is set near the end of ``__init__`` (``pool.created``, and
  the queue that links the workers to the executor) and set to None by
  ``shutdown()`` after it waited (``pool.joined`` when ``wait`` was true);
* ``_shutdown_thread = True`` by ``shutdown()`` (``pool.closed`` with its
  ``wait`` and ``cancel_futures``); the same flag set by the executor's own
  thread when a worker died abruptly is not a shutdown;
* ``_queue_count`` is incremented by ``submit()`` once per task, also for each
  chunk of ``map()`` (``task.submitted``).

Workers start on demand (at ``submit``), so their creation site is the call
that started them; a worker started by the executor's own thread (a
replacement after ``max_tasks_per_child``) gets the executor's site.
"""

import functools
import sys
import weakref

from mpscope import events as ev
from mpscope.guard import Hook
from mpscope.hooks import pools, tasks
from mpscope.hooks import process as _process
from mpscope.hooks.assignments import observe_assignments
from mpscope.roles import qualified_name
from mpscope.userframes import caller_site

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import CodeType, FrameType, ModuleType
    from typing import Any, Dict, Optional

_created_hook = Hook("executor.created")
_shutdown_hook = Hook("executor.shutdown")
_submit_hook = Hook("executor.submit")
_worker_hook = Hook("executor.worker")

_module: "Any" = None
_codes: "Dict[str, Optional[CodeType]]" = {}


def _code(function: "Any") -> "Optional[CodeType]":
    return getattr(getattr(function, "__func__", function), "__code__", None)


def patch_executor_module(module: "ModuleType") -> None:
    """Called once ``concurrent.futures.process`` is imported."""
    global _module
    executor_class = getattr(module, "ProcessPoolExecutor", None)
    if executor_class is None or _module is not None:
        return
    for name in ("_call_queue", "_shutdown_thread", "_queue_count"):
        if name in executor_class.__dict__:
            return  # a layout this module does not know
    _module = module
    base_map = None
    base = sys.modules.get("concurrent.futures._base")
    if base is not None:
        base_map = _code(getattr(getattr(base, "Executor", None), "map", None))
    _codes.update(
        shutdown=_code(executor_class.__dict__.get("shutdown")),
        submit=_code(executor_class.__dict__.get("submit")),
        map=_code(executor_class.__dict__.get("map")),
        base_map=base_map,
    )
    observe_assignments(executor_class, "_call_queue", _on_call_queue, _created_hook)
    observe_assignments(executor_class, "_shutdown_thread", _on_shutdown_flag, _shutdown_hook)
    observe_assignments(executor_class, "_queue_count", _on_queue_count, _submit_hook)

    extensions = _process.extensions
    extensions.constructed[ev.ROLE_EXECUTOR_WORKER] = _worker_constructed
    extensions.before_created[ev.ROLE_EXECUTOR_WORKER] = _worker_created
    extensions.child_begins[ev.ROLE_EXECUTOR_WORKER] = tasks.executor_worker_begins
    extensions.child_exits[ev.ROLE_EXECUTOR_WORKER] = tasks.worker_exits
    if tasks.run_failed not in extensions.run_failed:
        extensions.run_failed.append(tasks.run_failed)


def _frame_running(code: "Optional[CodeType]", frame: "Optional[FrameType]", depth: int = 4) -> "Optional[FrameType]":
    """The nearest frame, at most ``depth`` levels out, that runs ``code``."""
    while code is not None and frame is not None and depth > 0:
        if frame.f_code is code:
            return frame
        frame = frame.f_back
        depth -= 1
    return None


def _start_method(context: "Any") -> "Optional[str]":
    name = getattr(context, "_name", None)
    return name if name in (ev.START_FORK, ev.START_SPAWN, ev.START_FORKSERVER) else None


# -- lifecycle --------------------------------------------------------------------


def _on_call_queue(executor: "Any", queue: "Any") -> None:
    record = pools.record_of(executor)
    if queue is not None:
        if record is not None:
            return
        record = pools.new_record(executor, ev.POOL_API_EXECUTOR, caller_site(sys._getframe(1)))
        record.running = True
        pools.link_queue(queue, record)
        fields: "Dict[str, Any]" = {"class": qualified_name(type(executor))}
        workers = executor.__dict__.get("_max_workers")
        if isinstance(workers, int) and workers >= 1:
            fields["processes"] = workers
        maxtasks = executor.__dict__.get("_max_tasks_per_child")  # 3.11+
        fields["maxtasksperchild"] = maxtasks if isinstance(maxtasks, int) and not isinstance(maxtasks, bool) else None
        initializer = executor.__dict__.get("_initializer")
        if initializer is not None:
            fields["initializer"] = qualified_name(initializer)
        fields["start_method"] = _start_method(executor.__dict__.get("_mp_context"))
        pools.announce(record, fields)
    elif record is not None:
        shutdown = _frame_running(_codes.get("shutdown"), sys._getframe(1))
        if shutdown is None or record.joined:
            return
        if shutdown.f_locals.get("wait"):
            record.joined = True
            pools.state_changed(record, ev.POOL_JOINED, caller_site(shutdown.f_back))


def _on_shutdown_flag(executor: "Any", value: "Any") -> None:
    if value is not True:
        return
    shutdown = _frame_running(_codes.get("shutdown"), sys._getframe(1))
    record = pools.record_of(executor)
    if shutdown is None or record is None or record.closed:
        return  # also the executor's own thread marking a broken pool
    record.closed = True
    local = shutdown.f_locals
    extra: "Dict[str, Any]" = {"wait": bool(local.get("wait"))}
    if "cancel_futures" in local:
        extra["cancel_futures"] = bool(local.get("cancel_futures"))
    pools.state_changed(record, ev.POOL_CLOSED, caller_site(shutdown.f_back), **extra)


def _worker_constructed(process: "Any") -> None:
    _worker_hook.run(_link_worker, process)


def _link_worker(process: "Any") -> None:
    args = getattr(process, "_args", ())
    record = pools.record_for_queue(args[0]) if args else None
    if record is not None:
        pools.note_worker(process, record)


def _worker_created(process: "Any", created: "Dict[str, Any]") -> None:
    record = pools.worker_record(process)
    if record is not None:
        _worker_hook.run(pools.worker_fields, record, created)


# -- submissions --------------------------------------------------------------------


def _on_queue_count(executor: "Any", count: "Any") -> None:
    if not isinstance(count, int) or count < 1:
        return  # 0: set by __init__
    previous = count - 1  # the work id of the task being submitted
    submit = _frame_running(_codes.get("submit"), sys._getframe(1))
    record = pools.record_of(executor)
    if submit is None or record is None:
        return
    local = submit.f_locals
    fn = local.get("fn")
    base_map = _frame_running(_codes.get("base_map"), submit.f_back, 2)
    if base_map is None:
        pools.submitted(record, ev.METHOD_SUBMIT, pools.function_name(fn), submit.f_back, job=previous)
        return
    current = record.map_call() if record.map_call is not None else None
    if current is fn:
        return  # another chunk of the same map() call
    try:
        record.map_call = weakref.ref(fn)
    except TypeError:
        record.map_call = None
    func = fn.args[0] if isinstance(fn, functools.partial) and fn.args else fn
    chunksize = None
    items = None
    outer = _frame_running(_codes.get("map"), base_map.f_back, 2)
    if outer is not None:
        outer_local = outer.f_locals
        chunksize = outer_local.get("chunksize")
        try:
            items = min(len(iterable) for iterable in outer_local.get("iterables", ()))
        except Exception:
            items = None
    pools.submitted(record, ev.METHOD_MAP, qualified_name(func), (outer or base_map).f_back, job=previous,
                    chunksize=chunksize if isinstance(chunksize, int) and chunksize >= 1 else None, items=items)
