"""Observing an attribute assignment without wrapping the method that makes it.

An ``ObservedAttribute`` is a data descriptor put on a class. Values still live
in the instance ``__dict__`` (``vars()`` shows them as before); each assignment
is reported to a callback with the previous value, after it took effect. The
frame of ``__set__`` exists only during the assignment, which cannot fail. It
has no ``__get__``: Python then reads the value straight from the instance
``__dict__``, so reading costs nothing (``Popen.returncode`` is read in every
``poll()``; a Python ``__get__`` there was measurable on each fork). The one
difference it makes: before the first assignment, reading the name gives the
descriptor instead of raising AttributeError, so observe only names the class
assigns in ``__init__``. ``assignments.py`` is the same without the previous
value.

``InstanceValue`` is for descriptors that observe reads (``semlocks.py``,
``tasks.py``): values stay in the instance ``__dict__`` there too.
"""

from mpscope.guard import Hook

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

    OnSet = Callable[[Any, Any, Any], None]


class InstanceValue:
    """A data descriptor whose values stay in the instance ``__dict__``, as without it.

    Being a data descriptor, it is consulted before the instance ``__dict__``;
    subclasses observe reads (``__get__``) or assignments (``__set__``).
    """

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj: "Any", objtype: "Any" = None) -> "Any":
        if obj is None:
            return self
        try:
            return obj.__dict__[self.name]
        except KeyError:
            raise AttributeError("%r object has no attribute %r" % (type(obj).__name__, self.name)) from None

    def __set__(self, obj: "Any", value: "Any") -> None:
        obj.__dict__[self.name] = value

    def __delete__(self, obj: "Any") -> None:
        try:
            del obj.__dict__[self.name]
        except KeyError:
            raise AttributeError(self.name) from None


class ObservedAttribute:
    __slots__ = ("name", "_on_set", "_hook")

    def __init__(self, name: str, on_set: "OnSet", hook: Hook) -> None:
        self.name = name
        self._on_set = on_set
        self._hook = hook

    def __set__(self, obj: "Any", value: "Any") -> None:
        state = obj.__dict__
        previous = state.get(self.name)
        state[self.name] = value
        if self._hook.enabled:
            self._hook.run(self._on_set, obj, previous, value)

    def __delete__(self, obj: "Any") -> None:
        try:
            del obj.__dict__[self.name]
        except KeyError:
            raise AttributeError(self.name) from None


def observe_attribute(cls: type, name: str, on_set: "OnSet", hook: Hook) -> None:
    """Report assignments of ``instance.name`` for instances of ``cls`` (once)."""
    if isinstance(cls.__dict__.get(name), ObservedAttribute):
        return
    if name in cls.__dict__:
        raise TypeError("%s.%s is a class attribute; cannot observe it" % (cls.__name__, name))
    setattr(cls, name, ObservedAttribute(name, on_set, hook))
