"""One event to one line of JSON, without importing ``json``.

``import json`` pulls in ``re`` and costs about 5 ms at interpreter start-up;
events only hold dicts, lists, strings, numbers, booleans and None, so the C
encoder of ``_json`` (what ``json.dumps`` runs underneath) does the job on its
own. Whatever it refuses (a NaN, an odd key) goes through a small encoder in
Python instead. Output is pure ASCII (non-ASCII and lone surrogates from
undecodable file names are escaped), so every line is valid UTF-8.

The C path matters beyond speed: between a ``fork()`` and the child's exit,
every memory page the parent writes is copied, and one C call writes far fewer
pages than a Python function per value.
"""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, List, Optional, Sequence

_quote_c: "Optional[Callable[[str], str]]"
_encode_c: "Optional[Callable[[Any, int], Sequence[str]]]"
try:
    from _json import encode_basestring_ascii as _quote_c
    from _json import make_encoder as _make_encoder
except ImportError:  # pragma: no cover - every CPython build has _json
    _quote_c = None
    _encode_c = None
else:
    # (markers, default, quoter, indent, key separator, item separator, sort_keys, skipkeys, allow_nan):
    # no cycle check (events are trees), str() for unknown values, NaN and infinities refused.
    _encode_c = _make_encoder(None, str, _quote_c, None, ":", ",", False, False, False)

_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def _quote_py(text: str) -> str:
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif 0x20 <= code < 0x7F:
            out.append(ch)
        elif code <= 0xFFFF:
            out.append("\\u%04x" % code)
        else:
            code -= 0x10000
            out.append("\\u%04x\\u%04x" % (0xD800 | (code >> 10), 0xDC00 | (code & 0x3FF)))
    out.append('"')
    return "".join(out)


quote: "Callable[[str], str]" = _quote_c if _quote_c is not None else _quote_py


def _encode(value: "Any", out: "List[str]") -> None:
    if isinstance(value, str):
        out.append(quote(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        # JSON has no NaN or infinities.
        out.append(float.__repr__(value) if value == value and value not in (float("inf"), float("-inf")) else "null")
    elif isinstance(value, dict):
        out.append("{")
        first = True
        for key, item in value.items():
            if not first:
                out.append(",")
            first = False
            out.append(quote(key if isinstance(key, str) else str(key)))
            out.append(":")
            _encode(item, out)
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for index, item in enumerate(value):
            if index:
                out.append(",")
            _encode(item, out)
        out.append("]")
    else:
        out.append(quote(str(value)))


def encode(value: "Any") -> str:
    """Compact JSON text for ``value`` (ASCII only)."""
    if _encode_c is not None:
        try:
            return "".join(_encode_c(value, 0))
        except (ValueError, TypeError):
            pass  # a non-finite float, or a key that is not a string or number
    out: "List[str]" = []
    _encode(value, out)
    return "".join(out)


def encode_line(value: "Any") -> bytes:
    """``value`` as one newline-terminated JSON line."""
    return (encode(value) + "\n").encode("ascii")
