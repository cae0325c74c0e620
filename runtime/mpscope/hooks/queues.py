"""multiprocessing's Queue, JoinableQueue and SimpleQueue: creation, counts, long waits, leftovers.

Nothing the user calls is wrapped, so ``queue.Full``, ``queue.Empty`` and a
pickling error keep their tracebacks. What is observed:

* creation: ``Queue.__init__`` and ``__setstate__`` (a queue arriving in a
  spawned child) both end by calling ``self._reset()`` (3.8:
  ``self._after_fork()``), whose lookup is observed; a SimpleQueue's
  ``_wlock`` assignment (``hooks/assignments.py``) plays that part for it. Queues that multiprocessing or
  concurrent.futures create for themselves (Pool, ProcessPoolExecutor) are not
  followed; ``queue.created`` is sent by the process that created a queue in
  user code.
* puts, without any cost of their own: a Queue's ``_sem`` counts free slots,
  and its C SemLock counts acquires minus releases made by this process, so
  ``puts = _sem._count() + gets`` (a put whose item could not be pickled is
  released by the feeder thread and so not counted, as it never was queued).
* gets: ``Queue.get`` begins by taking ``_rlock`` (``with``, or ``acquire`` with a
  timeout). That lookup (``semlocks.py``; the queue's locks are registered
  there, so no frame is looked at) is the only observer on the get path. A
  queue that holds items cannot make the get wait: it is counted there. On an
  empty queue ``waitclock`` times the get until it returns, and the
  semaphore's count says whether it took an item.
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

import functools
import os
import sys
import time
import weakref

from mpscope import agent as _agent
from mpscope import events as ev
from mpscope import waitclock
from mpscope.guard import Hook
from mpscope.hooks import counters, semlocks, waits
from mpscope.hooks.assignments import observe_assignments
from mpscope.hooks.identity import semlock_id
from mpscope.hooks.lookup import observe_lookups
from mpscope.roles import qualified_name
from mpscope.userframes import INTERNAL, caller_site, kind_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import CodeType, FrameType
    from typing import Any, Dict, Optional, Tuple

_created_hook = Hook("queue.created")
_exit_hook = Hook("queue.leftover")
_exit_registered = False

_monotonic = time.monotonic
_state = counters.state

# Which of a queue's SemLocks a lookup was about (see semlocks.owned).
_SEM = semlocks.SLOTS  # Queue._sem (free slots): acquired by put
_RLOCK = semlocks.READERS  # readers' lock: taken when a get begins
_WLOCK = semlocks.WRITERS  # SimpleQueue writers' lock: taken by put after pickling
_UNFINISHED = semlocks.UNFINISHED  # JoinableQueue._unfinished_tasks: acquired by task_done

_WORKER_ROLES = (ev.ROLE_POOL_WORKER, ev.ROLE_EXECUTOR_WORKER)

_codes: "Dict[str, CodeType]" = {}
_queues_file: "Optional[str]" = None
_context_file: "Optional[str]" = None


class QueueEntry:
    """What this process knows about one followed queue."""

    __slots__ = ("id", "kind", "ref", "sem", "csem", "value", "slots", "bounded", "pid", "base", "gets", "puts",
                 "task_done", "joins", "creator", "used", "dirty", "quiet", "last", "tentative", "reader_fd",
                 "fork_count", "rlock")

    def __init__(self, ident: str, kind: str, queue: "Any") -> None:
        self.id = ident
        self.kind = kind
        self.ref = weakref.ref(queue, functools.partial(_forget, id(queue)))
        self.sem = getattr(queue, "_sem", None)  # Queue, JoinableQueue
        csem = getattr(self.sem, "_semlock", None)  # its C semaphore
        try:
            if csem is not None:
                csem._get_value()
        except Exception:
            csem = None  # no sem_getvalue (macOS): gets are not timed
        self.csem = csem  # None for a SimpleQueue too
        self.value = csem._get_value if csem is not None else None  # for semlocks._ENTER_PROLOGUE
        rlock = getattr(queue, "_rlock", None)
        # weakly: the lock holds this entry (semlocks.mark_queue_lock), and a cycle would delay its finalizer
        self.rlock = weakref.ref(rlock) if rlock is not None else None
        maxsize = getattr(queue, "_maxsize", None)
        self.slots = maxsize if isinstance(maxsize, int) else 0  # _sem's value when the queue is empty
        self.bounded = isinstance(maxsize, int) and maxsize < _sem_value_max()
        self.creator = 0  # this process's pid if it created the queue
        self.tentative = False
        self.reader_fd = -1
        self.fork_count = 0  # its semaphore's count in this process when it forked (see _settle_unobserved)
        self.begin_process()

    def begin_process(self) -> None:
        """Counts start from zero in each process that uses the queue."""
        self.pid = _state.pid
        self.base = _semlock_count(self.sem)
        self.gets = 0
        self.puts = 0  # SimpleQueue only (Queue puts come from the semaphore)
        self.task_done = 0
        self.joins = 0
        self.dirty = False
        self.quiet = False  # see semlocks.owned: the common lookups need nothing but a count
        self._inline(False)
        self.used = False
        self.last: "Optional[Tuple[Any, ...]]" = None

    def put_count(self) -> int:
        if self.sem is None:
            return self.puts
        return max(0, _semlock_count(self.sem) - self.base + self.gets)

    def backlog(self) -> "Optional[int]":
        queue = self.ref()
        if queue is None or self.sem is None:
            return None
        try:
            return max(0, int(queue._maxsize - self.sem._semlock._get_value()))
        except Exception:
            return None  # macOS has no sem_getvalue

    def _inline(self, on: bool) -> None:
        """Whether the rebuilt SemLock.__enter__ counts this queue's gets inline (its readers' lock says)."""
        lock = self.rlock() if self.rlock is not None else None
        if lock is not None and self.csem is not None:
            semlocks.mark_queue_lock(lock, self if on else semlocks.SLOW)

    def counters_event(self) -> "Optional[Tuple[str, Dict[str, Any]]]":
        self.dirty = False
        if self.quiet:
            self.quiet = False
            self._inline(False)
        if self.pid != _state.pid:
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
#: id(SemLock) -> (entry, which lock); semlocks sends their lookups to _on_lookup.
_locks: "Dict[int, Tuple[Any, int]]" = semlocks.owned
#: id(queue) -> ids of its locks, for the queues of multiprocessing's own (ignored) and followed ones
_lock_ids: "Dict[int, Tuple[int, ...]]" = {}
_ignored: "Dict[int, Any]" = {}  # id(queue) -> weak reference, for ignored queues


def _forget(key: int, ref: "Any", entries: "Dict[int, Any]" = _entries, ignored: "Dict[int, Any]" = _ignored,
            lock_ids: "Dict[int, Any]" = _lock_ids, locks: "Dict[int, Any]" = _locks) -> None:
    """The queue ``id(queue) == key`` died: its locks leave ``semlocks.owned`` before they die.

    A weak reference callback (``functools.partial(_forget, key)``), possibly run
    while the interpreter shuts down and module globals are gone: it uses only
    its arguments and may not raise.
    """
    try:
        for table in (entries, ignored):
            value = table.get(key)
            if value is not None and (value is ref or getattr(value, "ref", None) is ref):
                del table[key]
                for lock_id in lock_ids.pop(key, ()):
                    locks.pop(lock_id, None)
    except Exception:
        pass


def _register_lock(lock: "Any", queue: "Any", owner: "Any", role: int) -> None:
    if lock is not None and hasattr(lock, "_semlock"):
        _locks[id(lock)] = (owner, role)
        _lock_ids[id(queue)] = _lock_ids.get(id(queue), ()) + (id(lock),)
        if role == _RLOCK:
            semlocks.mark_queue_lock(lock, semlocks.SLOW)
        elif role == semlocks.IGNORED:
            semlocks.mark_queue_lock(lock, semlocks.IGNORED_QUEUE)


def _ignore(queue: "Any") -> None:
    """A queue of multiprocessing's own (Pool, executor): its lookups return at once."""
    key = id(queue)
    _forget_key(key)
    _ignored[key] = weakref.ref(queue, functools.partial(_forget, key))
    for name in ("_sem", "_rlock", "_wlock", "_unfinished_tasks"):
        _register_lock(getattr(queue, name, None), queue, None, semlocks.IGNORED)
    sem = getattr(queue, "_sem", None)
    if sem is not None:
        semlocks.bypass_put_observer(sem)


