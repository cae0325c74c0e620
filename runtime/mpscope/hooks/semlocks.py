"""Observers on ``multiprocessing.synchronize.SemLock``, the base of Lock, RLock, Semaphore and BoundedSemaphore.

Queues, conditions, events and barriers are all built from SemLocks, so the
moments when a SemLock is taken say when a queue ``get`` starts, when a
``Condition.wait`` sleeps, and when user code acquires a lock. None of these
calls is wrapped:

* ``lock.acquire`` is an instance attribute holding the C method of the lock's
  ``_semlock``. A data descriptor of the same name on the class is consulted
  first: it reports the lookup, then returns the very same C method from the
  instance ``__dict__``, which the caller calls directly. (``release`` is left
  alone: a wait is timed from its start, see ``waitclock``.)
* ``with lock:`` calls ``SemLock.__enter__``, a Python method. It is rebuilt
  from its own source with a one-line prologue (``recompile.py``): the same
  frame, file, lines and columns in any traceback, and no extra call on the
  path every queue ``get`` takes. (If that cannot be done, an observer of the
  ``__enter__`` lookup does the same at the cost of a call.)
* ``Queue.put`` looks up ``self._sem.acquire``; its code object is given
  another name for that lookup, ``_mpscope_acquire``, which an unbounded
  queue's semaphore holds in its instance ``__dict__`` (the same C method, no
  Python at all: puts are counted from the semaphore, see ``queues.py``) and
  which otherwise reaches the observer below.

The locks of followed queues are registered in ``owned`` with their role
(free slots, readers' lock, ...), which says what a lookup means (a put, a
get) without looking at any frame. Any other lock is reported only if taking
it could wait (it is not free); the report then goes to a route chosen by the
code object of the frame that looked the method up: multiprocessing's own
methods (``Condition.wait`` ...) are routed by the modules that understand
them, user code (and third-party libraries) to the user route, and every other
internal caller to nothing (decided once per code object).
"""

import sys

from mpscope.guard import Hook
from mpscope.hooks import counters
from mpscope.hooks.attributes import InstanceValue
from mpscope.userframes import INTERNAL, kind_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import CodeType, FrameType
    from typing import Any, Callable, Dict, List, Optional, Tuple

    Route = Callable[[int, Any, FrameType], None]

ACQUIRE = 0  # lookup of lock.acquire
ENTER = 2  # lookup of lock.__enter__ (a with statement)

RECURSIVE_MUTEX = 0  # _multiprocessing.SemLock.kind of an RLock

_hook = Hook("semlock")
_getframe = sys._getframe
_UNSET = object()
_MAX_CACHED = 8192

#: caller code object -> route (None: nothing to do for that caller).
_routes: "Dict[CodeType, Optional[Route]]" = {}
_user_route: "Optional[Route]" = None

# Roles of the locks in ``owned``.
IGNORED = -1  # a lock of multiprocessing's own queues (Pool, executor): nothing to do, cheaply
SLOTS = 0  # a queue's free-slot semaphore (Queue._sem): acquired by put
READERS = 1  # a queue's readers' lock (_rlock): taken when a get begins
WRITERS = 2  # a SimpleQueue's writers' lock
UNFINISHED = 3  # a JoinableQueue's _unfinished_tasks: acquired by task_done
USER = 4  # a Lock/RLock/Semaphore of the user's: its acquirer is recorded (``hooks/holders.py``)

#: Registered locks: id(lock) -> (owner, role). The role says what a lookup means (a put, a get, a
#: user's acquire) without looking at any frame. Queue locks go to ``owned_handler(owner, role, op,
#: lock, depth)`` (``depth``: frames up to the caller), except the commonest cases, which never get
#: here: a get from a queue that holds items (inlined in the rebuilt ``__enter__``, through the
#: lock's ``_mpscope_queue``) and a put on an unbounded queue (see ``bypass_put_observer``). User
#: locks (``sync.UserLock``) stamp the holders table, inline too once prepared. Entries leave
#: before their lock is freed (owners' weak references), so ids are never those of another object.
owned: "Dict[int, Tuple[Any, int]]" = {}
owned_handler: "Optional[Callable[[Any, int, int, Any, int], None]]" = None
#: Called with the owner when user code takes a free USER lock (it now holds it).
user_acquired: "Optional[Callable[[Any], None]]" = None

