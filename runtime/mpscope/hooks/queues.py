"""multiprocessing's Queue, JoinableQueue and SimpleQueue: creation, counts, long waits, leftovers.

Nothing the user calls is wrapped, so ``queue.Full``, ``queue.Empty`` and a
pickling error keep their tracebacks. What is observed:

* creation: ``Queue.__init__`` and ``__setstate__`` (a queue arriving in a
  spawned child) both end by calling ``self._reset()`` (3.8:
  ``self._after_fork()``), whose lookup is observed; a SimpleQueue's
  ``_poll`` assignment plays that part for it. Queues that multiprocessing or
  concurrent.futures create for themselves (Pool, ProcessPoolExecutor) are not
  followed; ``queue.created`` is sent by the process that created a queue in
  user code.
* puts, without any cost of their own: a Queue's ``_sem`` counts free slots,
  and its C SemLock counts acquires minus releases made by this process, so
  ``puts = _sem._count() + gets`` (a put whose item could not be pickled is
  released by the feeder thread and so not counted, as it never was queued).
* gets: in ``Queue.get`` the lookups of ``_rlock.__enter__`` / ``_rlock.acquire``
  (the get begins) and ``_sem.release`` (an item was taken; with a timeout,
  ``_rlock.release`` in ``finally`` ends a get that found nothing). The lookups
  come from ``semlocks.py``, routed by the code object of ``Queue.get``.
* a put that blocks on a full bounded queue: its ``_sem.acquire`` lookup finds
  no free slot; ``waitclock`` reports when that acquire returns.
* ``task_done()``: its lookup of ``_unfinished_tasks.acquire``; a ``join()`` that
  waits: its ``Condition.wait`` (see ``sync.py``).
* SimpleQueue: ``with self._rlock`` in ``get`` and ``with self._wlock`` in ``put``.
  A get on an empty SimpleQueue is timed until ``get`` returns.

``queue.counters`` (per process, cumulative) go out at most every half second
while they change and when the process ends; ``queue.leftover`` says what was
still queued when a process that created or used the queue ended (``backlog``:
items in the queue; ``buffered``: items this process put that its feeder thread
never wrote to the pipe, lost when the process is gone).
"""

from __future__ import annotations

import _thread
import sys
import time
import weakref

from mpscope import agent as _agent
from mpscope import events as ev
from mpscope import waitclock
from mpscope.guard import Hook
from mpscope.hooks import counters, semlocks, waits
from mpscope.hooks.identity import semlock_id
from mpscope.hooks.lookup import observe_lookups
from mpscope.roles import qualified_name
from mpscope.userframes import INTERNAL, caller_site, kind_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import CodeType, FrameType
    from typing import Any, Dict, Optional, Tuple

_created_hook = Hook("queue.created")
_exit_registered = False
_exit_hook = Hook("queue.leftover")

_monotonic = time.monotonic
_get_ident = _thread.get_ident

# Which of its SemLocks a lookup was about.
_SEM = 0  # Queue._sem: free slots
_RLOCK = 1  # readers' lock
_WLOCK = 2  # SimpleQueue writers' lock
_UNFINISHED = 3  # JoinableQueue._unfinished_tasks

_WORKER_ROLES = (ev.ROLE_POOL_WORKER, ev.ROLE_EXECUTOR_WORKER)


