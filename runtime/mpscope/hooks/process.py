"""The life of a multiprocessing Process, seen from its parent and from itself.

mpscope never wraps a multiprocessing method the user calls. A wrapper would add
a frame to every traceback that passes through it: the "bootstrapping phase"
RuntimeError of a missing main guard, a pickling error under spawn, a Ctrl-C in
``join()``. Instead it observes points that are reached only once the work has
succeeded, and that cannot raise:

* ``_dangling.add(self)``: the last line of ``BaseProcess.__init__`` (creation
  site, target, arguments);
* ``_children.add(self)``: the last line of a successful ``start()``
  (``process.created`` + ``process.started``);
* ``_children.discard(self)``: called by ``join()`` once the child is gone and by
  ``close()`` once closed (``process.joined``, ``process.closed``);
* the Popen side (``hooks/popen.py``): the assignment of ``returncode`` (exit
  records) and the lookups of ``wait``/``terminate``/``kill`` made by
  ``BaseProcess.join``/``terminate``/``kill``;
* in the child: ``util._close_stdin``, which ``_bootstrap`` calls before
  ``run()``, says hello (helpers and workers) or makes a plain Process child
  quiet (it connects with its first event; its parent announced it and reports
  its exit status); the ``name`` getter, which ``_bootstrap`` reads only in
  its exception handler, records the exception ``run()`` raised; and
  ``util._flush_std_streams``, the last call of ``_bootstrap``, sends the exit
  record (a quiet child only when ``run()`` raised or it had spoken before)
  and flushes synchronously (children end with ``os._exit``).

Each observer checks that its caller is the expected multiprocessing code
(``f_code`` identity), so user code touching the same objects is ignored.
"""

import itertools
import os
import sys
import time
from _thread import get_ident
from _weakrefset import WeakSet

from mpscope import agent as _agent
from mpscope import events as ev
from mpscope.bounded import clip, safe_repr
from mpscope.guard import Hook
from mpscope.notes import Notes
from mpscope.roles import describe_target, qualified_name, role_for_target

# mpscope.exits and mpscope.userframes are imported where they are used: a spawned child
# that starts no process and ends quietly never needs them (each module costs ~0.1 ms to
# import at its start).

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import CodeType, FrameType, ModuleType
    from typing import Any, Callable, Dict, List, Optional, Tuple

_created_hook = Hook("process.__init__")
_start_hook = Hook("process.start")
_join_hook = Hook("process.join")
_close_hook = Hook("process.close")
_child_hook = Hook("process.child")
_exception_hook = Hook("process.exception")
_child_exit_hook = Hook("process.child-exit")

_notes = Notes()
_proc_numbers = itertools.count(1)

_process_module: "Any" = None


class _Codes:
    """Code objects of BaseProcess methods, for observers that check who called them."""

    join: "Optional[CodeType]" = None
    close: "Optional[CodeType]" = None
    terminate: "Optional[CodeType]" = None
    kill: "Optional[CodeType]" = None
    bootstrap: "Optional[CodeType]" = None
    launch_fork: "Optional[CodeType]" = None  # popen_fork.Popen._launch: where the fork start method forks


codes = _Codes()

class _Extensions:
    """How other hook modules (Pool, executor) take part in a process's life.

    Callbacks keyed by role run only for processes of that role. Each callback
    guards itself (its own ``Hook``); a failing one is also contained here, so
    it can never switch off the process hooks it extends.
    """

    def __init__(self) -> None:
        #: parent, at the end of the Process's __init__ (start() deletes its target and args): (process) -> None
        self.constructed: "Dict[str, Callable[[Any], None]]" = {}
        #: parent, before process.created is sent: (process, created fields) -> None; may add fields or send events first
        self.before_created: "Dict[str, Callable[[Any, Dict[str, Any]], None]]" = {}
        #: parent, after process.joined: (process, frame of BaseProcess.join) -> None
        self.joined: "List[Callable[[Any, FrameType], None]]" = []
        #: child, after its hello and before run(): (process) -> None
        self.child_begins: "Dict[str, Callable[[Any], None]]" = {}
        #: child, before its own exit record: (process, exitcode) -> None
        self.child_exits: "Dict[str, Callable[[Any, Optional[int]], None]]" = {}
        #: child, when run() raised, before _bootstrap prints the traceback: (exception) -> None
        self.run_failed: "List[Callable[[BaseException], None]]" = []


extensions = _Extensions()


