"""Lock, RLock, Semaphore, BoundedSemaphore, Condition, Event and Barrier: creation and long waits.

* ``sync.created``: sent by the process that created a primitive in user code
  (the primitives inside queues, conditions, events, barriers and ``Value``
  are parts of those, not primitives of their own). Seen when the new
  SemLock's ``__init__`` looks up ``_make_methods``; the frames above say what
  it is part of.
* ``sync.wait``: a wait that lasted at least ``wait_threshold_ms``, sent when it
  ends by the process that waited.

  - ``acquire()`` / ``with`` on a Lock, RLock, Semaphore or BoundedSemaphore in
    user code (also ``with cond:`` and ``with value:`` of a ``Value``): the
    lookup (``semlocks.py``) checks whether the lock is free; only when it is
    not, ``waitclock`` reports when the call returns.
  - ``Condition.wait`` (and so ``Event.wait``, ``Barrier.wait`` and
    ``JoinableQueue.join``): its lookup of ``_wait_semaphore.acquire`` starts
    the sleep, ``waitclock`` sees that acquire return. The frames above it say
    whose wait it is.

Holder (``holder_pid``, known when the wait begins): another thread of the
waiting process, or the process that last acquired the lock according to
the run's shared table (``hooks/holders.py``), which every process writes when
user code takes a user's lock. Locks created in user code, and locks that
arrive in a child, are registered for that (``semlocks.USER``).
"""

import functools
import os
import sys
import time
import weakref

from mpscope import events as ev
from mpscope import waitclock
from mpscope.guard import Hook
from mpscope.hooks import counters, holders, semlocks, waits
from mpscope.hooks.identity import semlock_id
from mpscope.hooks.lookup import observe_lookups
from mpscope.userframes import INTERNAL, caller_site, kind_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import CodeType, FrameType
    from typing import Any, Dict, Optional, Set, Tuple

_created_hook = Hook("sync.created")
_acquire_hook = Hook("sync.acquire")
_condition_hook = Hook("sync.condition-wait")

RECURSIVE_MUTEX = 0  # _multiprocessing.SemLock.kind of an RLock

_KINDS = ("Lock", "RLock", "BoundedSemaphore", "Semaphore")


class _Codes:
    semlock_init: "Optional[CodeType]" = None
    part_inits: "Set[CodeType]" = set()  # __init__ of Lock, RLock, Semaphore, BoundedSemaphore
    condition_init: "Optional[CodeType]" = None
    condition_wait: "Optional[CodeType]" = None
    condition_wait_for: "Optional[CodeType]" = None
    condition_enter: "Optional[CodeType]" = None
    event_init: "Optional[CodeType]" = None
    event_wait: "Optional[CodeType]" = None
    barrier_init: "Optional[CodeType]" = None
    barrier_waits: "Set[CodeType]" = set()  # threading.Barrier._wait / _enter (the mp Barrier inherits them)
    join: "Optional[CodeType]" = None  # JoinableQueue.join, set by queues.py


codes = _Codes()
_context_file: "Optional[str]" = None

#: thread id -> (id of the Condition.wait frame, id of its _wait_semaphore). Ids, not objects:
#: a kept frame would keep the caller's locals alive after the wait.
_condition_waits: "Dict[int, Tuple[int, int]]" = {}


def _code(cls: "Any", name: str) -> "Optional[CodeType]":
    function = cls.__dict__.get(name) if cls is not None else None
    return getattr(function, "__code__", None)