def _forget_key(key: int) -> None:
    _entries.pop(key, None)
    _ignored.pop(key, None)
    for lock_id in _lock_ids.pop(key, ()):
        _locks.pop(lock_id, None)


def entry_of(queue: "Any") -> "Optional[QueueEntry]":
    entry = _entries.get(id(queue))
    return entry if entry is not None and entry.ref() is queue else None


def _follow(queue: "Any", kind: str) -> QueueEntry:
    global _exit_registered
    if kind == ev.QUEUE_KIND_SIMPLE:
        entry = QueueEntry(semlock_id(queue._rlock), kind, queue)
        _register_lock(queue._rlock, queue, entry, _RLOCK)
        _register_lock(getattr(queue, "_wlock", None), queue, entry, _WLOCK)
        try:
            entry.reader_fd = queue._reader.fileno()
        except Exception:
            pass
    else:
        entry = QueueEntry(semlock_id(queue._sem), kind, queue)
        _register_lock(queue._sem, queue, entry, _SEM)
        _register_lock(queue._rlock, queue, entry, _RLOCK)
        if not entry.bounded:
            semlocks.bypass_put_observer(queue._sem)
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


# -- creation -------------------------------------------------------------------


def _user_frame_above(frame: "Optional[FrameType]") -> "Optional[FrameType]":
    """The frame that asked for the queue, when it is user code (not a Pool or executor of multiprocessing's)."""
    while frame is not None:
        filename = frame.f_code.co_filename
        if filename != _queues_file and filename != _context_file:
            return None if kind_of(filename) == INTERNAL else frame
        frame = frame.f_back
    return None


