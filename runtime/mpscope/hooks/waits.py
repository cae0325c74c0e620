"""What queue, pipe and synchronization hooks share about waits: the threshold and the common fields."""

import time

from mpscope import agent as _agent
from mpscope.options import DEFAULT_WAIT_THRESHOLD
from mpscope.userframes import caller_site

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import FrameType
    from typing import Any, Dict, Optional

OUTCOME_OK = "ok"  # the call got what it waited for
OUTCOME_TIMEOUT = "timeout"  # it gave up (queue.Empty / queue.Full / acquire returned False)
OUTCOME_INTERRUPTED = "interrupted"  # it raised while waiting (KeyboardInterrupt, EOFError, ...)

_threshold: "Optional[float]" = None


def threshold() -> float:
    """Seconds a wait must last to be reported (``wait_threshold_ms``)."""
    global _threshold
    if _threshold is None:
        agent = _agent.current()
        options = getattr(agent, "options", None) if agent is not None else None
        value = getattr(options, "wait_threshold", None)
        _threshold = value if isinstance(value, float) else DEFAULT_WAIT_THRESHOLD
    return _threshold


def site_of(frame: "Optional[FrameType]") -> "Optional[Dict[str, Any]]":
    """Where the user's code made the call that waits; taken when the wait begins (see waitclock)."""
    return caller_site(frame) if frame is not None else None


def wait_fields(started: float, ended: float, outcome: "Optional[str]", site: "Optional[Dict[str, Any]]") -> "Dict[str, Any]":
    """``since`` (wall clock), ``waited``, ``outcome`` and ``site`` of a wait that ended at ``ended``."""
    waited = max(0.0, ended - started)
    fields: "Dict[str, Any]" = {"since": time.time() - (time.monotonic() - started), "waited": waited}
    if outcome is not None:
        fields["outcome"] = outcome
    if site is not None:
        fields["site"] = site
    return fields


def emit(kind: str, fields: "Dict[str, Any]") -> None:
    agent = _agent.current()
    if agent is not None:
        agent.emit(kind, fields)
