"""multiprocessing's Pool, seen from the process that owns it.

Nothing the user calls is wrapped. The observation points:

* ``Pool._state`` assignments (``hooks/assignments.py``: reading it stays
  free): ``INIT`` is the
  second line of ``__init__`` (the pool gets its id and creation site), ``RUN``
  its last; ``close()`` sets ``CLOSE`` and ``terminate()`` (also the end of a
  ``with`` block) sets ``TERMINATE``.
* the construction and start of each worker (``process.extensions``): the
  pool is announced with ``pool.created`` before its first worker, and every
  worker's ``process.created`` names its pool. Workers are matched to their
  pool by the task queue in their arguments (read at construction: ``start()``
  deletes them); while ``__init__`` runs (the first workers) the pool under
  construction on this thread is the one.
* ``_PoolCache.__setitem__``: every call that submits work registers its job
  there (``ApplyResult``/``IMapIterator.__init__``); the frames above say which
  method, function and chunking (``task.submitted``).
* the join of the last worker from ``Pool.join`` (``pool.joined``), and the
  lookup of ``_help_stuff_finish`` from ``_terminate_pool``: a pool terminated
  by its finalizer (garbage-collected, or still open at exit) without anyone
  calling ``terminate()``.

ThreadPool (a Pool of threads) is left alone.
"""

import sys
import threading
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
    from typing import Any, Callable, Dict, Optional

_state_hook = Hook("pool.state")
_worker_hook = Hook("pool.worker")
_job_hook = Hook("pool.job")
_join_hook = Hook("pool.join")
_finalizer_hook = Hook("pool.finalizer")

_module: "Any" = None
#: code object of a Pool method -> the method's name, for the calls that submit work.
_methods: "Dict[CodeType, str]" = {}
#: code objects of the methods whose frame holds the submitted function (and chunking).
_submitters: "Dict[CodeType, str]" = {}
_codes: "Dict[str, CodeType]" = {}
#: thread id -> weak reference to the Pool whose __init__ runs on that thread.
_constructing: "Dict[int, Any]" = {}

_PUBLIC_METHODS = (
    ev.METHOD_APPLY, ev.METHOD_APPLY_ASYNC, ev.METHOD_MAP, ev.METHOD_MAP_ASYNC, ev.METHOD_STARMAP,
    ev.METHOD_STARMAP_ASYNC, ev.METHOD_IMAP, ev.METHOD_IMAP_UNORDERED,
)


def patch_pool_module(module: "ModuleType") -> None:
    """Called once ``multiprocessing.pool`` is imported (in every process that imports it)."""
    global _module
    pool_class = getattr(module, "Pool", None)
    cache_class = getattr(module, "_PoolCache", None)  # 3.8+
    if pool_class is None or cache_class is None or _module is not None:
        return
    _module = module
    for name in _PUBLIC_METHODS + ("_map_async", "join", "_terminate_pool", "__init__"):
        function = getattr(pool_class.__dict__.get(name), "__func__", pool_class.__dict__.get(name))
        code = getattr(function, "__code__", None)
        if code is not None:
            _codes[name] = code
            if name in _PUBLIC_METHODS:
                _methods[code] = name
    for name in (ev.METHOD_APPLY_ASYNC, "_map_async", ev.METHOD_IMAP, ev.METHOD_IMAP_UNORDERED):
        if name in _codes:
            _submitters[_codes[name]] = name

    if not observe_assignments(pool_class, "_state", _on_state, _state_hook):
        return
    if "__setitem__" not in cache_class.__dict__:
        cache_class.__setitem__ = _observed_setitem
    finish = pool_class.__dict__.get("_help_stuff_finish")
    if isinstance(finish, staticmethod):
        pool_class._help_stuff_finish = _LookupProbe(finish, _on_help_stuff_finish, _finalizer_hook)

    extensions = _process.extensions
    extensions.constructed[ev.ROLE_POOL_WORKER] = _worker_constructed
    extensions.before_created[ev.ROLE_POOL_WORKER] = _worker_created
    extensions.joined.append(_worker_joined)
    extensions.child_begins[ev.ROLE_POOL_WORKER] = tasks.pool_worker_begins
    extensions.child_exits[ev.ROLE_POOL_WORKER] = tasks.worker_exits
    if tasks.run_failed not in extensions.run_failed:
        extensions.run_failed.append(tasks.run_failed)


