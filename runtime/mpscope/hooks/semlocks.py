"""Observers on ``multiprocessing.synchronize.SemLock``, the base of Lock, RLock, Semaphore and BoundedSemaphore.

Queues, conditions, events and barriers are all built from SemLocks, so the
moments when a SemLock is taken or given back say when a queue ``get`` starts
and ends, when a ``Condition.wait`` sleeps and wakes, and when user code
acquires a lock. None of these calls is wrapped:

* ``lock.acquire`` is an instance attribute holding the C method of the lock's
  ``_semlock``. A data descriptor of the same name on the class is consulted
  first: it reports the lookup, then returns the very same C method from the
  instance ``__dict__``, which the caller calls directly. (``release`` is left
  alone: a wait is timed from its start, see ``waitclock``, and every
  observer costs time on the paths it watches.)
* ``with lock:`` looks ``__enter__`` up on the class; an observer there reports
  the lookup and returns the original bound method.

The locks of followed queues are registered in ``owned`` with their role
(free slots, readers' lock, ...), which says what the lookup means (a put, a
get) without looking at any frame. Any other lock is reported only if taking
it could wait (it is not free); the report then goes to a route chosen by the
code object of the frame that looked the method up: multiprocessing's own
methods (``Condition.wait`` ...) are routed by the modules that understand
them, user code (and third-party libraries) to the user route, and every other
internal caller to nothing (decided once per code object).
"""

from __future__ import annotations

import sys
import time

from mpscope.guard import Hook
from mpscope.hooks import counters
from mpscope.userframes import INTERNAL, kind_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import CodeType, FrameType
    from typing import Any, Callable, Dict, Optional, Tuple

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

#: Locks of queues: id(lock) -> (owner, role). Lookups on them never look at a frame: the role
#: says which queue operation it is. ``owned_handler(owner, role, op, lock)`` gets them, except
#: the most common cases, handled right in the descriptors: a put on an unbounded queue and a get
#: on a queue that holds items, while the owner is ``quiet`` (counted in this process, already
#: due to be sent) and no send is due. Owners have the attributes used there: quiet, bounded,
#: csem (the C semaphore of their SLOTS lock, or None), slots (its value when empty), gets.
#: An entry is removed (by its owner) before the lock can die: ids are not reused meanwhile.
owned: "Dict[int, Tuple[Any, int]]" = {}
owned_handler: "Optional[Callable[[Any, int, int, Any], None]]" = None
#: Called with the owner when user code takes a free USER lock (it now holds it).
user_acquired: "Optional[Callable[[Any], None]]" = None

_state = counters.state
_monotonic = time.monotonic

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


def _dispatch_other(op: int, obj: "Any") -> None:
    """A lookup on a taken lock that is not a queue's (two frames below the looking-up frame)."""
    frame = _getframe(2)
    handler: "Any" = _routes.get(frame.f_code, _UNSET)
    if handler is _UNSET:
        handler = _classify(frame.f_code)
    if handler is not None:
        handler(op, obj, frame)


def _dispatch_user(owner: "Any", op: int, obj: "Any") -> None:
    """A lookup on a user's lock (two frames below the looking-up frame): note the acquirer, or time the wait."""
    semlock = obj._semlock
    try:
        free = semlock._get_value() > 0 or (semlock.kind == RECURSIVE_MUTEX and semlock._is_mine())
    except Exception:
        free = True  # no sem_getvalue (macOS)
    frame = _getframe(2)
    handler: "Any" = _routes.get(frame.f_code, _UNSET)
    if handler is _UNSET:
        handler = _classify(frame.f_code)
    if handler is None:
        return
    if not free:
        handler(op, obj, frame)
    elif handler is _user_route and user_acquired is not None:
        user_acquired(owner)


class _InstanceMethod:
    """``acquire``: the value stays in the instance ``__dict__``; lookups are reported."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

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
                if found is None:
                    semlock = obj._semlock
                    if semlock._get_value() == 0 and not (semlock.kind == RECURSIVE_MUTEX and semlock._is_mine()):
                        _dispatch_other(ACQUIRE, obj)
                elif found[1] == USER:
                    _dispatch_user(found[0], ACQUIRE, obj)
                elif found[1] != IGNORED:
                    owner = found[0]
                    if not (found[1] == SLOTS and owner.quiet and not owner.bounded and
                            _monotonic() < _state.next_flush):
                        owned_handler(owner, found[1], ACQUIRE, obj)  # type: ignore[misc]
        except Exception as exc:
            try:
                _hook.fail(exc)
            except Exception:
                pass  # the interpreter is shutting down: module globals are gone
        return method

    def __set__(self, obj: "Any", value: "Any") -> None:
        obj.__dict__[self.name] = value

    def __delete__(self, obj: "Any") -> None:
        try:
            del obj.__dict__[self.name]
        except KeyError:
            raise AttributeError(self.name) from None


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
                if found is None:
                    semlock = obj._semlock
                    if semlock._get_value() == 0 and not (semlock.kind == RECURSIVE_MUTEX and semlock._is_mine()):
                        _dispatch_other(ENTER, obj)
                elif found[1] == USER:
                    _dispatch_user(found[0], ENTER, obj)
                elif found[1] != IGNORED:
                    owner = found[0]
                    csem = owner.csem
                    if (found[1] == READERS and owner.quiet and csem is not None and
                            csem._get_value() < owner.slots and _monotonic() < _state.next_flush):
                        owner.gets += 1  # a get from a queue that holds items: it will not wait
                    else:
                        owned_handler(owner, found[1], ENTER, obj)  # type: ignore[misc]
        except Exception as exc:
            try:
                _hook.fail(exc)
            except Exception:
                pass  # the interpreter is shutting down: module globals are gone
        return self._bind(obj, objtype)

    def __call__(self, *args: "Any", **kwargs: "Any") -> "Any":
        return self.__wrapped__(*args, **kwargs)


def patch(synchronize: "Any") -> bool:
    """Install the observers on ``synchronize.SemLock`` (once); False when its shape is unknown."""
    global _semlock_class, enter_code
    semlock = getattr(synchronize, "SemLock", None)
    enter = semlock.__dict__.get("__enter__") if semlock is not None else None
    if semlock is None or enter is None:
        return False
    if isinstance(enter, _EnterObserver):
        return True
    if "acquire" in semlock.__dict__:
        return False  # not the instance-attribute shape this relies on
    _semlock_class = semlock
    enter_code = enter.__code__
    semlock.acquire = _InstanceMethod("acquire")
    semlock.__enter__ = _EnterObserver(enter)
    return True
