"""Runtime settings from ``MPSCOPE_OPTIONS`` (a JSON object; unknown keys are ignored).

| key            | default | meaning                                                        |
|----------------|---------|----------------------------------------------------------------|
| ``capture_args`` | false   | send a bounded repr of each Process's args/kwargs (may hold secrets) |
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional


class Options:
    __slots__ = ("capture_args",)

    def __init__(self, capture_args: bool = False) -> None:
        self.capture_args = capture_args


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
    return Options(capture_args=data.get("capture_args") is True)