def _is_process_pool(pool: "Any") -> bool:
    thread_pool = getattr(_module, "ThreadPool", None)
    return not (thread_pool is not None and isinstance(pool, thread_pool))


# -- lifecycle ----------------------------------------------------------------------


def _on_state(pool: "Any", state: "Any") -> None:
    if not _is_process_pool(pool):
        return
    record = pools.record_of(pool)
    if state == "INIT":
        if record is None:
            pools.new_record(pool, ev.POOL_API_POOL, caller_site(sys._getframe(1)))
            _constructing[threading.get_ident()] = weakref.ref(pool)
        return
    if record is None:
        return
    if state == "RUN" and not record.running:
        _constructing.pop(threading.get_ident(), None)
        record.running = True
        pools.announce(record, _created_fields(pool, None))
    elif state == "CLOSE" and not record.closed:
        record.closed = True
        pools.state_changed(record, ev.POOL_CLOSED, caller_site(sys._getframe(1)))
    elif state == "TERMINATE" and not record.terminated:
        record.terminated = True
        if record.joined:
            return  # the end of a `with` block after close() and join(): nothing left to stop
        pools.state_changed(record, ev.POOL_TERMINATED, caller_site(sys._getframe(1)))


def _created_fields(pool: "Any", start_method: "Optional[str]") -> "Dict[str, Any]":
    fields: "Dict[str, Any]" = {"class": qualified_name(type(pool))}
    processes = getattr(pool, "_processes", None)
    if isinstance(processes, int) and processes >= 1:
        fields["processes"] = processes
    maxtasks = getattr(pool, "_maxtasksperchild", None)
    fields["maxtasksperchild"] = maxtasks if isinstance(maxtasks, int) and not isinstance(maxtasks, bool) else None
    initializer = getattr(pool, "_initializer", None)
    if initializer is not None:
        fields["initializer"] = qualified_name(initializer)
    if start_method is None:
        start_method = _context_start_method(getattr(pool, "_ctx", None))
    if start_method is not None:
        fields["start_method"] = start_method
    return fields


def _context_start_method(context: "Any") -> "Optional[str]":
    # Never call get_start_method() on the default context: that would fix its method.
    name = getattr(context, "_name", None)
    if name is None:
        actual = getattr(context, "_actual_context", None)
        name = getattr(actual, "_name", None)
    return name if name in (ev.START_FORK, ev.START_SPAWN, ev.START_FORKSERVER) else None


def _worker_constructed(process: "Any") -> None:
    _worker_hook.run(_link_worker, process)


def _link_worker(process: "Any") -> None:
    args = getattr(process, "_args", ())
    if not args:
        return
    queue = args[0]
    record = pools.record_for_queue(queue)
    if record is None:
        reference = _constructing.get(threading.get_ident())
        pool = reference() if reference is not None else None
        if pool is None or getattr(pool, "_inqueue", None) is not queue:
            return
        record = pools.record_of(pool)
        if record is None:
            return
        pools.link_queue(queue, record)
    pools.note_worker(process, record)


def _worker_created(process: "Any", created: "Dict[str, Any]") -> None:
    _worker_hook.run(_announce_worker, process, created)


def _announce_worker(process: "Any", created: "Dict[str, Any]") -> None:
    record = pools.worker_record(process)
    if record is None:
        return
    if not record.announced:
        pool = record.pool
        if pool is None:
            return
        pools.announce(record, _created_fields(pool, created.get("start_method")))
    pools.worker_fields(record, created)