def _on_created(queue: "Any", init_frame: "FrameType", kind: str) -> None:
    if entry_of(queue) is not None:
        return
    above = _user_frame_above(init_frame.f_back)
    if above is None:
        _ignore(queue)
        return
    entry = _follow(queue, kind)
    entry.creator = _state.pid
    fields: "Dict[str, Any]" = {"queue": entry.id, "queue_kind": kind}
    fields["maxsize"] = getattr(queue, "_maxsize", None) if entry.bounded else None
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
        _ignore(queue)  # ProcessPoolExecutor's call queue
        return
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


def _on_simple_wlock_set(queue: "Any", value: "Any") -> None:
    frame = sys._getframe(3)  # here <- Hook.run <- AssignmentObserver.__set__ <- the assigning method
    if frame.f_code is _codes.get("simple_init"):
        _on_created(queue, frame, ev.QUEUE_KIND_SIMPLE)
    elif frame.f_code is _codes.get("simple_setstate"):
        _on_received(queue, ev.QUEUE_KIND_SIMPLE)


def _on_unfinished_set(queue: "Any", value: "Any") -> None:
    """JoinableQueue.__init__/__setstate__ set _unfinished_tasks after Queue's part made the entry."""
    entry = entry_of(queue)
    if entry is not None:
        _register_lock(value, queue, entry, _UNFINISHED)
    elif id(queue) in _ignored:
        _register_lock(value, queue, None, semlocks.IGNORED)


# -- hot paths ------------------------------------------------------------------


def _refresh(entry: QueueEntry) -> bool:
    """First use in this process: start its counts, settle a received queue; False to ignore it."""
    if entry.tentative:
        agent = _agent.current()
        queue = entry.ref()
        if agent is not None and agent.role in _WORKER_ROLES and queue is not None:
            _ignore(queue)
            return False
        entry.tentative = False
    if entry.pid != _state.pid:
        entry.begin_process()
    return True


def _changed(entry: QueueEntry) -> None:
    """Send what is due, then mark ``entry`` for the next send.

    Called before a count changes: lookups come before the operation (the
    semaphore's own count, which puts are derived from, changes only after),
    so what is sent here is a consistent picture of the moment before it.
    """
    if _monotonic() >= _state.next_flush:
        counters.flush()
    if not entry.dirty:
        _mark(entry)


def _mark(entry: QueueEntry) -> None:
    entry.dirty = True
    entry.used = True
    entry.quiet = entry.pid == _state.pid and not entry.tentative  # see semlocks._ENTER_PROLOGUE
    if entry.quiet:
        entry._inline(True)
    counters._dirty[id(entry)] = entry