def patch(synchronize: "Any") -> None:
    """Called once ``multiprocessing.synchronize`` is imported."""
    if not semlocks.patch(synchronize):
        return
    global _context_file
    _context_file = getattr(sys.modules.get("multiprocessing.context"), "__file__", None)
    codes.semlock_init = _code(synchronize.SemLock, "__init__")
    codes.part_inits = {c for c in (_code(getattr(synchronize, k, None), "__init__") for k in _KINDS) if c is not None}
    codes.condition_init = _code(synchronize.Condition, "__init__")
    codes.condition_wait = _code(synchronize.Condition, "wait")
    codes.condition_wait_for = _code(synchronize.Condition, "wait_for")
    codes.condition_enter = _code(synchronize.Condition, "__enter__")
    codes.event_init = _code(synchronize.Event, "__init__")
    codes.event_wait = _code(synchronize.Event, "wait")
    barrier = getattr(synchronize, "Barrier", None)
    codes.barrier_init = _code(barrier, "__init__")
    threading_barrier = sys.modules["threading"].Barrier
    codes.barrier_waits = {c for c in (_code(threading_barrier, "_wait"), _code(threading_barrier, "_enter")) if c}

    observe_lookups(synchronize.SemLock, "_make_methods", _on_make_methods, _created_hook)
    semlocks.set_user_route(_user_lookup)
    semlocks.user_acquired = _user_acquired
    semlocks.route(codes.condition_wait, _condition_wait_lookup)
    semlocks.route(codes.condition_enter, _delegated_lookup)


def patch_sharedctypes(sharedctypes: "Any") -> None:
    """``with value:`` on a synchronized Value/Array takes its lock on the user's behalf."""
    semlocks.route(_code(getattr(sharedctypes, "SynchronizedBase", None), "__enter__"), _delegated_lookup)


# -- creation -------------------------------------------------------------------


def _outside(frame: "Optional[FrameType]") -> "Optional[FrameType]":
    """The first frame above ``frame`` that is not a context method (``ctx.Lock()`` ...)."""
    while frame is not None and frame.f_code.co_filename == _context_file:
        frame = frame.f_back
    return frame


def _is_user(frame: "Optional[FrameType]") -> bool:
    return frame is not None and kind_of(frame.f_code.co_filename) != INTERNAL


class UserLock:
    """A Lock, RLock, Semaphore or BoundedSemaphore the user may take (``semlocks.USER``)."""

    # table/lo/hi/stamp/stamp_pid: what semlocks writes inline when this process takes the lock
    # (holders.stamp), prepared by the first acquire in each process.
    __slots__ = ("id", "kind", "slot", "ref", "table", "lo", "hi", "stamp", "stamp_pid", "__weakref__")

    def __init__(self, lock: "Any") -> None:
        self.id = semlock_id(lock)
        self.kind = kind_of_lock(lock)
        self.slot = holders.slot_of(self.id)
        self.ref = weakref.ref(lock, functools.partial(_drop, id(lock), semlocks.owned))
        self.table: "Any" = None
        self.lo = self.hi = 0
        self.stamp = b""
        self.stamp_pid = 0


def _drop(key: int, owned: "Dict[int, Any]", ref: "Any") -> None:
    # A weak reference callback, possibly run while the interpreter shuts down and module
    # globals are gone: it uses only its arguments and may not raise (that would print).
    try:
        found = owned.get(key)
        if found is not None and getattr(found[0], "ref", None) is ref:
            del owned[key]
    except Exception:
        pass


def _follow(lock: "Any") -> None:
    if id(lock) not in semlocks.owned:
        semlocks.owned[id(lock)] = (UserLock(lock), semlocks.USER)


def _user_acquired(owner: "UserLock") -> None:
    holders.record(owner.slot)
    prepared = holders.stamp(owner.slot)
    if prepared is not None:
        owner.table, owner.lo, owner.hi, owner.stamp = prepared
    owner.stamp_pid = counters.state.pid  # from now on semlocks writes the stamp inline


