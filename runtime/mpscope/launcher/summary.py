"""What ``python -m mpscope run`` prints when the program ends: a tree, or the same as JSON.

One line per process, indented under the process that started it::

    mpscope: 3 processes
    4711 guarded_process.py [main] exit 0 after 0.21s
    ├── 4712 Process-1 [process, fork] __main__.work exit 0 after 0.02s
    └── 4713 Process-2 [process, fork] __main__.work exit 1 after 0.03s · ValueError: boom

Colors (exit states, exceptions) only when asked: the CLI turns them on for a
terminal unless ``NO_COLOR`` is set. ``summary_json`` is the ``--json`` shape,
documented in docs/protocol.md ("Terminal summary as JSON").
"""

import os

from mpscope import events as ev
from mpscope.launcher.runmodel import (
    STATE_EXITED,
    STATE_FAILED,
    STATE_KILLED,
    STATE_LOST,
    STATE_RUNNING,
    ProcessRecord,
    RunModel,
)

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Dict, List, Optional, Set

#: Version of the ``--json`` document's shape.
SUMMARY_VERSION = 1

# Roles whose start method is worth showing (helpers are always exec'd, main and bare forks have none).
STARTED_BY_MULTIPROCESSING = (ev.ROLE_PROCESS, ev.ROLE_POOL_WORKER, ev.ROLE_EXECUTOR_WORKER, ev.ROLE_MANAGER)

UNICODE_BRANCHES = ("├── ", "└── ", "│   ", "    ")
ASCII_BRANCHES = ("|-- ", "`-- ", "|   ", "    ")