def _on_lookup(entry: QueueEntry, role: int, op: int, lock: "Any", depth: int) -> None:
    """``semlocks.owned_handler``: a lookup of ``acquire``/``__enter__`` on a followed queue's lock.

    The common get (from a queue that holds items, while nothing is due) never
    comes here: the rebuilt ``SemLock.__enter__`` counts it inline; neither does
    a put on an unbounded queue. ``depth``: frames from here up to the caller.
    """
    if (entry.pid != _state.pid or entry.tentative) and not _refresh(entry):
        return
    if role == _RLOCK:  # a get begins
        csem = entry.csem
        if csem is not None and csem._get_value() >= entry.slots:  # empty: the get will wait
            frame = sys._getframe(depth)
            local = frame.f_locals
            if local.get("block", True):  # (get_nowait() on an empty queue raises queue.Empty)
                _time_blocked_get(entry, frame, local.get("timeout") is not None)
            return
        if entry.sem is None:
            _simple_get(entry, sys._getframe(depth))
            return
    elif role == _SEM:  # Queue.put / JoinableQueue.put: _sem.acquire(block, timeout)
        csem = entry.csem
        if entry.bounded and csem is not None and csem._get_value() == 0:  # full: the put will wait
            _time_blocked_put(entry, csem, sys._getframe(depth))
    elif role == _WLOCK:  # SimpleQueue.put, after pickling
        _changed(entry)
        entry.puts += 1
        return
    elif role == _UNFINISHED and op == semlocks.ACQUIRE:  # JoinableQueue.task_done
        _changed(entry)
        entry.task_done += 1
        return
    if _monotonic() >= _state.next_flush:
        counters.flush()
    if role == _RLOCK:
        entry.gets += 1
    if not entry.dirty:
        _mark(entry)


def _time_blocked_put(entry: QueueEntry, semlock: "Any", frame: "FrameType") -> None:
    started = _monotonic()
    count = semlock._count()
    site = waits.site_of(frame)

    def on_end(ended: float, how: int, value: "Any") -> None:
        if how == waitclock.NOT_CALLED or ended - started < waits.threshold():
            return
        if how == waitclock.RAISED:
            outcome = waits.OUTCOME_INTERRUPTED
        else:
            outcome = waits.OUTCOME_OK if semlock._count() != count else waits.OUTCOME_TIMEOUT
        _report(entry, "put", started, ended, outcome, site)
        _changed(entry)

    waitclock.until_c_call_ends(frame, lambda c, a: waitclock.is_method(c, a, semlock, "acquire"), on_end)


def _time_blocked_get(entry: QueueEntry, frame: "FrameType", timed: bool) -> None:
    """A get on an empty queue: timed until it has an item or gives up.

    Without a timeout, ``get`` returns once it has one (or raises). With one,
    it waits in ``self._poll(timeout)`` and raises ``queue.Empty`` when that
    returns False; the return of that ``poll`` is watched instead, because a
    frame that ends by an exception is not always seen (``waitclock``).
    """
    semlock: "Any" = entry.csem  # not None: the caller saw the queue empty through it
    started = _monotonic()
    count = semlock._count()
    site = waits.site_of(frame)

    def on_end(ended: float, how: int, value: "Any") -> None:
        if timed:
            got = bool(value)  # poll() found data: the get takes it
        else:
            got = semlock._count() != count  # the get released _sem: it took an item
        if got:
            _changed(entry)
            entry.gets += 1
        if ended - started >= waits.threshold():
            outcome = waits.OUTCOME_OK if got else (waits.OUTCOME_TIMEOUT if timed else waits.OUTCOME_INTERRUPTED)
            _report(entry, "get", started, ended, outcome, site)

    code = _codes.get("poll" if timed else "get")
    if code is None or not waitclock.until_returns(code, on_end):
        _changed(entry)
        entry.gets += 1  # cannot be timed: counted as if it will succeed


def _simple_get(entry: QueueEntry, frame: "FrameType") -> None:
    if entry.reader_fd >= 0 and not _readable(entry.reader_fd):
        started = _monotonic()
        site = waits.site_of(frame)

        def on_end(ended: float, how: int, value: "Any") -> None:
            if how == waitclock.RETURNED:
                _changed(entry)
                entry.gets += 1
                if ended - started >= waits.threshold():
                    _report(entry, "get", started, ended, waits.OUTCOME_OK, site)

        code = _codes.get("simple_get")
        if code is not None and waitclock.until_returns(code, on_end):
            return
    _changed(entry)
    entry.gets += 1


def _readable(fd: int) -> bool:
    """Whether a read on ``fd`` would return at once (True when that cannot be told)."""
    try:
        import select

        poller = select.poll()
        poller.register(fd, select.POLLIN)
        return bool(poller.poll(0))
    except Exception:
        return True


