"""Pools and executors as their owner sees them: identity, lifecycle events, submission counts.

Shared by ``hooks/pool.py`` (multiprocessing's Pool) and ``hooks/executor.py``
(concurrent.futures' ProcessPoolExecutor). A pool gets an id ``<pid>-<n>``
when it is constructed. Its workers are linked to it through the queue they
read tasks from (the first argument of every worker's target): replacement
workers are started by a pool's own thread, where no pool object is on the
stack, but that queue is always in their arguments.

Submissions are counted per (pool, method, function). A map-family call sends
its own ``task.submitted`` (it carries the job id and chunking the worker-side
records refer to); calls that submit one task each (``apply``,
``apply_async``, ``submit``) are folded: the first call of a function is sent
at once, later ones only as a running count a few times a second and when the
pool changes state or the process ends.
"""

import itertools
import os
import time
import weakref

from mpscope import agent as _agent
from mpscope import events as ev
from mpscope.notes import Notes
from mpscope.roles import qualified_name
from mpscope.userframes import USER, caller_site, kind_of

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import FrameType
    from typing import Any, Dict, List, Optional, Set, Tuple

#: Folded submission counts are sent at most this often (seconds) while calls keep coming.
SUBMISSION_PERIOD = 0.5

_MAP_FAMILY = frozenset(
    (ev.METHOD_MAP, ev.METHOD_MAP_ASYNC, ev.METHOD_STARMAP, ev.METHOD_STARMAP_ASYNC, ev.METHOD_IMAP, ev.METHOD_IMAP_UNORDERED)
)

_numbers = itertools.count(1)
_by_pool = Notes()
_by_queue = Notes()
_by_worker = Notes()
#: Records with folded counts not yet sent (flushed by the agent's finisher).
_unsent: "Set[PoolRecord]" = set()


class _Submission:
    __slots__ = ("calls", "sent", "sent_at", "site")

    def __init__(self, site: "Optional[Dict[str, Any]]") -> None:
        self.calls = 0
        self.sent = 0
        self.sent_at = 0.0
        self.site = site


class PoolRecord:
    """What mpscope knows about one pool of this process."""

    __slots__ = ("id", "api", "site", "owner", "announced", "running", "closed", "terminated", "joined",
                 "processes", "workers", "submissions", "map_call", "_pool", "__weakref__")

    def __init__(self, pool: "Any", api: str, site: "Optional[Dict[str, Any]]") -> None:
        self.id = "%d-%d" % (os.getpid(), next(_numbers))
        self.api = api
        self.site = site
        self.owner = os.getpid()  # a forked child inherits the record, not the pool
        self.announced = False
        self.running = False
        self.closed = False
        self.terminated = False
        self.joined = False
        self.processes: "Optional[int]" = None
        self.workers = 0  # workers started so far; more than `processes` means replacements
        self.submissions: "Dict[Tuple[str, Optional[str]], _Submission]" = {}
        self.map_call: "Optional[weakref.ref[Any]]" = None  # executor: the map call being submitted
        self._pool = weakref.ref(pool)

    @property
    def pool(self) -> "Any":
        return self._pool()

    @property
    def mine(self) -> bool:
        return self.owner == os.getpid()


_names: "Dict[Any, Optional[str]]" = {}
_REMEMBERED = (type(qualified_name), type(len))  # Python functions, built-in functions


def function_name(func: "Any") -> "Optional[str]":
    """``qualified_name(func)``, remembered for plain functions: the same ones are submitted over and over.

    Only functions are remembered: a bound method or a partial would keep its object alive.
    """
    if type(func) not in _REMEMBERED:
        return qualified_name(func) if func is not None else None
    name = _names.get(func)
    if name is None:
        name = qualified_name(func)
        if len(_names) >= 512:
            _names.clear()
        _names[func] = name
    return name


def new_record(pool: "Any", api: str, site: "Optional[Dict[str, Any]]") -> PoolRecord:
    record = PoolRecord(pool, api, site)
    _by_pool.of(pool)["record"] = record
    return record


def record_of(pool: "Any") -> "Optional[PoolRecord]":
    notes = _by_pool.get(pool)
    return notes.get("record") if notes is not None else None


def link_queue(queue: "Any", record: PoolRecord) -> None:
    """Workers reading tasks from ``queue`` belong to ``record``'s pool."""
    _by_queue.of(queue)["record"] = record


def record_for_queue(queue: "Any") -> "Optional[PoolRecord]":
    notes = _by_queue.get(queue)
    return notes.get("record") if notes is not None else None


