"""Per-process counters of queues and pipes, sent as cumulative events at a moderate rate.

Hot paths only bump integers and compare ``state.next_flush`` with the clock;
without a thread, the events go out from those same hook points at most every ``INTERVAL`` seconds (for the
objects whose counts changed), and once more when the process ends (agent
finisher). Counts are per process: a forked child starts from zero for the
objects it inherited, and the collector adds the processes up.
"""

import os
import time

from mpscope import agent as _agent
from mpscope.guard import Hook

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional, Protocol, Tuple

    class Counted(Protocol):
        def counters_event(self) -> "Optional[Tuple[str, Dict[str, Any]]]": ...  # (kind, fields) when something changed since the last one

#: Seconds between two sends of the same changed counters.
INTERVAL = 0.5

_hook = Hook("counters")
_dirty: "Dict[int, Any]" = {}
_finishing: "List[Callable[[], None]]" = []
_finisher_added = False


class _State:
    """What hot paths read: attributes of one object are cheaper than module globals."""

    __slots__ = ("pid", "next_flush")

    def __init__(self) -> None:
        self.pid = os.getpid()  # kept current across fork (cheaper than os.getpid())
        self.next_flush = 0.0  # monotonic time of the next send


state = _State()


def mark(counted: "Any") -> None:
    """``counted`` has new counts; they go out with the next flush."""
    _dirty[id(counted)] = counted


def flush() -> None:
    state.next_flush = time.monotonic() + INTERVAL
    if not _dirty:
        return
    agent = _agent.current()
    items = list(_dirty.values())
    _dirty.clear()
    if agent is None:
        return
    for counted in items:
        event = _hook.run(counted.counters_event)
        if event is not None:
            agent.emit(event[0], event[1])


def at_exit(callback: "Callable[[], None]") -> None:
    """Run ``callback`` when this process ends, before the last counters go out (agent finisher)."""
    global _finisher_added
    _finishing.append(callback)
    if _finisher_added:
        return
    agent = _agent.current()
    if agent is not None:
        agent.finishers.append(_finish)
        _finisher_added = True


def _finish() -> None:
    for callback in list(_finishing):
        _hook.run(callback)
    flush()


def _after_fork_in_child() -> None:
    state.pid = os.getpid()
    state.next_flush = 0.0
    _dirty.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_after_fork_in_child)