def _extend(callback: "Optional[Callable[..., None]]", *args: "Any") -> None:
    if callback is None:
        return
    try:
        callback(*args)
    except Exception:
        pass


_START_METHOD_OF_POPEN = {
    "multiprocessing.popen_fork": ev.START_FORK,
    "multiprocessing.popen_spawn_posix": ev.START_SPAWN,
    "multiprocessing.popen_spawn_win32": ev.START_SPAWN,
    "multiprocessing.popen_forkserver": ev.START_FORKSERVER,
}


# -- observed containers ------------------------------------------------------


class _ObservedDangling(WeakSet):  # type: ignore[type-arg]
    """``multiprocessing.process._dangling``: every Process object ever constructed."""

    def add(self, item: "Any") -> None:
        WeakSet.add(self, item)
        if _created_hook.enabled:
            _created_hook.run(_on_constructed, item, sys._getframe(1))


class _ObservedChildren(set):  # type: ignore[type-arg]
    """``multiprocessing.process._children``: the started, not yet joined children."""

    def add(self, item: "Any") -> None:
        set.add(self, item)
        if _start_hook.enabled:
            _start_hook.run(_on_started, item)

    def discard(self, item: "Any") -> None:
        set.discard(self, item)
        code = sys._getframe(1).f_code
        if code is codes.join:
            _join_hook.run(_on_joined, item, sys._getframe(1))
        elif code is codes.close:
            _close_hook.run(_on_closed, item)


# -- patching -------------------------------------------------------------------


def patch_process_module(module: "Any") -> None:
    """Called once ``multiprocessing.process`` is imported."""
    global _process_module
    base = module.BaseProcess
    if isinstance(module._children, _ObservedChildren):
        return  # already patched (install() called twice)
    _process_module = module
    codes.join = base.join.__code__
    codes.close = base.close.__code__
    codes.terminate = base.terminate.__code__
    codes.kill = base.kill.__code__
    codes.bootstrap = base._bootstrap.__code__

    dangling = _ObservedDangling()
    for item in list(module._dangling):
        WeakSet.add(dangling, item)
    module._dangling = dangling
    module._children = _ObservedChildren(module._children)

    name = base.__dict__["name"]
    original_getter = name.fget

    def name_getter(self: "Any") -> "Any":
        # _bootstrap reads self.name only to print "Process <name>:" above the
        # traceback of the exception run() raised: that is the moment to record it.
        if sys.exc_info()[0] is not None and sys._getframe(1).f_code is codes.bootstrap:
            _exception_hook.run(_on_run_failed, self, sys.exc_info()[1])
        return original_getter(self)

    name_getter.__name__ = original_getter.__name__
    name_getter.__qualname__ = original_getter.__qualname__
    name_getter.__doc__ = original_getter.__doc__
    base.name = property(name_getter, name.fset, name.fdel, name.__doc__)


def patch_util_module(util: "Any") -> None:
    """Called once ``multiprocessing.util`` is imported."""
    if getattr(util._flush_std_streams, "_mpscope_observer", False):
        return
    util._close_stdin = _observe_calls_from_bootstrap(util._close_stdin, _child_hook, _on_child_begins)
    util._flush_std_streams = _observe_calls_from_bootstrap(util._flush_std_streams, _child_exit_hook, _on_child_exit)


def _observe_calls_from_bootstrap(
    original: "Callable[[], None]", hook: Hook, observer: "Callable[[FrameType], None]"
) -> "Callable[[], None]":
    """``original``, followed by ``observer(frame)`` when the caller is ``BaseProcess._bootstrap``."""

    def function() -> None:
        original()
        caller = sys._getframe(1)
        if caller.f_code is codes.bootstrap and hook.enabled:
            hook.run(observer, caller)

    function.__name__ = original.__name__
    function.__qualname__ = original.__qualname__
    function.__doc__ = original.__doc__
    function._mpscope_observer = True  # type: ignore[attr-defined]
    return function


# -- parent side ----------------------------------------------------------------


def new_proc_id() -> str:
    """``<creator pid>-<n>``: unique in the run, links process.created to process.started."""
    return "%d-%d" % (os.getpid(), next(_proc_numbers))


def _on_constructed(process: "Any", init_frame: "FrameType") -> None:
    notes = _notes.of(process)
    target = getattr(process, "_target", None)
    notes["target"] = describe_target(process, target)
    notes["role"] = role_for_target(target)
    from mpscope.userframes import caller_site

    notes["site"] = caller_site(init_frame, constructing=process)
    agent = _agent.current()
    if agent is not None and agent.capture_args:
        notes["args"] = safe_repr((getattr(process, "_args", ()), getattr(process, "_kwargs", {})), ev.MAX_ARGS_REPR)
    _extend(extensions.constructed.get(notes["role"]), process)