def _on_make_methods(lock: "Any", frame: "FrameType") -> None:
    if frame.f_code is not codes.semlock_init:
        # __setstate__: a lock arriving from another process. If it is part of a queue, the
        # queue's own registration replaces this one when the queue is rebuilt right after.
        _follow(lock)
        return
    above = frame.f_back
    while above is not None and above.f_code in codes.part_inits:
        above = above.f_back
    above = _outside(above)
    if above is None:
        return
    code = above.f_code
    if code is codes.condition_init:
        condition = above.f_locals.get("self")
        if condition is None or "_woken_count" not in vars(condition):
            return  # not yet its last semaphore (_wait_semaphore): the Condition is announced with that one
        owner = _outside(above.f_back)
        if owner is not None and owner.f_code is codes.barrier_init:
            parties = owner.f_locals.get("parties")
            fields = {"parties": parties} if isinstance(parties, int) and not isinstance(parties, bool) else {}
            _announce("Barrier", lock, _outside(owner.f_back), fields)
        elif _is_user(owner):
            _announce("Condition", lock, owner, {})
    elif code is codes.event_init:
        event = above.f_locals.get("self")
        if event is not None and "_cond" in vars(event):  # the Event's _flag: its last part
            _announce("Event", lock, _outside(above.f_back), {})
    elif _is_user(above):
        _follow(lock)
        extra: "Dict[str, Any]" = {}
        kind = kind_of_lock(lock)
        if kind in ("Semaphore", "BoundedSemaphore"):
            try:
                extra["value"] = lock._semlock._get_value()
            except Exception:
                pass
            if kind == "BoundedSemaphore":
                extra["maxvalue"] = lock._semlock.maxvalue
        _announce(kind, lock, above, extra)


def _announce(kind: str, identity_lock: "Any", site_frame: "Optional[FrameType]", fields: "Dict[str, Any]") -> None:
    if site_frame is None or not _is_user(site_frame):
        return
    created: "Dict[str, Any]" = {"sync": semlock_id(identity_lock), "sync_kind": kind}
    site = caller_site(site_frame)
    if site is not None:
        created["site"] = site
    created.update(fields)
    waits.emit(ev.SYNC_CREATED, created)


def kind_of_lock(lock: "Any") -> str:
    for cls in type(lock).__mro__:
        if cls.__module__ == "multiprocessing.synchronize" and cls.__name__ in _KINDS:
            return cls.__name__
    return "Lock"


# -- acquire in user code -------------------------------------------------------


def _delegated_lookup(op: int, lock: "Any", frame: "FrameType") -> None:
    """``with cond:`` / ``with value:``: the lock is taken for the user one frame up."""
    if not _is_user(frame.f_back):
        return
    if frame.f_code is codes.condition_enter:
        condition = frame.f_locals.get("self")
        identity = getattr(condition, "_wait_semaphore", None)
        if identity is not None:
            _user_lookup(op, lock, frame, identity, "Condition")
            return
    _user_lookup(op, lock, frame)


def _user_lookup(op: int, lock: "Any", frame: "FrameType", identity: "Any" = None, kind: "Optional[str]" = None) -> None:
    semlock = lock._semlock
    try:
        if semlock._get_value() > 0 or (semlock.kind == RECURSIVE_MUTEX and semlock._is_mine()):
            return  # free (or ours to re-enter): no wait
    except (NotImplementedError, OSError):
        return  # no sem_getvalue (macOS): waits are not timed
    holder = None
    found = semlocks.owned.get(id(lock))
    owner = found[0] if found is not None and found[1] == semlocks.USER else None
    try:
        if semlock.maxvalue == 1 and semlock._count() > 0:
            holder = os.getpid()  # this process holds it: another thread (or this one, deadlocked)
        elif owner is not None:
            known = holders.holder(owner.slot)
            if known is not None and known[0] != os.getpid():
                holder = known[0]
    except Exception:
        pass
    count = semlock._count()
    mine = semlock._is_mine()
    started = time.monotonic()
    site = waits.site_of(frame)
    sync_id = semlock_id(identity if identity is not None else lock)
    sync_kind = kind or kind_of_lock(lock)

    def on_end(ended: float, how: int, value: "Any") -> None:
        if how == waitclock.NOT_CALLED:
            return
        # ``with`` cannot time out; acquire() may (its return value is not seen): it got the lock if
        # this process's count of it changed, or it is now this thread's (the count is per process).
        acquired = how == waitclock.RETURNED and (op == semlocks.ENTER or semlock._count() != count or
                                                  (not mine and semlock._is_mine()))
        if acquired and owner is not None:
            holders.record(owner.slot)
        if ended - started < waits.threshold():
            return
        if how == waitclock.RAISED:
            outcome = waits.OUTCOME_INTERRUPTED
        else:
            outcome = waits.OUTCOME_OK if acquired else waits.OUTCOME_TIMEOUT
        fields: "Dict[str, Any]" = {"sync": sync_id, "sync_kind": sync_kind, "op": "acquire"}
        fields.update(waits.wait_fields(started, ended, outcome, site))
        if holder is not None:
            fields["holder_pid"] = holder
        waits.emit(ev.SYNC_WAIT, fields)

    if op == semlocks.ACQUIRE:
        waitclock.until_c_call_ends(frame, lambda c, a: waitclock.is_method(c, a, semlock, "acquire"), on_end)
    elif semlocks.enter_code is not None:
        waitclock.until_returns(semlocks.enter_code, on_end)