class QueueEntry:
    """What this process knows about one followed queue."""

    __slots__ = ("id", "kind", "ref", "sem", "bounded", "pid", "base", "gets", "puts", "task_done", "joins",
                 "creator", "used", "dirty", "last", "tentative", "reader_fd")

    def __init__(self, ident: str, kind: str, queue: "Any") -> None:
        self.id = ident
        self.kind = kind
        self.ref = weakref.ref(queue, _forget)
        self.sem = getattr(queue, "_sem", None)  # Queue, JoinableQueue
        maxsize = getattr(queue, "_maxsize", None)
        self.bounded = isinstance(maxsize, int) and maxsize < _sem_value_max()
        self.creator = 0  # pid of the process that created it, when this one did
        self.used = False
        self.tentative = False
        self.reader_fd = -1
        self.last: "Optional[Tuple[Any, ...]]" = None
        self.pid = 0
        self.begin_process()

    def begin_process(self) -> None:
        """Counts start from zero in each process that uses the queue."""
        self.pid = counters.pid
        self.base = _semlock_count(self.sem)
        self.gets = 0
        self.puts = 0  # SimpleQueue only (Queue puts come from the semaphore)
        self.task_done = 0
        self.joins = 0
        self.dirty = False
        self.used = False
        self.last = None

    def put_count(self) -> int:
        if self.sem is None:
            return self.puts
        return _semlock_count(self.sem) - self.base + self.gets

    def backlog(self) -> "Optional[int]":
        queue = self.ref()
        if queue is None or self.sem is None:
            return None
        try:
            return max(0, int(queue._maxsize - self.sem._semlock._get_value()))
        except Exception:
            return None  # macOS has no sem_getvalue

    def counters_event(self) -> "Optional[Tuple[str, Dict[str, Any]]]":
        self.dirty = False
        if self.pid != counters.pid:
            return None
        fields: "Dict[str, Any]" = {"queue": self.id, "puts": self.put_count(), "gets": self.gets}
        if self.kind == ev.QUEUE_KIND_JOINABLE:
            fields["task_done"] = self.task_done
            fields["joins"] = self.joins
        backlog = self.backlog()
        if backlog is not None:
            fields["backlog"] = backlog
        snapshot = tuple(fields.values())
        if snapshot == self.last:
            return None
        self.last = snapshot
        return ev.QUEUE_COUNTERS, fields


def _semlock_count(lock: "Any") -> int:
    try:
        return int(lock._semlock._count()) if lock is not None else 0
    except Exception:
        return 0


_max: "Optional[int]" = None


def _sem_value_max() -> int:
    global _max
    if _max is None:
        synchronize = sys.modules.get("multiprocessing.synchronize")
        _max = int(getattr(synchronize, "SEM_VALUE_MAX", 2 ** 31 - 1))
    return _max


#: id(queue) -> entry
_entries: "Dict[int, QueueEntry]" = {}
#: id(SemLock) -> (weak reference to it, entry, which lock)
_locks: "Dict[int, Tuple[Any, QueueEntry, int]]" = {}
#: thread id -> (entry, monotonic start) of the Queue.get running on that thread
_pending: "Dict[int, Tuple[QueueEntry, float]]" = {}


def _forget(ref: "Any") -> None:
    for key, entry in list(_entries.items()):
        if entry.ref is ref:
            del _entries[key]
    for key, (_, entry, _role) in list(_locks.items()):
        if entry.ref is ref:
            del _locks[key]


def _register_lock(lock: "Any", entry: QueueEntry, role: int) -> None:
    if lock is not None:
        _locks[id(lock)] = (weakref.ref(lock), entry, role)


def entry_of(queue: "Any") -> "Optional[QueueEntry]":
    entry = _entries.get(id(queue))
    return entry if entry is not None and entry.ref() is queue else None


def _follow(queue: "Any", kind: str) -> QueueEntry:
    global _exit_registered
    if kind == ev.QUEUE_KIND_SIMPLE:
        entry = QueueEntry(semlock_id(queue._rlock), kind, queue)
        _register_lock(queue._rlock, entry, _RLOCK)
        _register_lock(getattr(queue, "_wlock", None), entry, _WLOCK)
        try:
            entry.reader_fd = queue._reader.fileno()
        except Exception:
            pass
    else:
        entry = QueueEntry(semlock_id(queue._sem), kind, queue)
        _register_lock(queue._sem, entry, _SEM)
        _register_lock(queue._rlock, entry, _RLOCK)
    _entries[id(queue)] = entry
    if not _exit_registered:
        _exit_registered = True
        counters.at_exit(_at_exit)
    return entry


