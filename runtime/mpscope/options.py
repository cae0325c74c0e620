"""Runtime settings from ``MPSCOPE_OPTIONS`` (a JSON object; unknown keys are ignored).

| key                 | default            | meaning                                                        |
|---------------------|--------------------|----------------------------------------------------------------|
| ``capture_args``      | false              | send a bounded repr of each Process's args/kwargs (may hold secrets) |
| ``stacks_dir``        | none               | the collector's private directory (absolute path): each process writes its stack dumps to a file there (see ``stacks.py``); without it, hang diagnosis is off |
| ``stacks_on_sigquit`` | false              | also dump on SIGQUIT (Ctrl-\\ in a terminal) instead of dying; the terminal launcher turns it on |
| ``stacks_via``        | platform's         | ``"signal"`` (POSIX default: the collector sends SIGURG) or ``"request"`` (Windows default: a reader thread answers request lines on the stream) |
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Optional

VIA_SIGNAL = "signal"
VIA_REQUEST = "request"


class Options:
    __slots__ = ("capture_args", "stacks_dir", "stacks_on_sigquit", "stacks_via")

    def __init__(self, capture_args: bool = False, stacks_dir: "Optional[str]" = None,
                 stacks_on_sigquit: bool = False, stacks_via: "Optional[str]" = None) -> None:
        self.capture_args = capture_args
        self.stacks_dir = stacks_dir
        self.stacks_on_sigquit = stacks_on_sigquit
        self.stacks_via = stacks_via


def parse_options(text: "Optional[str]") -> Options:
    """Options from the variable's text; anything malformed means the defaults."""
    if not text:
        return Options()
    try:
        import json  # only when the variable is set: json costs ~5 ms to import

        data = json.loads(text)
    except Exception:
        return Options()
    if not isinstance(data, dict):
        return Options()
    return options_from(data)


def options_from(data: "Dict[str, Any]") -> Options:
    stacks_dir = data.get("stacks_dir")
    if not isinstance(stacks_dir, str) or not stacks_dir or "\0" in stacks_dir:
        stacks_dir = None
    via = data.get("stacks_via")
    if via not in (VIA_SIGNAL, VIA_REQUEST):
        via = None
    return Options(
        capture_args=data.get("capture_args") is True,
        stacks_dir=stacks_dir,
        stacks_on_sigquit=data.get("stacks_on_sigquit") is True,
        stacks_via=via,
    )
