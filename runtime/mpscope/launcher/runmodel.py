"""Events in, one record per process out: the state the terminal summary shows.

Pure (no I/O). Processes are known from their own ``hello`` or from their
parent's ``process.started``; events may arrive in any order across streams.
Exit records from several reporters are merged into one: the exit status seen
by the parent or the launcher wins (only they see signals), the process's own
record adds the exception, and the collector's ``lost`` fills in when nobody
else spoke.
"""

from mpscope import events as ev

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Dict, List, Optional

# Whose exit code is trusted first.
_EXIT_PRIORITY = (ev.REPORTER_LAUNCHER, ev.REPORTER_PARENT, ev.REPORTER_SELF, ev.REPORTER_COLLECTOR)

STATE_RUNNING = "running"
STATE_EXITED = "exited"  # exit code 0
STATE_FAILED = "failed"  # non-zero exit code
STATE_KILLED = "killed"  # ended by a signal
STATE_LOST = "lost"  # stream closed, nobody reported an exit


class ProcessRecord:
    def __init__(self, pid: int, order: int) -> None:
        self.pid = pid
        self.order = order
        self.ppid: "Optional[int]" = None
        self.parent: "Optional[int]" = None  # the process that called start() (differs from ppid under forkserver)
        self.role: "Optional[str]" = None
        self.name: "Optional[str]" = None
        self.start_method: "Optional[str]" = None
        self.target: "Optional[str]" = None
        self.site: "Optional[Dict[str, Any]]" = None
        self.argv: "List[str]" = []
        self.proc: "Optional[str]" = None
        self.label: "Optional[str]" = None  # set by whoever knows better (the launcher, for the main process)
        self.said_hello = False
        self.quiet = False  # its parent said it runs without a stream until it has something to send
        self.stream_closed = False
        self.exits: "Dict[str, Dict[str, Any]]" = {}
        self.errors: "List[Dict[str, Any]]" = []
        self.born: "Optional[float]" = None  # earliest of its parent's process.started and its own hello
        self.ended: "Optional[float]" = None  # time of the first exit record about it
        self.stacks_support: "Optional[Dict[str, Any]]" = None  # hello.stacks (or a quiet child's process.started.stacks)
        self.stacks: "List[Dict[str, Any]]" = []  # stacks events about it, oldest first
        self.tasks_done = 0  # tasks (or chunks) this worker ran that returned (its latest task.counters)
        self.tasks_failed = 0  # ... that raised
        self.queue_leftovers: "Dict[str, int]" = {}  # queue id -> items it still held when this process ended

    def note_end(self, t: "Any") -> None:
        if isinstance(t, (int, float)) and (self.ended is None or t < self.ended):
            self.ended = t

    def note_birth(self, t: "Any") -> None:
        if isinstance(t, (int, float)) and (self.born is None or t < self.born):
            self.born = t

    # -- merged exit -------------------------------------------------------

    def exit_event(self) -> "Optional[Dict[str, Any]]":
        for reporter in _EXIT_PRIORITY:
            if reporter in self.exits:
                return self.exits[reporter]
        return None

    @property
    def exitcode(self) -> "Optional[int]":
        event = self.exit_event()
        return event.get("exitcode") if event is not None else None

    @property
    def signal(self) -> "Optional[str]":
        event = self.exit_event()
        return event.get("signal") if event is not None else None

    @property
    def exception(self) -> "Optional[Dict[str, Any]]":
        own = self.exits.get(ev.REPORTER_SELF)
        return own.get("exception") if own is not None else None

    def merged_exit(self) -> "Optional[Dict[str, Any]]":
        """The one exit record of this process: code and signal from the most trusted reporter,
        the exception from the process itself; None while nobody reported its end."""
        event = self.exit_event()
        if event is None:
            return None
        merged: "Dict[str, Any]" = {"reporter": event.get("reporter"), "exitcode": event.get("exitcode"),
                                    "signal": event.get("signal")}
        if self.exception is not None:
            merged["exception"] = self.exception
        return merged

    @property
    def lifetime(self) -> "Optional[float]":
        if self.born is None or self.ended is None:
            return None
        return max(0.0, self.ended - self.born)

    @property
    def queue_backlog(self) -> int:
        """Items left in the queues this process used, as it ended (queue.leftover)."""
        return sum(self.queue_leftovers.values())

    @property
    def stream_open(self) -> bool:
        return self.said_hello and not self.stream_closed

    @property
    def state(self) -> str:
        event = self.exit_event()
        if event is None:
            return STATE_LOST if self.stream_closed else STATE_RUNNING
        code = event.get("exitcode")
        if event.get("reporter") == ev.REPORTER_COLLECTOR or code is None:
            return STATE_LOST
        if code < 0 or event.get("signal"):
            return STATE_KILLED
        return STATE_EXITED if code == 0 else STATE_FAILED


def _never_gone(pid: int) -> bool:
    return False