def _kind_of(queue: "Any") -> str:
    module = sys.modules.get("multiprocessing.queues")
    if module is not None and isinstance(queue, getattr(module, "JoinableQueue", ())):
        return ev.QUEUE_KIND_JOINABLE
    if module is not None and isinstance(queue, getattr(module, "SimpleQueue", ())):
        return ev.QUEUE_KIND_SIMPLE
    return ev.QUEUE_KIND_QUEUE


def _user_frame_above(frame: "Optional[FrameType]") -> "Optional[FrameType]":
    """The frame that asked for the queue, when it is user code (not a Pool or executor of multiprocessing's)."""
    queues_file = _queues_file
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename != queues_file and filename != _context_file:
            if kind_of(filename) == INTERNAL:
                return None
            # A user's subclass __init__ (super().__init__) is the user's creation too.
            return frame
        frame = frame.f_back
    return None


def _on_created(queue: "Any", init_frame: "FrameType", kind: str) -> None:
    above = _user_frame_above(init_frame.f_back)
    if above is None or entry_of(queue) is not None:
        return
    entry = _follow(queue, kind)
    entry.creator = counters.pid
    fields: "Dict[str, Any]" = {"queue": entry.id, "queue_kind": kind}
    maxsize = getattr(queue, "_maxsize", None)
    fields["maxsize"] = maxsize if entry.bounded else None
    cls = type(queue)
    if cls.__module__ != "multiprocessing.queues":
        fields["class"] = qualified_name(cls)
    site = caller_site(above, constructing=queue)
    if site is not None:
        fields["site"] = site
    waits.emit(ev.QUEUE_CREATED, fields)


def _on_received(queue: "Any", kind: str) -> None:
    if entry_of(queue) is not None:
        return
    if type(queue).__module__.startswith("concurrent.futures"):
        return  # ProcessPoolExecutor's call queue
    entry = _follow(queue, kind)
    # A Pool or executor worker receives multiprocessing's own SimpleQueues; its role is
    # known only once its run() begins, so the decision waits for the first use.
    entry.tentative = kind == ev.QUEUE_KIND_SIMPLE


def _on_reset_lookup(queue: "Any", frame: "FrameType") -> None:
    code = frame.f_code
    if code is _codes.get("init"):
        _on_created(queue, frame, _kind_of(queue))
    elif code is _codes.get("setstate"):
        _on_received(queue, _kind_of(queue))


def _on_simple_poll_set(queue: "Any", previous: "Any", value: "Any") -> None:
    frame = sys._getframe(3)  # here <- Hook.run <- ObservedAttribute.__set__ <- the method that assigned
    if frame.f_code is _codes.get("simple_init"):
        _on_created(queue, frame, ev.QUEUE_KIND_SIMPLE)
    elif frame.f_code is _codes.get("simple_setstate"):
        _on_received(queue, ev.QUEUE_KIND_SIMPLE)


# -- hot paths ------------------------------------------------------------------


def _lookup_entry(lock: "Any") -> "Optional[Tuple[Any, QueueEntry, int]]":
    found = _locks.get(id(lock))
    if found is None or found[0]() is not lock:
        return None
    entry = found[1]
    if entry.tentative:
        agent = _agent.current()
        if agent is not None and agent.role in _WORKER_ROLES:
            _forget(entry.ref)
            return None
        entry.tentative = False
    if entry.pid != counters.pid:
        entry.begin_process()
    entry.used = True
    return found


def _changed(entry: QueueEntry) -> None:
    if not entry.dirty:
        entry.dirty = True
        counters._dirty[id(entry)] = entry
    if _monotonic() >= counters._next_flush:
        counters.flush()


def _put_lookup(op: int, lock: "Any", frame: "FrameType") -> None:
    if op != semlocks.ACQUIRE:
        return
    found = _lookup_entry(lock)
    if found is None or found[2] != _SEM:
        return
    entry = found[1]
    if entry.bounded:
        semlock = lock._semlock
        try:
            full = semlock._get_value() == 0
        except Exception:
            full = False
        if full:
            _time_blocked_put(entry, semlock, frame)
    _changed(entry)


