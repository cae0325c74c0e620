"""Finding the user's code on a stack: where a Process was created, where an exception came from.

Frames are sorted into three kinds:

* internal: ``multiprocessing``, ``concurrent.futures``, mpscope itself and frozen
  import machinery. Never shown as a site.
* library: the rest of the standard library and installed packages
  (site-packages / dist-packages). Used only when no user frame exists.
* user: everything else (the program, ``<stdin>``, ``<string>`` for ``-c``).
"""

import os
import sys

from mpscope import events as ev
from mpscope.bounded import clip

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import FrameType, TracebackType
    from typing import Any, Dict, Optional

INTERNAL = 0
LIBRARY = 1
USER = 2

_STDLIB = os.path.normcase(os.path.dirname(os.path.abspath(os.__file__)))
_MPSCOPE = os.path.normcase(os.path.dirname(os.path.abspath(__file__)))
_INTERNAL_DIRS = (
    _MPSCOPE + os.sep,
    os.path.join(_STDLIB, "multiprocessing") + os.sep,
    os.path.join(_STDLIB, "concurrent") + os.sep,
)
_PACKAGE_DIRS = ("site-packages", "dist-packages")

_kinds: "Dict[str, int]" = {}


def kind_of(filename: str) -> int:
    kind = _kinds.get(filename)
    if kind is None:
        kind = _classify(filename)
        if len(_kinds) < 4096:
            _kinds[filename] = kind
    return kind


def _classify(filename: str) -> int:
    if filename.startswith("<"):
        return INTERNAL if filename.startswith("<frozen") else USER
    path = os.path.normcase(os.path.abspath(filename))
    if path.startswith(_INTERNAL_DIRS):
        return INTERNAL
    parts = path.split(os.sep)
    if any(part in _PACKAGE_DIRS for part in parts):
        return LIBRARY
    if path.startswith(_STDLIB + os.sep):
        return LIBRARY
    return USER


def site_of(frame: "FrameType") -> "Dict[str, Any]":
    code = frame.f_code
    filename = code.co_filename
    if not filename.startswith("<"):
        filename = os.path.abspath(filename)
    site: "Dict[str, Any]" = {"file": clip(filename, ev.MAX_PATH), "line": max(1, frame.f_lineno or 1)}
    site["function"] = clip(code.co_name, ev.MAX_NAME)
    return site


def caller_site(frame: "Optional[FrameType]", constructing: "Any" = None) -> "Optional[Dict[str, Any]]":
    """The first user frame walking outwards from ``frame``.

    ``constructing``: frames of ``__init__`` methods running on that object (a
    Process subclass calling ``super().__init__``) are skipped, so the site is
    the line that wrote ``MyProcess(...)``.
    """
    fallback = None
    while frame is not None:
        kind = kind_of(frame.f_code.co_filename)
        if kind != INTERNAL and not (
            constructing is not None and frame.f_code.co_name == "__init__" and _self_of(frame) is constructing
        ):
            if kind == USER:
                return site_of(frame)
            if fallback is None:
                fallback = frame
        frame = frame.f_back
    return site_of(fallback) if fallback is not None else None


def _self_of(frame: "FrameType") -> "Any":
    code = frame.f_code
    if not code.co_argcount or code.co_varnames[0] != "self":
        return None
    return frame.f_locals.get("self")


def innermost_site(tb: "Optional[TracebackType]") -> "Optional[Dict[str, Any]]":
    """The innermost user frame of a traceback (where the user's code raised or called the raiser)."""
    best = None
    fallback = None
    while tb is not None:
        frame = tb.tb_frame
        kind = kind_of(frame.f_code.co_filename)
        if kind == USER:
            best = (frame, tb.tb_lineno)
        elif kind == LIBRARY:
            fallback = (frame, tb.tb_lineno)
        tb = tb.tb_next
    chosen = best or fallback
    if chosen is None:
        return None
    frame, line = chosen
    site = site_of(frame)
    site["line"] = max(1, line or 1)
    return site


def current_frame(depth: int = 1) -> "Optional[FrameType]":
    try:
        return sys._getframe(depth + 1)
    except ValueError:
        return None
