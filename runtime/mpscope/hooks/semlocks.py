"""Observers on ``multiprocessing.synchronize.SemLock``, the base of Lock, RLock, Semaphore and BoundedSemaphore.

Queues, conditions, events and barriers are all built from SemLocks, so the
moments when a SemLock is taken or given back say when a queue ``get`` starts
and ends, when a ``Condition.wait`` sleeps and wakes, and when user code
acquires a lock. None of these calls is wrapped:

* ``lock.acquire`` / ``lock.release`` are instance attributes holding the C
  methods of the lock's ``_semlock``. A data descriptor of the same name on
  the class is consulted first: it reports the lookup, then returns the very
  same C method from the instance ``__dict__``, which the caller calls directly.
* ``with lock:`` looks ``__enter__`` up on the class; an observer there reports
  the lookup and returns the original bound method.

Each report goes to a route chosen by the code object of the frame that looked
the method up: multiprocessing's own methods (``Queue.get``, ``Condition.wait``
...) are routed by the modules that understand them, user code (and
third-party libraries) to the user route, and every other internal caller to
nothing (decided once per code object).
"""

from __future__ import annotations

import sys

from mpscope.guard import Hook
from mpscope.userframes import INTERNAL, kind_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import CodeType, FrameType
    from typing import Any, Callable, Dict, Optional

    Route = Callable[[int, Any, FrameType], None]

ACQUIRE = 0  # lookup of lock.acquire
RELEASE = 1  # lookup of lock.release
ENTER = 2  # lookup of lock.__enter__ (a with statement)

_hook = Hook("semlock")
_getframe = sys._getframe
_UNSET = object()
_MAX_CACHED = 8192

#: caller code object -> route (None: nothing to do for that caller).
_routes: "Dict[CodeType, Optional[Route]]" = {}
_user_route: "Optional[Route]" = None

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


class _InstanceMethod:
    """``acquire`` / ``release``: the value stays in the instance ``__dict__``; lookups are reported."""

    __slots__ = ("name", "op")

    def __init__(self, name: str, op: int) -> None:
        self.name = name
        self.op = op

    def __get__(self, obj: "Any", objtype: "Any" = None) -> "Any":
        if obj is None:
            raise AttributeError("type object %r has no attribute %r" % (getattr(objtype, "__name__", "?"), self.name))
        try:
            method = obj.__dict__[self.name]
        except KeyError:
            raise AttributeError("%r object has no attribute %r" % (type(obj).__name__, self.name)) from None
        frame = _getframe(1)
        handler = _routes.get(frame.f_code, _UNSET)
        if handler is _UNSET:
            handler = _classify(frame.f_code)
        if handler is not None and _hook.enabled:
            _hook.run(handler, self.op, obj, frame)
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
        self.__name__ = function.__name__
        self.__qualname__ = function.__qualname__
        self.__doc__ = function.__doc__
        self.__module__ = function.__module__

    def __get__(self, obj: "Any", objtype: "Any" = None) -> "Any":
        if obj is not None:
            frame = _getframe(1)
            handler = _routes.get(frame.f_code, _UNSET)
            if handler is _UNSET:
                handler = _classify(frame.f_code)
            if handler is not None and _hook.enabled:
                _hook.run(handler, ENTER, obj, frame)
        return self.__wrapped__.__get__(obj, objtype)

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
    if "acquire" in semlock.__dict__ or "release" in semlock.__dict__:
        return False  # not the instance-attribute shape this relies on
    _semlock_class = semlock
    enter_code = enter.__code__
    semlock.acquire = _InstanceMethod("acquire", ACQUIRE)
    semlock.release = _InstanceMethod("release", RELEASE)
    semlock.__enter__ = _EnterObserver(enter)
    return True