def _time_blocked_put(entry: QueueEntry, semlock: "Any", frame: "FrameType") -> None:
    started = _monotonic()
    count = semlock._count()

    def on_end(ended: float, how: int) -> None:
        if how == waitclock.NOT_CALLED or ended - started < waits.threshold():
            return
        if how == waitclock.RAISED:
            outcome = waits.OUTCOME_INTERRUPTED
        else:
            outcome = waits.OUTCOME_OK if semlock._count() != count else waits.OUTCOME_TIMEOUT
        _report(entry, "put", started, ended, outcome, frame)
        _changed(entry)

    waitclock.until_c_call_ends(frame, lambda c, a: waitclock.is_method(c, a, semlock, "acquire"), on_end)


def _get_lookup(op: int, lock: "Any", frame: "FrameType") -> None:
    found = _lookup_entry(lock)
    if found is None:
        return
    entry, role = found[1], found[2]
    if role == _RLOCK:
        if op == semlocks.RELEASE:  # the `finally` of a get with a timeout
            pending = _pending.pop(_get_ident(), None)
            if pending is not None and pending[0] is entry:
                exc = sys.exc_info()[1]
                outcome = waits.OUTCOME_TIMEOUT if type(exc).__name__ == "Empty" else waits.OUTCOME_INTERRUPTED
                ended = _monotonic()
                if ended - pending[1] >= waits.threshold():
                    _report(entry, "get", pending[1], ended, outcome, frame)
        else:  # with self._rlock / self._rlock.acquire(block, timeout): the get begins
            _pending[_get_ident()] = (entry, _monotonic())
    elif role == _SEM and op == semlocks.RELEASE:  # an item was taken
        entry.gets += 1
        pending = _pending.pop(_get_ident(), None)
        if pending is not None and pending[0] is entry:
            ended = _monotonic()
            if ended - pending[1] >= waits.threshold():
                _report(entry, "get", pending[1], ended, waits.OUTCOME_OK, frame)
        _changed(entry)


def _task_done_lookup(op: int, lock: "Any", frame: "FrameType") -> None:
    if op != semlocks.ACQUIRE:
        return
    found = _lookup_entry(lock)
    if found is None:
        queue = frame.f_locals.get("self")
        entry = entry_of(queue) if queue is not None else None
        if entry is None or getattr(queue, "_unfinished_tasks", None) is not lock:
            return
        _register_lock(lock, entry, _UNFINISHED)
        found = _lookup_entry(lock)
        if found is None:
            return
    entry = found[1]
    entry.task_done += 1
    _changed(entry)


def join_waited(queue: "Any", started: float, ended: float, frame: "FrameType") -> None:
    """A ``JoinableQueue.join()`` waited from ``started`` to ``ended`` (called by ``sync.py``)."""
    entry = entry_of(queue)
    if entry is None:
        return
    if entry.pid != counters.pid:
        entry.begin_process()
    entry.used = True
    entry.joins += 1
    if ended - started >= waits.threshold():
        _report(entry, "join", started, ended, waits.OUTCOME_OK, frame)
    _changed(entry)


def _simple_get_lookup(op: int, lock: "Any", frame: "FrameType") -> None:
    if op != semlocks.ENTER:
        return
    found = _lookup_entry(lock)
    if found is None or found[2] != _RLOCK:
        return
    entry = found[1]
    if entry.reader_fd >= 0 and not _readable(entry.reader_fd):
        started = _monotonic()

        def on_end(ended: float, how: int) -> None:
            if how == waitclock.RETURNED:
                entry.gets += 1
                _changed(entry)
                if ended - started >= waits.threshold():
                    _report(entry, "get", started, ended, waits.OUTCOME_OK, frame)

        code = _codes.get("simple_get")
        if code is not None and waitclock.until_returns(code, on_end):
            return
    entry.gets += 1
    _changed(entry)