def _on_started(process: "Any") -> None:
    agent = _agent.current()
    if agent is None:
        return
    popen = process._popen
    notes = _notes.of(process)
    started = notes.pop("started", None)  # prepared before the fork (_prepare_fork)
    if started is not None:
        global _next_fork_child
        _next_fork_child = None
    else:
        started = _announce_creation(agent, process, popen, notes, sys._getframe(2))
    pid = started["child_pid"] = notes["pid"] = popen.pid
    if started.get("quiet"):
        describe_child = getattr(agent.stacks, "describe_child", None)
        if describe_child is not None:
            started["stacks"] = describe_child(pid)
    agent.emit(ev.PROCESS_STARTED, started)


def prepare_fork(launch_frame: "FrameType") -> None:
    """``forking.before_fork_in`` callback for ``popen_fork`` (see ``_prepare_fork``)."""
    if _start_hook.enabled:
        _start_hook.run(_prepare_fork, launch_frame)


def _prepare_fork(launch_frame: "FrameType") -> None:
    """Right before the fork start method forks: send process.created and prepare process.started.

    What this buys is not speed (done after the fork instead, the cycle measured
    the same: runtime README) but two things the child and its announcement
    need: the note of which Process the child is (``_forked_child``: the child
    then builds no ``f_locals`` of its bootstrap frame), and a quiet parent that
    connects and says hello before the fork, so that only ``process.started``
    is left for ``_on_started``, which keeps short the moment in which a parent
    killed right after ``start()`` could no longer announce its child.
    """
    if launch_frame.f_code is not codes.launch_fork:
        return
    agent = _agent.current()
    local = launch_frame.f_locals
    process, popen = local.get("process_obj"), local.get("self")
    if agent is None or process is None or popen is None:
        return
    global _next_fork_child
    notes = _notes.of(process)
    notes["started"] = _announce_creation(agent, process, popen, notes, launch_frame)
    _next_fork_child = (get_ident(), process)


def _announce_creation(agent: "_agent.Agent", process: "Any", popen: "Any", notes: "Dict[str, Any]",
                       start_frame: "Optional[FrameType]") -> "Dict[str, Any]":
    """Send process.created; the fields of process.started, but for the child's pid."""
    proc = new_proc_id()
    notes["proc"] = proc
    if "role" not in notes:  # constructed before mpscope was installed
        from mpscope.userframes import caller_site

        notes["role"] = ev.ROLE_PROCESS
        notes["site"] = caller_site(start_frame)
    method = (
        _START_METHOD_OF_POPEN.get(type(popen).__module__)
        or getattr(process, "_start_method", None)
        or (ev.START_SPAWN if sys.platform == "win32" else ev.START_FORK)
    )
    created: "Dict[str, Any]" = {
        "proc": proc,
        "name": clip(str(process._name), ev.MAX_NAME),
        "daemon": bool(process._config.get("daemon", False)),
        "role": notes["role"],
        "class": qualified_name(type(process)),
        "start_method": method,
    }
    for key in ("target", "site", "args"):
        if notes.get(key) is not None:
            created[key] = notes[key]
    _extend(extensions.before_created.get(notes["role"]), process, created)
    agent.emit(ev.PROCESS_CREATED, created, urgent=False)  # leaves with process.started, in one write
    started: "Dict[str, Any]" = {"proc": proc}
    if agent.quiet_role(notes["role"]):
        started["quiet"] = True  # the child decides alike (_announce_child)
    return started


def note_join_started(process: "Any") -> None:
    """Called by the Popen observer when ``join()`` starts waiting."""
    _notes.of(process)["join_started"] = time.monotonic()


def _on_joined(process: "Any", join_frame: "FrameType") -> None:
    agent = _agent.current()
    if agent is None:
        return
    notes = _notes.of(process)
    started = notes.pop("join_started", None)
    waited = max(0.0, time.monotonic() - started) if started is not None else 0.0
    timeout = join_frame.f_locals.get("timeout")
    if not isinstance(timeout, (int, float)) or isinstance(timeout, bool):
        timeout = None
    pid = process._popen.pid if process._popen is not None else notes.get("pid")
    if pid:
        agent.emit(ev.PROCESS_JOINED, {"child_pid": pid, "timeout": timeout, "waited": waited, "alive": False})
    for observer in extensions.joined:
        _extend(observer, process, join_frame)


