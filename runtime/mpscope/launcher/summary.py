"""The process tree printed by ``python -m mpscope run`` when the program ends.

One line per process, indented under the process that started it::

    mpscope: 3 processes
    4711 guarded_process.py [main] exit 0
    ├── 4712 Process-1 [process, fork] __main__.work exit 0
    └── 4713 Process-2 [process, fork] __main__.work exit 1 · ValueError: boom
"""

from __future__ import annotations

import os

from mpscope import events as ev
from mpscope.launcher.runmodel import (
    STATE_EXITED,
    STATE_FAILED,
    STATE_KILLED,
    STATE_LOST,
    ProcessRecord,
    RunModel,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Dict, List, Optional, Set

# Roles whose start method is worth showing (helpers are always exec'd, main and bare forks have none).
_STARTED_BY_MULTIPROCESSING = (ev.ROLE_PROCESS, ev.ROLE_POOL_WORKER, ev.ROLE_EXECUTOR_WORKER, ev.ROLE_MANAGER)

UNICODE_BRANCHES = ("├── ", "└── ", "│   ", "    ")
ASCII_BRANCHES = ("|-- ", "`-- ", "|   ", "    ")


def label(record: ProcessRecord) -> str:
    """A short name: what was run for the main process, else the Process name."""
    if record.label:
        return record.label
    if record.role == ev.ROLE_MAIN and record.argv:
        first = record.argv[0]
        if first in ("-c", "-m"):
            return first
        return os.path.basename(first) or first
    return record.name or ""


def describe_exit(record: ProcessRecord) -> str:
    state = record.state
    if state == STATE_EXITED:
        return "exit 0"
    if state == STATE_FAILED:
        return "exit %d" % record.exitcode  # type: ignore[str-format]
    if state == STATE_KILLED:
        signal = record.signal or "signal"
        code = record.exitcode
        return "killed by %s (%d)" % (signal, code) if isinstance(code, int) else "killed by %s" % signal
    if state == STATE_LOST:
        return "lost (no exit status)"
    return "still running"


def describe(record: ProcessRecord) -> str:
    parts = [str(record.pid)]
    name = label(record)
    if name:
        parts.append(name)
    tags = [record.role or "process"]
    if record.start_method and record.role in _STARTED_BY_MULTIPROCESSING:
        tags.append(record.start_method)
    parts.append("[%s]" % ", ".join(tags))
    if record.target and record.role == ev.ROLE_PROCESS:
        parts.append(record.target)
    parts.append(describe_exit(record))
    text = " ".join(parts)
    exception = record.exception
    if exception is not None:
        message = str(exception.get("message", "")).strip().splitlines()
        first = message[0] if message else ""
        text += " · %s%s" % (exception.get("type", "Exception"), ": " + first if first else "")
    if record.errors:
        text += " · mpscope hook failed: %s" % ", ".join(str(e.get("where")) for e in record.errors)
    return text


def render(model: RunModel, ascii_only: bool = False, problems: "Optional[Dict[str, int]]" = None) -> "List[str]":
    branches = ASCII_BRANCHES if ascii_only else UNICODE_BRANCHES
    shown = model.shown()
    lines = ["mpscope: %d process%s" % (len(shown), "" if len(shown) == 1 else "es")]
    visited: "Set[int]" = set()

    def walk(record: ProcessRecord, prefix: str, connector: str, continuation: str) -> None:
        visited.add(record.pid)
        lines.append(prefix + connector + describe(record))
        kids = [k for k in model.children(record.pid) if k.pid not in visited]
        for index, kid in enumerate(kids):
            last = index == len(kids) - 1
            walk(kid, prefix + continuation, branches[1] if last else branches[0], branches[3] if last else branches[2])

    for root in model.roots():
        if root.pid not in visited:
            walk(root, "", "", "")
    for record in shown:  # anything left over (a cycle from reused pids): show flat
        if record.pid not in visited:
            walk(record, "", "", "")
    if problems:
        details = ", ".join("%d %s" % (count, name) for name, count in sorted(problems.items()))
        lines.append("mpscope: dropped collector input: %s" % details)
    return lines


def can_encode(text: str, encoding: "Optional[str]") -> bool:
    try:
        text.encode(encoding or "ascii")
        return True
    except (LookupError, UnicodeEncodeError):
        return False
