"""Observing assignments to an instance attribute, at no cost to reading it.

An ``AssignmentObserver`` is a data descriptor without ``__get__``: Python then
reads the attribute straight from the instance ``__dict__`` (as if the
descriptor were absent), while every assignment goes through ``__set__``,
which stores the value in the instance ``__dict__`` and reports it afterwards.
Use it only for names the class does not define (the descriptor would hide a
class-level default), and know that its frame exists only during the
assignment, which cannot fail.
"""

from mpscope.guard import Hook

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable

    #: on_set(obj, value); the assigning frame is three frames up (on_set <- Hook.run <- __set__).
    OnSet = Callable[[Any, Any], None]


class AssignmentObserver:
    def __init__(self, name: str, on_set: "OnSet", hook: Hook) -> None:
        self.name = name
        self._on_set = on_set
        self._hook = hook

    def __set__(self, obj: "Any", value: "Any") -> None:
        obj.__dict__[self.name] = value
        if self._hook.enabled:
            self._hook.run(self._on_set, obj, value)

    def __delete__(self, obj: "Any") -> None:
        try:
            del obj.__dict__[self.name]
        except KeyError:
            raise AttributeError(self.name) from None


def observe_assignments(cls: type, name: str, on_set: "OnSet", hook: Hook) -> bool:
    """Report assignments of ``instance.name`` for instances of ``cls`` (once); False if ``cls`` defines ``name``."""
    current = cls.__dict__.get(name)
    if isinstance(current, AssignmentObserver):
        return True
    if current is not None:
        return False
    setattr(cls, name, AssignmentObserver(name, on_set, hook))
    return True
