"""Parse CPython's faulthandler dumps into structured stacks (pure: text in, dicts out).

The format (CPython 3.8-3.13, ``faulthandler.register(..., all_threads=True)``;
docs/protocol.md describes it for the TypeScript side)::

    Thread 0x00007f3a2c1ff6c0 (most recent call first):
      File "/app/worker.py", line 12 in wait_for_lock
      File "/usr/lib/python3.11/threading.py", line 1045 in _bootstrap_inner
      File "/usr/lib/python3.11/threading.py", line 1002 in _bootstrap

    Current thread 0x00007f3a2d4e8b80 (most recent call first):
      Garbage-collecting
      File "/app/main.py", line 30 in <module>

* One block per thread, separated by an empty line, newest thread first: the
  last block is the main thread (the interpreter's first thread state).
  ``Current thread`` marks the thread that ran the signal handler (any thread).
* Thread idents are ``threading.get_ident()`` in hexadecimal.
* Frames run innermost first. A missing part is written ``???``; more than 100
  frames end with ``  ...`` (3.13.0 omits that line: a thread with 100 frames is
  taken as cut); more than 100 threads end the dump with ``...``.
  A thread without Python frames has ``<no Python frame>`` (indented from 3.12)
  or ``  <tstate is freed>``.
* Strings are cut at 500 characters (then ``...``) and only printable ASCII is
  written as is: other characters become ``\\xNN``, ``\\uNNNN`` or ``\\UNNNNNNNN``.
* Dumps are appended to the same file; a new dump starts where a thread ident
  repeats. There is no end marker: a reader waits until the file stops growing.
"""

import re

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Set

_HEADER = re.compile(r"^(Current thread|Thread) 0x([0-9a-fA-F]+) \(most recent call first\):$")
_SINGLE_HEADER = "Stack (most recent call first):"
_FRAME = re.compile(r'^  File (?:"(.*)"|\?\?\?), line (\d+|\?\?\?) in (.*)$')
_ESCAPE = re.compile(r"\\(x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})")
#: faulthandler writes at most this many frames per thread.
MAX_FRAMES = 100


def unescape(text: str) -> str:
    """Undo faulthandler's escapes (only those it can write: non-printable or non-ASCII characters)."""

    def replace(match: "Any") -> str:
        code = int(match.group(1)[1:], 16)
        if 0x20 <= code <= 0x7E or code > 0x10FFFF:
            return str(match.group(0))  # printable ASCII is never escaped: this was a literal backslash
        return chr(code)

    return _ESCAPE.sub(replace, text) if "\\" in text else text


def _frame(match: "Any") -> "Dict[str, Any]":
    file_text, line_text, function = match.group(1), match.group(2), match.group(3)
    return {
        "file": unescape(file_text) if file_text is not None else "???",
        "line": int(line_text) if line_text.isdigit() else None,
        "function": unescape(function),
    }


def parse_dumps(text: str) -> "List[Dict[str, Any]]":
    """Every complete dump in ``text``, oldest first: ``{"threads": [...], "threads_truncated"?: True}``.

    Threads are in the schema's shape (``ident``, ``frames`` innermost first,
    ``main`` on the last thread of a dump that was not cut, ``frames_truncated``)
    and listed main thread first. An unterminated last line is ignored (a dump
    still being written).
    """
    lines = text.split("\n")
    lines.pop()  # the text after the last newline: empty, or a line still being written
    dumps: "List[Dict[str, Any]]" = []
    threads: "List[Dict[str, Any]]" = []
    seen: "Set[int]" = set()
    current: "Optional[Dict[str, Any]]" = None
    truncated = False

    def close_dump() -> None:
        nonlocal threads, seen, truncated, current
        if threads:
            dumps.append(_finish(threads, truncated))
        threads, seen, truncated, current = [], set(), False, None

    for line in lines:
        header = _HEADER.match(line)
        if header is not None or line == _SINGLE_HEADER:
            ident = int(header.group(2), 16) if header is not None else 0
            if ident in seen or truncated:
                close_dump()
            seen.add(ident)
            current = {"ident": ident, "frames": []}
            threads.append(current)
            continue
        if current is None:
            continue  # not inside a dump (an error message, the text of another writer)
        frame = _FRAME.match(line)
        if frame is not None:
            current["frames"].append(_frame(frame))
        elif line == "  ...":
            current["frames_truncated"] = True
        elif line == "...":
            truncated = True
        # "" (between threads), "  Garbage-collecting", "<no Python frame>": nothing to record
    close_dump()
    return dumps


def _finish(threads: "List[Dict[str, Any]]", truncated: bool) -> "Dict[str, Any]":
    for thread in threads:
        if len(thread["frames"]) >= MAX_FRAMES:
            thread["frames_truncated"] = True  # 3.13.0 cuts at 100 frames without writing "  ..."
    dump: "Dict[str, Any]" = {"threads": threads}
    if not truncated:
        main = threads[-1]
        main["main"] = True
        dump["threads"] = [main] + threads[:-1]
    else:
        dump["threads_truncated"] = True
    return dump


def parse_last_dump(text: str) -> "Optional[Dict[str, Any]]":
    """The most recent complete dump in ``text``, or None."""
    dumps = parse_dumps(text)
    return dumps[-1] if dumps else None


def format_threads(threads: "List[Dict[str, Any]]", indent: str = "  ") -> "List[str]":
    """Lines for a terminal, like faulthandler's own (innermost frame first)."""
    lines: "List[str]" = []
    for thread in threads:
        title = "main thread" if thread.get("main") else "thread"
        name = thread.get("name")
        label = "%s %s" % (title, name) if name and not thread.get("main") else title
        lines.append("%s%s 0x%x (most recent call first):" % (indent, label, thread.get("ident", 0)))
        frames = thread.get("frames") or []
        if not frames:
            lines.append("%s  <no Python frame>" % indent)
        for frame in frames:
            line = frame.get("line")
            lines.append('%s  File "%s", line %s in %s' % (indent, frame.get("file"), "???" if line is None else line,
                                                           frame.get("function")))
        if thread.get("frames_truncated"):
            lines.append("%s  ..." % indent)
    return lines