def _worker_joined(process: "Any", join_frame: "FrameType") -> None:
    caller = join_frame.f_back
    if caller is not None and caller.f_code is _codes.get("join"):
        _join_hook.run(_on_pool_join_step, process, caller)


def _on_pool_join_step(process: "Any", pool_join_frame: "FrameType") -> None:
    pool = pool_join_frame.f_locals.get("self")
    workers = getattr(pool, "_pool", None)
    if not workers or workers[-1] is not process:
        return  # not the last worker Pool.join() waits for
    record = pools.record_of(pool)
    if record is not None and not record.joined:
        record.joined = True
        pools.state_changed(record, ev.POOL_JOINED, caller_site(pool_join_frame.f_back))


class _LookupProbe:
    """A static method that reports the frames looking it up (the call itself is not wrapped)."""

    def __init__(self, function: staticmethod, on_lookup: "Callable[[FrameType], None]", hook: Hook) -> None:  # type: ignore[type-arg]
        self.__wrapped__ = function
        self._on_lookup = on_lookup
        self._hook = hook

    def __get__(self, obj: "Any", objtype: "Any" = None) -> "Any":
        if self._hook.enabled:
            self._hook.run(self._on_lookup, sys._getframe(1))
        return self.__wrapped__.__get__(obj, objtype)


def _on_help_stuff_finish(frame: "FrameType") -> None:
    if frame.f_code is not _codes.get("_terminate_pool"):
        return
    record = pools.record_for_queue(frame.f_locals.get("inqueue"))
    if record is None or record.terminated or record.joined:
        return
    record.terminated = True
    pools.state_changed(record, ev.POOL_TERMINATED, None, finalizer=True)


# -- submissions ----------------------------------------------------------------------


def _observed_setitem(self: "Any", job: "Any", result: "Any") -> None:
    dict.__setitem__(self, job, result)
    if _job_hook.enabled:
        _job_hook.run(_on_job, job, result, sys._getframe(1))


def _on_job(job: "Any", result: "Any", frame: "Optional[FrameType]") -> None:
    record = pools.record_of(getattr(result, "_pool", None))
    if record is None or not isinstance(job, int) or frame is None:
        return
    method: "Optional[str]" = None
    caller = frame.f_back
    if caller is not None and caller.f_code is _codes.get(ev.METHOD_APPLY_ASYNC):
        # The frequent case, spelled out: ApplyResult.__init__ <- apply_async [<- apply] <- the user.
        outer = caller.f_back
        if outer is not None and outer.f_code is _codes.get(ev.METHOD_APPLY):
            method, user = ev.METHOD_APPLY, outer.f_back
        else:
            method, user = ev.METHOD_APPLY_ASYNC, outer
        pools.submitted(record, method, pools.function_name(caller.f_locals.get("func")), user, job=job)
        return
    module_globals = _module.__dict__
    method = None
    method_frame: "Optional[FrameType]" = None
    submitter: "Optional[FrameType]" = None
    while frame is not None and frame.f_globals is module_globals:
        code = frame.f_code
        if code in _methods:
            method, method_frame = _methods[code], frame
        if submitter is None and code in _submitters:
            submitter = frame
        frame = frame.f_back
    if method is None or submitter is None or method_frame is None:
        return
    local = submitter.f_locals
    name = pools.function_name(local.get("func"))
    if method in (ev.METHOD_APPLY, ev.METHOD_APPLY_ASYNC):
        pools.submitted(record, method, name, method_frame.f_back, job=job)
        return
    chunksize = local.get("chunksize")
    items = None
    iterable: "Any" = local.get("iterable")
    if _submitters.get(submitter.f_code) == "_map_async":
        try:
            items = len(iterable)
        except Exception:
            items = None
    pools.submitted(record, method, name, method_frame.f_back, job=job,
                    chunksize=chunksize if isinstance(chunksize, int) and chunksize >= 0 else None, items=items)