_state = counters.state

_semlock_class: "Any" = None
enter_code: "Optional[CodeType]" = None  # SemLock.__enter__


def route(code: "Optional[CodeType]", handler: "Optional[Route]") -> None:
    """Send the reports of lookups made by ``code`` to ``handler``."""
    if code is not None:
        _routes[code] = handler


def set_user_route(handler: "Route") -> None:
    """The route of lookups made by user code (decided per code object, by file)."""
    global _user_route
    _user_route = handler
    for code, current in list(_routes.items()):
        if current is None and kind_of(code.co_filename) != INTERNAL:
            del _routes[code]


def _classify(code: "CodeType") -> "Optional[Route]":
    handler = None if kind_of(code.co_filename) == INTERNAL else _user_route
    if len(_routes) < _MAX_CACHED:
        _routes[code] = handler
    return handler


def _dispatch_other(op: int, obj: "Any", depth: int) -> None:
    """A lookup on a taken lock that is not a queue's; ``depth``: frames from here to the caller."""
    frame = _getframe(depth)
    handler: "Any" = _routes.get(frame.f_code, _UNSET)
    if handler is _UNSET:
        handler = _classify(frame.f_code)
    if handler is not None:
        handler(op, obj, frame)


def _dispatch_user(owner: "Any", op: int, obj: "Any", depth: int) -> None:
    """A lookup on a user's lock: note the acquirer, or time the wait."""
    semlock = obj._semlock
    try:
        free = semlock._get_value() > 0 or (semlock.kind == RECURSIVE_MUTEX and semlock._is_mine())
    except Exception:
        free = True  # no sem_getvalue (macOS)
    if free:
        if user_acquired is not None:
            user_acquired(owner)  # whoever takes it (user code, or a Condition for it) holds it
        return
    frame = _getframe(depth)
    handler: "Any" = _routes.get(frame.f_code, _UNSET)
    if handler is _UNSET:
        handler = _classify(frame.f_code)
    if handler is not None:
        handler(op, obj, frame)


def _dispatch(op: int, obj: "Any", found: "Any", depth: int) -> None:
    """Everything but the inlined common cases; ``depth`` counts the frames up to the caller from here."""
    if found is None:
        semlock = obj._semlock
        if HAS_GETVALUE and semlock._get_value() == 0 and not (semlock.kind == RECURSIVE_MUTEX and semlock._is_mine()):
            _dispatch_other(op, obj, depth + 1)
    elif found[1] == USER:
        _dispatch_user(found[0], op, obj, depth + 1)
    elif found[1] != IGNORED and owned_handler is not None:
        owned_handler(found[0], found[1], op, obj, depth + 1)


def _enter_slow(obj: "Any") -> None:
    """The prologue of the rebuilt ``SemLock.__enter__``, past its inlined cases (never raises)."""
    try:
        if _hook.enabled:
            found = owned.get(id(obj))
            if found is None or found[1] != IGNORED:
                _dispatch(ENTER, obj, found, 3)  # _dispatch <- here <- __enter__ <- the with statement
    except Exception as exc:
        try:
            _hook.fail(exc)
        except Exception:
            pass  # the interpreter is shutting down: module globals are gone