def _simple_put_lookup(op: int, lock: "Any", frame: "FrameType") -> None:
    if op != semlocks.ENTER:
        return
    found = _lookup_entry(lock)
    if found is None or found[2] != _WLOCK:
        return
    entry = found[1]
    entry.puts += 1
    _changed(entry)


def _readable(fd: int) -> bool:
    """Whether a read on ``fd`` would return at once (True when that cannot be told)."""
    try:
        import select

        poller = select.poll()
        poller.register(fd, select.POLLIN)
        return bool(poller.poll(0))
    except Exception:
        return True


def _report(entry: QueueEntry, op: str, started: float, ended: float, outcome: str, frame: "FrameType") -> None:
    fields: "Dict[str, Any]" = {"queue": entry.id, "op": op}
    fields.update(waits.wait_fields(started, ended, outcome, frame))
    waits.emit(ev.QUEUE_BLOCKED, fields)


# -- process end ---------------------------------------------------------------


def _at_exit() -> None:
    for entry in list(_entries.values()):
        _exit_hook.run(_leftover, entry)


def _leftover(entry: QueueEntry) -> None:
    here = entry.creator == counters.pid or (entry.used and entry.pid == counters.pid)
    if not here:
        return
    if entry.pid == counters.pid and entry.used:
        entry.dirty = True
        counters._dirty[id(entry)] = entry
    queue = entry.ref()
    if queue is None:
        return
    backlog = entry.backlog()
    buffered = 0
    buffer = getattr(queue, "_buffer", None)
    if buffer is not None and entry.used:
        try:
            buffered = len(buffer)
        except Exception:
            buffered = 0
    if entry.kind == ev.QUEUE_KIND_SIMPLE:
        try:
            if not queue.empty():
                backlog = None
                waits.emit(ev.QUEUE_LEFTOVER, {"queue": entry.id, "backlog": None, "buffered": 0})
        except Exception:
            pass
        return
    if backlog or buffered:
        waits.emit(ev.QUEUE_LEFTOVER, {"queue": entry.id, "backlog": backlog, "buffered": buffered})


# -- patching -------------------------------------------------------------------

_codes: "Dict[str, CodeType]" = {}
_queues_file: "Optional[str]" = None
_context_file: "Optional[str]" = None


def patch(queues: "Any") -> None:
    """Called once ``multiprocessing.queues`` is imported."""
    global _queues_file, _context_file
    if _codes:
        return
    queue_class = queues.Queue
    joinable = queues.JoinableQueue
    simple = queues.SimpleQueue
    _queues_file = queues.__file__
    _context_file = getattr(sys.modules.get("multiprocessing.context"), "__file__", None)
    reset_name = "_reset" if "_reset" in queue_class.__dict__ else "_after_fork"
    for key, function in (("init", queue_class.__init__), ("setstate", queue_class.__setstate__),
                          ("put", queue_class.put), ("get", queue_class.get), ("jput", joinable.put),
                          ("task_done", joinable.task_done), ("join", joinable.join),
                          ("simple_init", simple.__init__), ("simple_setstate", simple.__setstate__),
                          ("simple_get", simple.get), ("simple_put", simple.put)):
        code = getattr(function, "__code__", None)
        if code is not None:
            _codes[key] = code
    semlocks.route(_codes.get("put"), _put_lookup)
    semlocks.route(_codes.get("jput"), _put_lookup)
    semlocks.route(_codes.get("get"), _get_lookup)
    semlocks.route(_codes.get("task_done"), _task_done_lookup)
    semlocks.route(_codes.get("simple_get"), _simple_get_lookup)
    semlocks.route(_codes.get("simple_put"), _simple_put_lookup)
    from mpscope.hooks import sync

    sync.codes.join = _codes.get("join")
    observe_lookups(queue_class, reset_name, _on_reset_lookup, _created_hook)
    from mpscope.hooks.attributes import observe_attribute

    observe_attribute(simple, "_poll", _on_simple_poll_set, _created_hook)