# -- Condition.wait -------------------------------------------------------------


def _condition_wait_lookup(op: int, lock: "Any", frame: "FrameType") -> None:
    # Condition.wait looks up acquire twice: on _wait_semaphore (the sleep; first) and, after
    # waking, on its _lock to take it back. The second must not start another wait.
    if op != semlocks.ACQUIRE:
        return
    thread = waitclock._get_ident()
    current = _condition_waits.get(thread)
    if current is not None and current[0] == id(frame) and current[1] != id(lock):
        condition = frame.f_locals.get("self")
        if getattr(condition, "_lock", None) is lock:
            return  # taking the condition's lock back after the wait
    _condition_waits[thread] = (id(frame), id(lock))
    started = time.monotonic()
    semlock = lock._semlock
    owner = _condition_owner(frame)  # now: frames must not be kept until the wait ends

    def on_end(ended: float, how: int, value: "Any") -> None:
        if how != waitclock.NOT_CALLED:
            _condition_hook.run(_condition_wait_ended, owner, started, ended)

    waitclock.until_c_call_ends(frame, lambda c, a: waitclock.is_method(c, a, semlock, "acquire"), on_end)


def _condition_owner(wait_frame: "FrameType") -> "Tuple[str, Any, Any]":
    """Whose wait a Condition.wait is: (kind, its id or a JoinableQueue's entry, the user's call site)."""
    condition = wait_frame.f_locals.get("self")
    caller = wait_frame.f_back
    if caller is not None and caller.f_code is codes.condition_wait_for:
        caller = caller.f_back
    code = caller.f_code if caller is not None else None
    owner = caller.f_locals.get("self") if caller is not None else None
    site = waits.site_of(caller)
    if code is codes.join and owner is not None:
        queues = sys.modules.get("mpscope.hooks.queues")
        entry = queues.entry_of(owner) if queues is not None else None
        return "JoinableQueue", entry, site
    if code is codes.event_wait and owner is not None:
        kind, identity = "Event", getattr(owner, "_flag", None)
    elif code in codes.barrier_waits and owner is not None:
        kind, identity = "Barrier", getattr(getattr(owner, "_cond", None), "_wait_semaphore", None)
    else:
        kind, identity = "Condition", getattr(condition, "_wait_semaphore", None)
    return kind, semlock_id(identity) if identity is not None else None, site


def _condition_wait_ended(owner: "Tuple[str, Any, Any]", started: float, ended: float) -> None:
    kind, identity, site = owner
    if kind == "JoinableQueue":
        queues = sys.modules.get("mpscope.hooks.queues")
        if identity is not None and queues is not None:
            queues.join_waited(identity, started, ended, site)
    elif identity is not None and ended - started >= waits.threshold():
        fields = {"sync": identity, "sync_kind": kind, "op": "wait"}
        fields.update(waits.wait_fields(started, ended, None, site))
        waits.emit(ev.SYNC_WAIT, fields)