def _on_closed(process: "Any") -> None:
    agent = _agent.current()
    pid = _notes.of(process).get("pid")
    if agent is not None and pid:
        agent.emit(ev.PROCESS_CLOSED, {"child_pid": pid})


# -- child side -------------------------------------------------------------------


def _on_child_begins(bootstrap_frame: "FrameType") -> None:
    # _bootstrap calls util._close_stdin() in every start method and Python
    # version, after it reset the module's globals and before run().
    module = _process_module
    if module is not None and not isinstance(module._children, _ObservedChildren):
        module._children = _ObservedChildren(module._children)
    agent = _agent.current()
    if agent is None:
        return
    global _this_child
    process = _this_child = _forked_child() or bootstrap_frame.f_locals.get("self")
    if process is not None:
        _announce_child(agent, process)
        _extend(extensions.child_begins.get(agent.role or ""), process)


#: This process's own Process object, once it is a child that began (``_on_child_begins``).
_this_child: "Any" = None
#: (forking thread, Process object): the child the fork start method is about to fork (``_prepare_fork``).
_next_fork_child: "Optional[Tuple[int, Any]]" = None


def _forked_child() -> "Any":
    """In a child of the fork start method, its Process object as its parent noted it before the fork.

    Reading the bootstrap frame's ``f_locals`` instead would build a dictionary
    of its locals, writing to the pages of each: copies, in a forked child.
    """
    noted = _next_fork_child
    if noted is None or noted[0] != get_ident():
        return None
    return noted[1]


def _announce_child(agent: "_agent.Agent", process: "Any") -> None:
    if agent.announced:
        return
    role = role_for_target(getattr(process, "_target", None))
    name = str(getattr(process, "_name", "")) or None
    if agent.quiet_role(role):
        agent.stay_quiet(role, name)  # its parent said quiet in process.started (_on_started)
    else:
        agent.announce(role, name=name)


def _on_run_failed(process: "Any", exc: "Optional[BaseException]") -> None:
    if exc is None or isinstance(exc, SystemExit):
        return
    for observer in extensions.run_failed:
        _extend(observer, exc)
    from mpscope.exits import exception_record

    _notes.of(process)["exception"] = exception_record(exc)


def _parent_gone(agent: "_agent.Agent") -> bool:
    """Whether the process that started this one has ended, so that nobody else can report this exit.

    Fork and spawn children are their starter's own: a new OS parent (the
    kernel re-parents the children of a process that ended) says it. The
    forkserver's children have the forkserver as OS parent; for them, the
    parent's sentinel (what ``parent_process().is_alive()`` asks: a pipe whose
    other end the starter holds) becomes readable once the starter is gone. The
    sentinel alone would not do under fork: a sibling forked later inherits a
    copy of the starter's end. Unknown counts as gone.
    """
    if os.getppid() != agent.ppid:
        return True
    if agent.origin != _agent.ORIGIN_FORKSERVER:
        return False
    parent = getattr(_process_module, "_parent_process", None)
    sentinel = getattr(parent, "_sentinel", None)
    if not isinstance(sentinel, int) or isinstance(sentinel, bool) or sentinel < 0:
        return True
    import select

    try:
        readable, _, _ = select.select([sentinel], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _on_child_exit(bootstrap_frame: "FrameType") -> None:
    agent = _agent.current()
    if agent is None:
        return
    if agent.quiet and not agent.announced and _this_child is not None:
        notes = _notes.get(_this_child)
        if (notes is None or notes.get("exception") is None) and not _parent_gone(agent):
            agent.end_of_run()  # its finishers may have something to send after all (they say hello)
            if not agent.announced:
                return  # nothing to say: the parent reports the exit status
    local = bootstrap_frame.f_locals
    process = local.get("self")
    exitcode = local.get("exitcode")
    if not isinstance(exitcode, int):
        exitcode = None
    if process is not None:
        _announce_child(agent, process)
        _extend(extensions.child_exits.get(agent.role or ""), process, exitcode)
    notes = _notes.get(process) if process is not None else None
    exception = notes.get("exception") if notes is not None and exitcode != 0 else None
    from mpscope.exits import exit_record

    fields = exit_record(ev.REPORTER_SELF, exitcode)
    if exception is not None:
        fields["exception"] = exception
    agent.emit(ev.PROCESS_EXITED, fields)
    agent.end_of_run()  # not finish(): from 3.13 the child's atexit handlers still report after this