def note_worker(process: "Any", record: PoolRecord) -> None:
    """At a worker's construction (``start()`` deletes the arguments that tell its pool)."""
    _by_worker.of(process)["record"] = record


def worker_record(process: "Any") -> "Optional[PoolRecord]":
    notes = _by_worker.get(process)
    return notes.get("record") if notes is not None else None


# -- lifecycle events --------------------------------------------------------


def announce(record: PoolRecord, fields: "Dict[str, Any]") -> None:
    """Send pool.created once. ``fields``: processes, maxtasksperchild, initializer, class, start_method."""
    if record.announced:
        return
    agent = _agent.current()
    if agent is None:
        return
    record.announced = True
    record.processes = fields.get("processes")
    created: "Dict[str, Any]" = {"pool": record.id, "api": record.api}
    for key in ("class", "processes", "maxtasksperchild", "initializer", "start_method"):
        if key in fields and (fields[key] is not None or key == "maxtasksperchild"):
            created[key] = fields[key]
    if record.site is not None:
        created["site"] = record.site
    agent.emit(ev.POOL_CREATED, created)


def state_changed(record: PoolRecord, kind: str, site: "Optional[Dict[str, Any]]" = None, **extra: "Any") -> None:
    """pool.closed / pool.terminated / pool.joined, after the folded counts they end."""
    agent = _agent.current()
    if agent is None or not record.mine:
        return
    flush_submissions(record)
    fields: "Dict[str, Any]" = {"pool": record.id}
    if site is not None:
        fields["site"] = site
    fields.update(extra)
    agent.emit(kind, fields)


def worker_fields(record: PoolRecord, created: "Dict[str, Any]") -> None:
    """Link a worker's process.created to its pool; a replacement gets the pool's site."""
    record.workers += 1
    created["pool"] = record.id
    if record.processes is not None and record.workers > record.processes:
        created["replacement"] = True
    site = created.get("site")
    if record.site is not None and (site is None or kind_of(site.get("file", "")) != USER):
        created["site"] = record.site  # started by the pool's own thread: no user frame on that stack


# -- submissions -----------------------------------------------------------------


def submitted(record: PoolRecord, method: str, func: "Optional[str]", caller: "Optional[FrameType]",
              job: "Optional[int]" = None, chunksize: "Optional[int]" = None, items: "Optional[int]" = None) -> None:
    """Count one call; send it now (map family, first call) or fold it."""
    key = (method, func)
    entry = record.submissions.get(key)
    first = entry is None
    if entry is None:
        entry = record.submissions[key] = _Submission(caller_site(caller))
    entry.calls += 1
    now = time.monotonic()
    if method in _MAP_FAMILY:
        fields: "Dict[str, Any]" = {}
        if job is not None:
            fields["job"] = job
        if chunksize is not None:
            fields["chunksize"] = chunksize
        fields["items"] = items
        site = entry.site if first else caller_site(caller)
        _send_submission(record, key, entry, now, site, fields)
    elif first:
        _send_submission(record, key, entry, now, entry.site, {"job": job} if job is not None else {})
    elif now - entry.sent_at >= SUBMISSION_PERIOD:
        _send_submission(record, key, entry, now, entry.site, {})
    elif record not in _unsent:
        _unsent.add(record)
        _ensure_finisher()


def _send_submission(record: PoolRecord, key: "Tuple[str, Optional[str]]", entry: _Submission, now: float,
                     site: "Optional[Dict[str, Any]]", extra: "Dict[str, Any]") -> None:
    agent = _agent.current()
    if agent is None:
        return
    entry.sent = entry.calls
    entry.sent_at = now
    fields: "Dict[str, Any]" = {"pool": record.id, "method": key[0]}
    if key[1] is not None:
        fields["func"] = key[1]
    fields["calls"] = entry.calls
    fields.update(extra)
    if site is not None:
        fields["site"] = site
    agent.emit(ev.TASK_SUBMITTED, fields, urgent=False)


def flush_submissions(record: PoolRecord) -> None:
    if not record.mine:
        return
    _unsent.discard(record)
    now = time.monotonic()
    for key, entry in list(record.submissions.items()):
        if entry.calls > entry.sent:
            _send_submission(record, key, entry, now, entry.site, {})


def _flush_all() -> None:
    for record in list(_unsent):
        flush_submissions(record)


def _ensure_finisher() -> None:
    """Folded counts still unsent when the process ends go out with its last flush."""
    agent = _agent.current()
    finishers: "Optional[List[Any]]" = getattr(agent, "finishers", None)
    if finishers is not None and _flush_all not in finishers:
        finishers.append(_flush_all)