class RunModel:
    def __init__(self) -> None:
        self.processes: "Dict[int, ProcessRecord]" = {}
        self._procs: "Dict[str, Dict[str, Any]]" = {}  # proc id -> process.created fields
        self.events = 0

    def record(self, pid: int) -> ProcessRecord:
        found = self.processes.get(pid)
        if found is None:
            found = ProcessRecord(pid, len(self.processes))
            self.processes[pid] = found
        return found

    def add(self, event: "Dict[str, Any]") -> None:
        self.events += 1
        kind = event.get("kind")
        sender = self.record(event["pid"])
        t = event.get("t")
        if kind == ev.HELLO:
            sender.said_hello = True
            sender.note_birth(t)
            sender.ppid = event.get("ppid")
            sender.role = event.get("role") or sender.role
            sender.name = event.get("name") or sender.name
            sender.start_method = event.get("start_method") or sender.start_method
            argv = event.get("argv")
            if isinstance(argv, list):
                sender.argv = [a for a in argv if isinstance(a, str)]
            support = event.get("stacks")
            sender.stacks_support = support if isinstance(support, dict) else None
        elif kind == ev.PROCESS_CREATED:
            proc = event.get("proc")
            if isinstance(proc, str):
                self._procs[proc] = event
        elif kind == ev.PROCESS_STARTED:
            child_pid = event.get("child_pid")
            if isinstance(child_pid, int):
                child = self.record(child_pid)
                child.parent = sender.pid
                child.note_birth(t)
                if event.get("quiet") is True and not child.said_hello:
                    child.quiet = True
                    support = event.get("stacks")
                    if isinstance(support, dict):
                        child.stacks_support = support
                created = self._procs.get(event.get("proc") or "")
                if created is not None:
                    child.proc = created.get("proc")
                    child.role = child.role or created.get("role")
                    child.name = child.name or created.get("name")
                    child.start_method = child.start_method or created.get("start_method")
                    child.target = created.get("target")
                    child.site = created.get("site")
        elif kind == ev.PROCESS_EXITED:
            reporter = event.get("reporter")
            if reporter == ev.REPORTER_SELF:
                sender.exits[reporter] = event
                sender.note_end(t)
            elif isinstance(reporter, str):
                child_pid = event.get("child_pid")
                if isinstance(child_pid, int):
                    child = self.record(child_pid)
                    child.exits.setdefault(reporter, event)
                    if reporter != ev.REPORTER_COLLECTOR:
                        child.note_end(t)
        elif kind == ev.TASK_COUNTERS:
            done, failed = event.get("done"), event.get("failed")
            if isinstance(done, int) and isinstance(failed, int):
                sender.tasks_done, sender.tasks_failed = done, failed  # cumulative: the latest wins
        elif kind == ev.QUEUE_LEFTOVER:
            queue, backlog = event.get("queue"), event.get("backlog")
            if isinstance(queue, str):
                sender.queue_leftovers[queue] = backlog if isinstance(backlog, int) and backlog > 0 else 1
        elif kind == ev.STACKS:
            child_pid = event.get("child_pid")
            about = self.record(child_pid) if isinstance(child_pid, int) else sender
            about.stacks.append(event)
        elif kind == ev.RUNTIME_ERROR:
            sender.errors.append(event)

    def stream_closed(self, pid: "Optional[int]") -> None:
        if pid is not None and pid in self.processes:
            self.processes[pid].stream_closed = True

    def exit_records(self) -> "Dict[int, Optional[Dict[str, Any]]]":
        """Exactly one merged exit record (or None: not ended) for every process of the program."""
        return {record.pid: record.merged_exit() for record in self.shown()}

    def running(self) -> "List[ProcessRecord]":
        """Processes of the program with no exit record: those a hang report is about."""
        return [r for r in self.shown() if not r.exits]

    def lost_processes(self, gone: "Callable[[int], bool]" = _never_gone) -> "List[ProcessRecord]":
        """Processes that ended without any exit record (the collector reports them).

        Their stream closed, or they never said hello and ``gone(pid)`` says they no longer run.
        """
        return [
            record
            for record in self.processes.values()
            if not record.exits and record.role != ev.ROLE_LAUNCHER
            and (record.stream_closed or (not record.said_hello and gone(record.pid)))
        ]

    def settled(self, gone: "Callable[[int], bool]" = _never_gone) -> bool:
        """Nothing more to wait for: every process has exited (by any account), closed its stream,
        or, never having said hello, is ``gone``."""
        return all(
            record.exits or (record.said_hello and record.stream_closed) or (not record.said_hello and gone(record.pid))
            for record in self.processes.values()
            if record.role != ev.ROLE_LAUNCHER
        )

    # -- tree ------------------------------------------------------------------

    def logical_parent(self, record: ProcessRecord) -> "Optional[int]":
        parent = record.parent if record.parent is not None else record.ppid
        seen = {record.pid}
        # Launchers are tools, not part of the program: hang their children on what is above them.
        while parent is not None and parent in self.processes and self.processes[parent].role == ev.ROLE_LAUNCHER:
            if parent in seen:
                return None
            seen.add(parent)
            above = self.processes[parent]
            parent = above.parent if above.parent is not None else above.ppid
        if parent is None or parent not in self.processes or parent in seen:
            return None
        return parent

    def shown(self) -> "List[ProcessRecord]":
        def birth_order(record: ProcessRecord) -> "Any":
            return (record.born if record.born is not None else float("inf"), record.order)

        return sorted((r for r in self.processes.values() if r.role != ev.ROLE_LAUNCHER), key=birth_order)

    def roots(self) -> "List[ProcessRecord]":
        return [r for r in self.shown() if self.logical_parent(r) is None]

    def children(self, pid: int) -> "List[ProcessRecord]":
        return [r for r in self.shown() if r.pid != pid and self.logical_parent(r) == pid]