class Style:
    """ANSI styling, or none at all."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def _wrap(self, code: str, text: str) -> str:
        return "\033[%sm%s\033[0m" % (code, text) if self.enabled and text else text

    def bold(self, text: str) -> str:
        return self._wrap("1", text)

    def dim(self, text: str) -> str:
        return self._wrap("2", text)

    def ok(self, text: str) -> str:
        return self._wrap("32", text)

    def bad(self, text: str) -> str:
        return self._wrap("31", text)

    def warn(self, text: str) -> str:
        return self._wrap("33", text)

    def state(self, state: str, text: str) -> str:
        if state == STATE_EXITED:
            return self.ok(text)
        if state in (STATE_FAILED, STATE_KILLED):
            return self.bad(text)
        return self.warn(text)


PLAIN = Style(False)


def wants_color(stream: "Any", environ: "Dict[str, str]", choice: str = "auto") -> bool:
    """``--color``: always / never / auto (a terminal, and NO_COLOR unset or empty, and TERM not dumb)."""
    if choice == "always":
        return True
    if choice == "never":
        return False
    if environ.get("NO_COLOR") or environ.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


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


def format_duration(seconds: "Optional[float]") -> str:
    if seconds is None:
        return ""
    if seconds < 1.0:
        return "%dms" % round(seconds * 1000)
    if seconds < 60.0:
        return "%.2fs" % seconds
    minutes, rest = divmod(int(round(seconds)), 60)
    if minutes < 60:
        return "%dm%02ds" % (minutes, rest)
    hours, minutes = divmod(minutes, 60)
    return "%dh%02dm" % (hours, minutes)


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


def first_line(text: "Any") -> str:
    lines = str(text or "").strip().splitlines()
    return lines[0] if lines else ""


def exception_line(exception: "Dict[str, Any]") -> str:
    message = first_line(exception.get("message"))
    return "%s%s" % (exception.get("type", "Exception"), ": " + message if message else "")


def tasks_text(record: ProcessRecord) -> str:
    """``12 tasks done, 1 failed`` for a worker that ran tasks (empty otherwise)."""
    done, failed = record.tasks_done, record.tasks_failed
    if not done and not failed:
        return ""
    text = "%d task%s done" % (done, "" if done == 1 else "s")
    if failed:
        text += ", %d failed" % failed
    return text


def describe(record: ProcessRecord, style: Style = PLAIN) -> str:
    parts = [style.dim(str(record.pid))]
    name = label(record)
    if name:
        parts.append(style.bold(name))
    tags = [record.role or "process"]
    if record.start_method and record.role in STARTED_BY_MULTIPROCESSING:
        tags.append(record.start_method)
    parts.append("[%s]" % ", ".join(tags))
    if record.target and record.role == ev.ROLE_PROCESS:
        parts.append(record.target)
    ending = describe_exit(record)
    lifetime = record.lifetime if record.state not in (STATE_RUNNING, STATE_LOST) else None
    if lifetime is not None:
        ending += " after " + format_duration(lifetime)
    parts.append(style.state(record.state, ending))
    text = " ".join(parts)
    extras = []
    tasks = tasks_text(record)
    if tasks:
        extras.append(style.bad(tasks) if record.tasks_failed else tasks)
    if record.queue_backlog:
        extras.append(style.warn("%d item%s left in queues" % (record.queue_backlog, "" if record.queue_backlog == 1 else "s")))
    exception = record.exception
    if exception is not None:
        extras.append(style.bad(exception_line(exception)))
    if record.errors:
        extras.append(style.warn("mpscope hook failed: %s" % ", ".join(str(e.get("where")) for e in record.errors)))
    for extra in extras:
        text += " · " + extra
    return text


def render(model: RunModel, ascii_only: bool = False, problems: "Optional[Dict[str, int]]" = None,
           style: Style = PLAIN) -> "List[str]":
    branches = ASCII_BRANCHES if ascii_only else UNICODE_BRANCHES
    shown = model.shown()
    lines = [style.bold("mpscope: %d process%s" % (len(shown), "" if len(shown) == 1 else "es"))]
    visited: "Set[int]" = set()

    def walk(record: ProcessRecord, prefix: str, connector: str, continuation: str) -> None:
        visited.add(record.pid)
        lines.append(style.dim(prefix + connector) + describe(record, style))
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
        lines.append(style.warn("mpscope: dropped collector input: %s" % details))
    return lines


def summary_json(model: RunModel, problems: "Optional[Dict[str, int]]" = None,
                 program: "Optional[Dict[str, Any]]" = None) -> "Dict[str, Any]":
    """The ``--json`` document: the run's processes in tree order, each with its one merged exit."""
    order: "List[ProcessRecord]" = []
    seen: "Set[int]" = set()

    def walk(record: ProcessRecord) -> None:
        seen.add(record.pid)
        order.append(record)
        for kid in model.children(record.pid):
            if kid.pid not in seen:
                walk(kid)

    for root in model.roots():
        if root.pid not in seen:
            walk(root)
    order.extend(r for r in model.shown() if r.pid not in seen)
    processes = []
    for record in order:
        entry: "Dict[str, Any]" = {
            "pid": record.pid,
            "parent": model.logical_parent(record),
            "ppid": record.ppid,
            "role": record.role,
            "name": record.name,
            "label": label(record) or None,
            "start_method": record.start_method,
            "target": record.target,
            "site": record.site,
            "started": record.born,
            "ended": record.ended,
            "lifetime": record.lifetime,
            "state": record.state,
            "exit": record.merged_exit(),
            "tasks": {"done": record.tasks_done, "failed": record.tasks_failed},
            "queue_backlog": record.queue_backlog,
            "hook_errors": [{"where": e.get("where"), "message": e.get("message")} for e in record.errors],
        }
        processes.append(entry)
    return {
        "mpscope_summary": SUMMARY_VERSION,
        "program": program or {},
        "processes": processes,
        "dropped": dict(problems or {}),
    }


def can_encode(text: str, encoding: "Optional[str]") -> bool:
    try:
        text.encode(encoding or "ascii")
        return True
    except (LookupError, UnicodeEncodeError):
        return False