def join_waited(entry: QueueEntry, started: float, ended: float, site: "Optional[Dict[str, Any]]") -> None:
    """A ``JoinableQueue.join()`` waited from ``started`` to ``ended`` (called by ``sync.py``)."""
    if entry.ref() is None or not _refresh(entry):
        return
    _changed(entry)
    entry.joins += 1
    if ended - started >= waits.threshold():
        _report(entry, "join", started, ended, waits.OUTCOME_OK, site)


def _report(entry: QueueEntry, op: str, started: float, ended: float, outcome: str,
            site: "Optional[Dict[str, Any]]") -> None:
    fields: "Dict[str, Any]" = {"queue": entry.id, "op": op}
    fields.update(waits.wait_fields(started, ended, outcome, site))
    waits.emit(ev.QUEUE_BLOCKED, fields)


# -- process end ---------------------------------------------------------------


def _at_exit() -> None:
    for entry in list(_entries.values()):
        _exit_hook.run(_leftover, entry)


def _settle_unobserved(entry: QueueEntry) -> None:
    """Puts on an unbounded queue run no code of ours: a process that only put still counts them at exit."""
    if entry.sem is None or (entry.pid == _state.pid and entry.used):
        return
    if entry.pid != _state.pid:
        # Inherited by fork: multiprocessing's children start their semaphores' counts at zero
        # (SemLock._after_fork); a bare os.fork() child keeps the count it had at the fork.
        agent = _agent.current()
        base = entry.fork_count if agent is not None and agent.origin == _agent.ORIGIN_FORK else 0
        entry.begin_process()
        entry.base = base
    if entry.put_count() > 0:
        _mark(entry)


def _leftover(entry: QueueEntry) -> None:
    _settle_unobserved(entry)
    used_here = entry.used and entry.pid == _state.pid
    if not used_here and entry.creator != _state.pid:
        return
    if used_here:
        _mark(entry)  # the last counters go out with the finisher's flush
    queue = entry.ref()
    if queue is None:
        return
    if entry.kind == ev.QUEUE_KIND_SIMPLE:
        try:
            if not queue.empty():
                waits.emit(ev.QUEUE_LEFTOVER, {"queue": entry.id, "backlog": None, "buffered": 0})
        except Exception:
            pass  # closed
        return
    backlog = entry.backlog()
    buffered = 0
    buffer = getattr(queue, "_buffer", None)
    feeder = getattr(queue, "_thread", None)
    # Items still in the feeder's buffer are lost only if nobody will wait for the feeder:
    # multiprocessing joins it at exit unless cancel_join_thread() was called (on 3.13 that
    # join comes after this point, among a child's atexit handlers).
    if buffer is not None and used_here and (getattr(queue, "_joincancelled", False) or
                                             feeder is None or not feeder.is_alive()):
        try:
            buffered = len(buffer)
        except Exception:
            buffered = 0
    if backlog or buffered:
        waits.emit(ev.QUEUE_LEFTOVER, {"queue": entry.id, "backlog": backlog, "buffered": buffered})


# -- patching -------------------------------------------------------------------


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
                          ("get", queue_class.get), ("join", joinable.join), ("simple_init", simple.__init__),
                          ("simple_setstate", simple.__setstate__), ("simple_get", simple.get)):
        code = getattr(function, "__code__", None)
        if code is not None:
            _codes[key] = code
    connection = sys.modules.get("multiprocessing.connection")
    poll_code = getattr(getattr(getattr(connection, "_ConnectionBase", None), "poll", None), "__code__", None)
    if poll_code is not None:
        _codes["poll"] = poll_code
    semlocks.owned_handler = _on_lookup
    semlocks.rename_put_lookup(queue_class.put)
    semlocks.rename_put_lookup(joinable.put)
    from mpscope.hooks import sync

    sync.codes.join = _codes.get("join")
    observe_lookups(queue_class, reset_name, _on_reset_lookup, _created_hook)
    observe_assignments(simple, "_wlock", _on_simple_wlock_set, _created_hook)
    observe_assignments(joinable, "_unfinished_tasks", _on_unfinished_set, _created_hook)


def _after_fork_in_child() -> None:
    for entry in list(_entries.values()):
        entry.fork_count = _semlock_count(entry.sem)
        if entry.quiet:
            # The parent's gets were counted inline; the child's first get must take the slow
            # path, which starts this process's counts and marks them to be sent.
            entry.quiet = False
            entry._inline(False)


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
