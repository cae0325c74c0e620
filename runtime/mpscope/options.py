"""Runtime settings from ``MPSCOPE_OPTIONS`` (a JSON object; unknown keys are ignored).

| key                 | default            | meaning                                                        |
|---------------------|--------------------|----------------------------------------------------------------|
| ``capture_args``      | false              | send a bounded repr of each Process's args/kwargs (may hold secrets) |
| ``stacks_dir``        | none               | the collector's private directory (absolute path): each process writes its stack dumps to a file there (see ``stacks.py``); without it, hang diagnosis is off |
| ``stacks_on_sigquit`` | false              | also dump on SIGQUIT (Ctrl-\\ in a terminal) instead of dying; the terminal launcher turns it on |
| ``stacks_via``        | platform's         | ``"signal"`` (POSIX default: the collector sends SIGURG) or ``"request"`` (Windows default: a reader thread answers request lines on the stream) |
| ``task_threshold_ms`` | 1                  | Pool/executor tasks that take at least this long (or fail) are sent one by one; faster ones are folded into per-worker counters |
| ``task_detail``       | ``"folded"``       | ``"full"`` sends every task as its own event (costs more for tiny tasks) |
| ``wait_threshold_ms`` | 1000               | a queue put/get, pipe send/recv or Lock/Condition/Event/Barrier wait that blocks at least this long is reported (``queue.blocked``, ``pipe.blocked``, ``sync.wait``) |
"""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, Optional, Tuple

VIA_SIGNAL = "signal"
VIA_REQUEST = "request"

DEFAULT_TASK_THRESHOLD = 0.001  # seconds
DEFAULT_WAIT_THRESHOLD = 1.0  # seconds
TASK_DETAIL_FULL = "full"


class Options:
    __slots__ = ("capture_args", "stacks_dir", "stacks_on_sigquit", "stacks_via", "task_threshold", "task_detail_full",
                 "wait_threshold")

    def __init__(self, capture_args: bool = False, stacks_dir: "Optional[str]" = None,
                 stacks_on_sigquit: bool = False, stacks_via: "Optional[str]" = None,
                 task_threshold: float = DEFAULT_TASK_THRESHOLD, task_detail_full: bool = False,
                 wait_threshold: float = DEFAULT_WAIT_THRESHOLD) -> None:
        self.capture_args = capture_args
        self.stacks_dir = stacks_dir
        self.stacks_on_sigquit = stacks_on_sigquit
        self.stacks_via = stacks_via
        self.task_threshold = task_threshold  # seconds
        self.task_detail_full = task_detail_full
        self.wait_threshold = wait_threshold  # seconds


def parse_options(text: "Optional[str]") -> Options:
    """Options from the variable's text; anything malformed means the defaults."""
    if not text:
        return Options()
    data = parse_flat_object(text)
    if data is None:
        try:
            import json  # only for what the small parser does not read: json costs 5-10 ms to import

            data = json.loads(text)
        except Exception:
            return Options()
    if not isinstance(data, dict):
        return Options()
    return options_from(data)


_LITERALS = {"true": True, "false": False, "null": None}


def _scan_string(text: str, start: int, strict: bool = True) -> "Tuple[str, int]":
    """The JSON string whose opening quote is at ``start - 1``: (value, index after its closing quote).

    A string without escapes or control characters (the usual path or word) is
    taken as it stands; others go to ``_json.scanstring``, imported only then
    (a C module, ~0.1 ms at the start of every process). Raises ValueError.
    """
    close = text.find('"', start)
    if close < 0:
        raise ValueError("unterminated string")
    value = text[start:close]
    if "\\" not in value and value.isprintable():
        return value, close + 1
    from _json import scanstring

    return scanstring(text, start, strict)  # type: ignore[no-any-return]


def parse_flat_object(text: str) -> "Optional[Dict[str, Any]]":
    """A JSON object whose values are strings, numbers, true, false or null; None for anything else.

    The launcher sets MPSCOPE_OPTIONS for every process of the program, and
    ``import json`` (which pulls in ``re``) would cost each of them 5-10 ms at
    start-up; strings with escapes go to ``_json.scanstring``, the C string
    decoder json itself uses (see ``_scan_string``).
    """
    scanstring = _scan_string
    result: "Dict[str, Any]" = {}
    end = len(text)
    index = _skip(text, 0)
    if index >= end or text[index] != "{":
        return None
    index = _skip(text, index + 1)
    if index < end and text[index] == "}":
        return result if _skip(text, index + 1) == end else None
    while True:
        if index >= end or text[index] != '"':
            return None
        try:
            key, index = scanstring(text, index + 1, True)
        except ValueError:
            return None
        index = _skip(text, index)
        if index >= end or text[index] != ":":
            return None
        index = _skip(text, index + 1)
        if index >= end:
            return None
        value: "Any"
        if text[index] == '"':
            try:
                value, index = scanstring(text, index + 1, True)
            except ValueError:
                return None
        else:
            stop = index
            while stop < end and text[stop] not in ",} \t\r\n":
                stop += 1
            token = text[index:stop]
            if token in _LITERALS:
                value = _LITERALS[token]
            elif not token or token.strip("0123456789+-.eE"):
                return None
            else:
                try:
                    value = int(token) if token.lstrip("-").isdigit() else float(token)
                except ValueError:
                    return None  # an array, a nested object: leave it to json
            index = stop
        result[key] = value
        index = _skip(text, index)
        if index < end and text[index] == ",":
            index = _skip(text, index + 1)
            continue
        if index < end and text[index] == "}":
            return result if _skip(text, index + 1) == end else None
        return None


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return index


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
        task_threshold=_task_threshold(data.get("task_threshold_ms")),
        task_detail_full=data.get("task_detail") == TASK_DETAIL_FULL,
        wait_threshold=_milliseconds(data.get("wait_threshold_ms"), DEFAULT_WAIT_THRESHOLD),
    )


def _task_threshold(value: "Any") -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf"):
        return DEFAULT_TASK_THRESHOLD
    return value / 1000.0


def _milliseconds(value: "Any", default: float) -> float:
    """A non-negative number of milliseconds as seconds; anything else means ``default``."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf"):
        return default
    return value / 1000.0