class _InstanceMethod(InstanceValue):
    """``acquire``: the value stays in the instance ``__dict__``; lookups are reported."""

    __slots__ = ()

    def __get__(self, obj: "Any", objtype: "Any" = None) -> "Any":
        if obj is None:
            raise AttributeError("type object %r has no attribute %r" % (getattr(objtype, "__name__", "?"), self.name))
        try:
            method = obj.__dict__[self.name]
        except KeyError:
            raise AttributeError("%r object has no attribute %r" % (type(obj).__name__, self.name)) from None
        # Hook.run and the common cases inlined: this runs on every put and every acquire. Any
        # failure (even of a global lookup, while the interpreter shuts down) stays in here.
        try:
            if _hook.enabled:
                found = owned.get(id(obj))
                if found is None or found[1] != IGNORED:
                    owner = found[0] if found is not None else None
                    if (found is not None and found[1] == USER and owner.stamp_pid == _state.pid and HAS_GETVALUE and
                            obj._semlock._get_value() > 0):
                        if owner.table is not None:  # a user's free lock: as in _ENTER_PROLOGUE
                            owner.table[owner.lo:owner.hi] = owner.stamp
                    else:
                        _dispatch(ACQUIRE, obj, found, 2)  # _dispatch <- here <- the caller
        except Exception as exc:
            try:
                _hook.fail(exc)
            except Exception:
                pass  # the interpreter is shutting down: module globals are gone
        return method


class _EnterObserver:
    """``SemLock.__enter__``: the lookup (by a ``with`` statement) is reported; the call runs unwrapped."""

    def __init__(self, function: "Callable[..., Any]") -> None:
        self.__wrapped__ = function
        self._bind = function.__get__
        self.__name__ = function.__name__
        self.__qualname__ = function.__qualname__
        self.__doc__ = function.__doc__
        self.__module__ = function.__module__

    def __get__(self, obj: "Any", objtype: "Any" = None) -> "Any":
        try:  # as in _InstanceMethod: this runs on every get
            if obj is not None and _hook.enabled:
                found = owned.get(id(obj))
                if found is None or found[1] != IGNORED:
                    _dispatch(ENTER, obj, found, 2)
        except Exception as exc:
            try:
                _hook.fail(exc)
            except Exception:
                pass  # the interpreter is shutting down: module globals are gone
        return self._bind(obj, objtype)

    def __call__(self, *args: "Any", **kwargs: "Any") -> "Any":
        return self.__wrapped__(*args, **kwargs)


#: The prologue of the rebuilt SemLock.__enter__ (it takes the lines just above the original def).
#: Inlined, as the cheapest code that does it: a get from a followed queue that holds items is
#: counted (the owner is "quiet": marked for the next send; see queues.py), except every 64th,
#: which takes the slow path, where the time is checked and counters are sent when due. A lock of
#: multiprocessing's own queues (IGNORED, negative) needs nothing. Everything else: _enter_slow.
#: macOS has no sem_getvalue: ``SemLock._get_value()`` raises NotImplementedError there, so
#: whether a lock is free cannot be read without taking it (and such waits are not timed).
HAS_GETVALUE = sys.platform != "darwin"

_ENTER_PROLOGUE = [
    # the readers' lock of a followed queue, while its gets can be counted here (SemLock._mpscope_queue,
    # set by queues.py; value() is its semaphore's _get_value: less than slots means items are queued)
    "if (_mpscope_queue := self._mpscope_queue) is not None and _mpscope_queue.value() < _mpscope_queue.slots "
    "and _mpscope_queue.gets & 63: _mpscope_queue.gets += 1",
    # a user's free lock: this process is about to hold it (the holders table, C only)
    "elif _mpscope_queue is None and (_mpscope_found := _owned_get(id(self))) is not None and "
    "_mpscope_found[1] == 4 and self._semlock._get_value() > 0 and "
    "(_mpscope_owner := _mpscope_found[0]).stamp_pid == _state.pid: "
    "_mpscope_owner.table is None or _mpscope_owner.table.__setitem__("
    "slice(_mpscope_owner.lo, _mpscope_owner.hi), _mpscope_owner.stamp)",
    "elif _mpscope_queue is not _IGNORED: _enter_slow(self)",
]


def enter_prologue(has_getvalue: bool) -> "List[str]":
    """The prologue for this platform: without sem_getvalue, user locks take the slow path."""
    return _ENTER_PROLOGUE if has_getvalue else [_ENTER_PROLOGUE[0], _ENTER_PROLOGUE[2]]


