"""Observing a method call without wrapping it.

A ``LookupObserver`` replaces a function in a class dict. Looking the method up
on an instance reports the instance (and the frame that looked it up) to a
callback, then returns the original bound method; the call itself runs
unwrapped, so tracebacks through it are exactly as without mpscope. Callers
check the looking-up frame's code object to tell a real call site (say, the body
of ``BaseProcess.join``) from an incidental lookup (``hasattr``).
"""

import sys

from mpscope.guard import Hook

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import FrameType
    from typing import Any, Callable


class LookupObserver:
    def __init__(self, function: "Callable[..., Any]", on_lookup: "Callable[[Any, FrameType], None]", hook: Hook) -> None:
        self.__wrapped__ = function
        self.__name__ = getattr(function, "__name__", "")
        self.__qualname__ = getattr(function, "__qualname__", "")
        self.__doc__ = getattr(function, "__doc__", None)
        self.__module__ = getattr(function, "__module__", None)  # type: ignore[assignment]
        self._on_lookup = on_lookup
        self._hook = hook

    def __get__(self, obj: "Any", objtype: "Any" = None) -> "Any":
        if obj is not None and self._hook.enabled:
            self._hook.run(self._on_lookup, obj, sys._getframe(1))
        return self.__wrapped__.__get__(obj, objtype)

    def __call__(self, *args: "Any", **kwargs: "Any") -> "Any":
        return self.__wrapped__(*args, **kwargs)


def observe_lookups(cls: type, name: str, on_lookup: "Callable[[Any, FrameType], None]", hook: Hook) -> None:
    """Install an observer for ``cls.name`` (defined on ``cls`` itself), once."""
    current = cls.__dict__.get(name)
    if current is None or isinstance(current, LookupObserver):
        return
    setattr(cls, name, LookupObserver(current, on_lookup, hook))
