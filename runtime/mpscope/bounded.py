"""Bounded, never-raising text for events.

Every string the runtime sends is clipped to the limit the schema gives it, so
no line can grow past the collector's 1 MiB bound. Limits are counted in UTF-16
code units, the unit JavaScript validators use, which is never fewer than the
code points Python counts.
"""

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

ELLIPSIS = "\u2026"


def utf16_length(text: str) -> int:
    # Characters above the BMP take two UTF-16 units.
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def clip(text: str, limit: int) -> str:
    """``text`` shortened (with a trailing ellipsis) to at most ``limit`` UTF-16 units."""
    if len(text) * 2 <= limit or utf16_length(text) <= limit:
        return text
    budget = limit - 1  # room for the ellipsis
    out = []
    used = 0
    for ch in text:
        width = 2 if ord(ch) > 0xFFFF else 1
        if used + width > budget:
            break
        out.append(ch)
        used += width
    return "".join(out) + ELLIPSIS


def clip_middle(text: str, limit: int) -> str:
    """Keep both ends of a long text (tracebacks: the head says where, the tail says why)."""
    if len(text) * 2 <= limit or utf16_length(text) <= limit:
        return text
    marker = "\n" + ELLIPSIS + "\n"
    half = (limit - len(marker)) // 2
    head = clip(text, half + 1)[:-1]
    tail_reversed = clip(text[::-1], half + 1)[:-1]
    return head + marker + tail_reversed[::-1]


def safe_str(value: "Any", limit: int) -> str:
    """``str(value)`` bounded; a failing ``__str__`` yields a placeholder instead of an error."""
    try:
        text = value if isinstance(value, str) else str(value)
    except Exception:
        text = "<unprintable %s>" % _type_name(value)
    return clip(text, limit)


def safe_repr(value: "Any", limit: int) -> str:
    """A bounded repr that survives huge, recursive or raising ``__repr__`` implementations."""
    try:
        import reprlib

        shortener = reprlib.Repr()
        shortener.maxstring = max(limit, 16)
        shortener.maxother = max(limit, 16)
        text = shortener.repr(value)
    except Exception:
        text = "<unrepresentable %s>" % _type_name(value)
    return clip(text, limit)


def _type_name(value: "Any") -> str:
    try:
        return type(value).__qualname__
    except Exception:
        return "object"