class _Marker:
    """A ``SemLock._mpscope_queue`` that is no queue: ``value() < slots`` never holds, so the prologue goes on."""

    slots = 0
    gets = 0

    @staticmethod
    def value() -> int:
        return 0


_IGNORED = _Marker()  # the locks of multiprocessing's own queues: nothing to do
SLOW = _Marker()  # a followed queue's readers' lock while its gets go to _enter_slow


def mark_queue_lock(lock: "Any", owner: "Any") -> None:
    """Give a queue's lock what the rebuilt ``__enter__`` reads: the queue's entry, ``SLOW`` or ``IGNORED_QUEUE``."""
    try:
        lock.__dict__["_mpscope_queue"] = owner
    except Exception:
        pass


IGNORED_QUEUE = _IGNORED


class _PutAcquire:
    """``_mpscope_acquire``, the name ``Queue.put`` looks ``acquire`` up by (a non-data descriptor).

    An unbounded queue's semaphore holds the C method under that name in its
    instance ``__dict__``, which wins: no Python runs. Any other one (a bounded
    queue, whose puts may wait) comes here and is reported like ``acquire``.
    """

    def __get__(self, obj: "Any", objtype: "Any" = None) -> "Any":
        if obj is None:
            return self
        method = obj.__dict__["acquire"]
        try:
            if _hook.enabled:
                found = owned.get(id(obj))
                if found is not None and found[1] == SLOTS and owned_handler is not None:
                    owned_handler(found[0], SLOTS, ACQUIRE, obj, 2)  # handler <- here <- Queue.put
        except Exception as exc:
            try:
                _hook.fail(exc)
            except Exception:
                pass
        return method


PUT_ACQUIRE = "_mpscope_acquire"


def bypass_put_observer(sem: "Any") -> None:
    """Let ``Queue.put`` take ``sem`` (an unbounded queue's) without any Python of ours."""
    try:
        sem.__dict__[PUT_ACQUIRE] = sem.__dict__["acquire"]
    except Exception:
        pass


def patch(synchronize: "Any") -> bool:
    """Install the observers on ``synchronize.SemLock`` (once); False when its shape is unknown."""
    global _semlock_class, enter_code
    semlock = getattr(synchronize, "SemLock", None)
    enter = semlock.__dict__.get("__enter__") if semlock is not None else None
    if semlock is None or enter is None:
        return False
    if isinstance(enter, _EnterObserver) or getattr(enter, "_mpscope_rebuilt", False):
        return True
    if "acquire" in semlock.__dict__:
        return False  # not the instance-attribute shape this relies on
    _semlock_class = semlock
    semlock.acquire = _InstanceMethod("acquire")
    setattr(semlock, PUT_ACQUIRE, _PutAcquire())
    from mpscope.hooks.recompile import with_prologue

    semlock._mpscope_queue = None  # the default for locks that are no queue's (see mark_queue_lock)
    rebuilt = with_prologue(enter, enter_prologue(HAS_GETVALUE), {"_owned_get": owned.get, "_enter_slow": _enter_slow,
                                                     "_state": _state, "_IGNORED": _IGNORED})
    if rebuilt is not None:
        rebuilt._mpscope_rebuilt = True  # type: ignore[attr-defined]
        enter_code = rebuilt.__code__
        semlock.__enter__ = rebuilt
    else:
        enter_code = enter.__code__
        semlock.__enter__ = _EnterObserver(enter)
    return True


def rename_put_lookup(function: "Any") -> None:
    """Make ``Queue.put``-like ``function`` look ``self._sem.acquire`` up as ``_mpscope_acquire``."""
    code = function.__code__
    names = code.co_names
    if names.count("acquire") != 1 or "_sem" not in names:
        return
    function.__code__ = code.replace(co_names=tuple(PUT_ACQUIRE if n == "acquire" else n for n in names))
