"""Hooks that cannot break the program.

Every piece of mpscope code that runs inside the user's program runs through a
``Hook``: an error in it is caught, the hook disables itself for the rest of the
process, and one ``runtime.error`` event says where it failed. The program goes
on as if that hook did not exist.
"""

from mpscope import agent as _agent

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Optional, TypeVar

    T = TypeVar("T")


class Hook:
    __slots__ = ("where", "enabled")

    def __init__(self, where: str) -> None:
        self.where = where
        self.enabled = True

    def run(self, function: "Callable[..., T]", *args: "Any") -> "Optional[T]":
        """``function(*args)``, or None when it fails or this hook is disabled."""
        if not self.enabled:
            return None
        try:
            return function(*args)
        except Exception as exc:
            self.fail(exc)
            return None

    def fail(self, exc: BaseException) -> None:
        if not self.enabled:
            return
        self.enabled = False
        try:
            agent = _agent.current()
            if agent is not None:
                agent.report_error(self.where, "%s: %s" % (type(exc).__name__, exc))
        except Exception:
            pass
