"""Tasks as the worker that runs them sees them: which task, when, how long, and how it ended.

One ``TaskTracker`` per worker process (a Pool worker or an executor worker).
Tasks that fail, tasks that take at least the threshold (``task_threshold_ms``,
default 1 ms) and, with ``task_detail: "full"``, every task are sent one by
one (``task.finished``); the rest only move the worker's running totals
(``task.counters``). Totals are sent with the first task and every individual
task, at most every 0.1 s while tasks run (before the result that is due),
when the worker runs out of queued work, and when it exits; so a tiny task
costs a few attribute updates and one ``poll`` of the task pipe.

A worker terminated without warning (``Pool.terminate()``, the end of a
``with`` block) cannot send its last totals: a pipe that looked non-empty
after its last result (the pool's own stop sentinels) can leave the tasks of
its last 0.1 s uncounted. ``close()`` and ``join()`` let workers exit, and
their totals are then exact.

Everything about a task is recorded and, for a failure, flushed to the socket
*before* its result goes back to the parent: once the parent has the result it
may terminate the pool, and a terminated worker sends nothing more.

How the Pool worker (``multiprocessing.pool.worker``) is observed: it is not
replaced (its frame, the one the parent's RemoteTraceback shows, stays
CPython's own). In the child, just before ``run()``, its two queue arguments
are swapped for stand-ins:

* the task queue's ``get`` becomes ``partial(next, map(taken, iter(queue.get,
  S)))``: C code calls the queue's own ``get``, then ``taken(task)``. No mpscope
  frame is on the stack while the worker blocks for work, so a Ctrl-C
  traceback or a stack dump of an idle worker looks exactly as without mpscope.
* the result queue's ``put`` records the end of the task, calls the queue's own
  ``put``, and then, if totals are unsent and no task is waiting, sends them
  (the worker is about to block). Its frame is on the stack only while a result
  is being sent; ``run_failed`` removes it from a traceback ``_bootstrap``
  prints.

The executor worker (``concurrent.futures.process._process_worker``): in the
worker only, reading ``_CallItem.fn`` marks the start of a task and assigning
``_ExceptionWithTraceback.exc`` keeps the failing line (3.9+ clears the
traceback right after); its result queue gets the same ``put`` stand-in, which
sees the ``_ResultItem`` before it is sent.
"""

import functools
import sys
import time

from mpscope import agent as _agent
from mpscope import events as ev
from mpscope.bounded import clip, clip_middle, safe_str
from mpscope.exits import exception_record, exception_type_name
from mpscope.guard import Hook
from mpscope.hooks.assignments import observe_assignments
from mpscope.hooks.attributes import InstanceValue
from mpscope.roles import qualified_name
from mpscope.userframes import innermost_site

TYPE_CHECKING = False
if TYPE_CHECKING:
    from types import CodeType, FrameType
    from typing import Any, Callable, Dict, List, Optional, Set, Tuple

#: Running totals are sent at least this often (seconds) while tasks keep finishing, before the result
#: of the task that is due: with the check for an empty queue after each result, this bounds what a
#: worker terminated without warning (Pool.terminate(), the end of a `with` block) can leave uncounted.
COUNTERS_PERIOD = 0.1

_hook = Hook("tasks")
_NEVER = object()
_perf = time.perf_counter

_tracker: "Optional[TaskTracker]" = None
#: Code objects of mpscope functions that can be on a worker's stack: hidden from tracebacks.
_hidden_codes: "Set[CodeType]" = set()


def _never_ready() -> bool:
    return True  # cannot tell: never treat the worker as idle


def readiness_probe(connection: "Any") -> "Callable[[], Any]":
    """A cheap check for a task waiting to be read on ``connection`` (the worker's task pipe): truthy if one is.

    A C-level partial (``poll(0)``), so that checking costs one system call and no Python frame.
    """
    try:
        fd = connection.fileno()
        import select

        poller = select.poll()
        poller.register(fd, select.POLLIN)
        return functools.partial(poller.poll, 0)
    except Exception:
        pass
    peek = getattr(connection, "poll", None)
    if callable(peek):
        return functools.partial(peek, 0)
    return _never_ready


class TaskTracker:
    """Timing, counting and reporting of the tasks one worker runs."""

    def __init__(self, agent: "_agent.Agent", ready: "Callable[[], Any]",
                 describe: "Callable[[Any], Dict[str, Any]]") -> None:
        options = getattr(agent, "options", None)
        self.agent = agent
        self.describe = describe
        threshold = getattr(options, "task_threshold", 0.001)
        # Every task is at least as slow as a negative threshold: full detail takes the slow path.
        self.threshold: float = -1.0 if getattr(options, "task_detail_full", False) else threshold
        self.ready = ready  # truthy when a task is waiting in the worker's queue
        self.current: "Any" = None  # the task being run (Pool: its tuple; executor: its _CallItem)
        self.started = 0.0
        self.done = 0
        self.failed = 0
        self.total = 0.0
        self.longest = 0.0
        self.unsent = False
        self.sent_at = float("-inf")  # the first task's totals go out before its result
        self.last: "Any" = None  # the task that finished last
        self.crash: "Optional[BaseException]" = None  # what ended run() while a task ran
        self.failure_site: "Optional[Dict[str, Any]]" = None  # executor: where the running task raised

    # -- totals --------------------------------------------------------------

    def counters(self) -> "Dict[str, Any]":
        return {"done": self.done, "failed": self.failed, "time": self.total, "max": self.longest}

    def send_counters(self, now: float) -> None:
        self.unsent = False
        self.sent_at = now
        self.agent.emit(ev.TASK_COUNTERS, self.counters())

    def send_if_idle(self) -> None:
        """Send unsent totals when the worker has no task waiting (it is about to block, and may be
        terminated while it waits)."""
        if self.unsent and _hook.enabled:
            try:
                if not self.ready():
                    self.send_counters(_perf())
            except Exception as exc:
                _hook.fail(exc)

    # -- one task ------------------------------------------------------------

    def begin(self, task: "Any") -> None:
        self.current = task
        self.started = _perf()

    def end(self, task: "Any", ok: bool, failure: "Optional[Dict[str, Any]]") -> None:
        """A task ends (its result is about to be sent); ``failure``: the exception record when it raised."""
        now = _perf()
        duration = now - self.started
        self.current = None
        self.last = task
        self.total += duration
        if duration > self.longest:
            self.longest = duration
        if ok and duration < self.threshold:  # the common case: fold it
            self.done += 1
            if now - self.sent_at >= COUNTERS_PERIOD:
                self.send_counters(now)
            else:
                self.unsent = True
            return
        if ok:
            self.done += 1
        else:
            self.failed += 1
        self.send_task(self.describe(task), self.started, duration, ok, failure, now)

    def send_task(self, fields: "Dict[str, Any]", started: float, duration: float, ok: bool, failure: "Any",
                  now: float, exitcode: "Optional[int]" = None, ended_process: bool = False) -> None:
        fields["started"] = time.time() - (_perf() - started)
        fields["duration"] = max(0.0, duration)
        fields["ok"] = ok
        if failure is not None:
            fields["exception"] = failure
        if ended_process:
            fields["exitcode"] = exitcode
        if ok and self.threshold < 0 and not ended_process:
            # Full detail: every task goes out as it ends; totals only as often as for folded tasks.
            if now - self.sent_at >= COUNTERS_PERIOD:
                self.agent.emit(ev.TASK_FINISHED, fields, urgent=False)
                self.send_counters(now)
            else:
                self.agent.emit(ev.TASK_FINISHED, fields)
                self.unsent = True
            return
        self.agent.emit(ev.TASK_FINISHED, fields, urgent=False)
        self.send_counters(now)
        if not ok:
            self.agent.flush()  # in the socket before the parent can see the result and end this worker

    def correct_last(self, same: "Callable[[Any], bool]", failure: "Any") -> None:
        """The result of the last task could not be sent back; the worker sends an error instead."""
        if self.last is None or not same(self.last):
            return
        task, self.last = self.last, None
        self.done -= 1
        self.failed += 1
        now = _perf()  # no task began since: `started` is still the last one's
        self.send_task(self.describe(task), self.started, now - self.started, False, failure, now)

    def process_ends(self, exitcode: "Optional[int]") -> None:
        """The worker process is ending: a task still running did not finish; send the final totals."""
        task = self.current
        if task is not None:
            self.current = None
            self.failed += 1
            duration = _perf() - self.started
            self.total += duration
            self.longest = max(self.longest, duration)
            failure = exception_record(self.crash) if self.crash is not None else None
            self.send_task(self.describe(task), self.started, duration, False, failure, _perf(),
                           exitcode=exitcode, ended_process=True)
        elif self.unsent or (self.done + self.failed) == 0:
            self.send_counters(_perf())


def function_name(func: "Any") -> "Optional[str]":
    """The qualified name the parent uses: a spawned worker runs the program as ``__mp_main__``."""
    name = qualified_name(func)
    if name is not None and name.startswith("__mp_main__."):
        name = "__main__." + name[len("__mp_main__."):]
    return name


# -- Pool workers ------------------------------------------------------------------


_pool_names: "Optional[Tuple[Any, Any, Any]]" = None


def _pool_helpers() -> "Tuple[Any, Any, Any]":
    """``mapstar``, ``starmapstar`` and ``ExceptionWithTraceback`` of ``multiprocessing.pool``."""
    global _pool_names
    if _pool_names is None:
        module: "Any" = sys.modules.get("multiprocessing.pool")
        _pool_names = (getattr(module, "mapstar", None), getattr(module, "starmapstar", None),
                       getattr(module, "ExceptionWithTraceback", None))
    return _pool_names


def describe_pool_task(task: "Any") -> "Dict[str, Any]":
    """job, index, items, func of a Pool task tuple ``(job, i, func, args, kwds)``."""
    fields: "Dict[str, Any]" = {}
    try:
        job, index, func, args = task[0], task[1], task[2], task[3]
    except Exception:
        return {"job": 0}
    fields["job"] = job if isinstance(job, int) and job >= 0 else 0
    if isinstance(index, int) and index >= 0:
        fields["index"] = index
    mapstar, starmapstar, _ = _pool_helpers()
    if (func is mapstar or func is starmapstar) and len(args) == 1:
        try:
            inner, chunk = args[0]
            fields["items"] = len(chunk)
            func = inner
        except Exception:
            pass
    name = function_name(func)
    if name is not None:
        fields["func"] = name
    return fields


def pool_failure(result: "Any") -> "Optional[Dict[str, Any]]":
    """The exception record of a failed Pool result ``(False, error)``, traceback as the parent will show it."""
    error = result[1]
    wrapper_class = _pool_helpers()[2]
    if wrapper_class is not None and isinstance(error, wrapper_class):
        exc = error.exc
        text = error.tb
        prefix, suffix = '\n"""\n', '"""'
        if isinstance(text, str) and text.startswith(prefix) and text.endswith(suffix):
            text = text[len(prefix):-len(suffix)]
        return wrapped_exception_record(exc, text, innermost_site(getattr(exc, "__traceback__", None)))
    if isinstance(error, BaseException):
        return exception_record(error)
    return None


def wrapped_exception_record(exc: "Any", traceback_text: "Any",
                             site: "Optional[Dict[str, Any]]") -> "Dict[str, Any]":
    record: "Dict[str, Any]" = {
        "type": clip(exception_type_name(exc), ev.MAX_EXC_TYPE) if isinstance(exc, BaseException) else "Exception",
        "message": safe_str(exc, ev.MAX_EXC_MESSAGE),
    }
    if isinstance(traceback_text, str):
        record["traceback"] = clip_middle(traceback_text, ev.MAX_TRACEBACK)
    if site is not None:
        record["site"] = site
    return record


class _Inbox:
    """Stands in for a Pool worker's task queue; ``get`` is the queue's own, observed from C code."""

    __slots__ = ("_queue", "get")

    def __init__(self, queue: "Any", tracker: "TaskTracker") -> None:
        self._queue = queue
        self.get = functools.partial(next, map(_taken_by(tracker), iter(queue.get, _NEVER)))

    def __getattr__(self, name: str) -> "Any":
        return getattr(self._queue, name)


class _Outbox:
    """Stands in for a worker's result queue; ``put`` records the task's end, then sends."""

    __slots__ = ("_queue", "put")

    def __init__(self, queue: "Any", put: "Callable[[Any], None]") -> None:
        self._queue = queue
        self.put = put

    def __getattr__(self, name: str) -> "Any":
        return getattr(self._queue, name)


def _taken_by(tracker: "TaskTracker") -> "Callable[[Any], Any]":
    def taken(task: "Any") -> "Any":
        if task is not None:  # None: the pool's "exit now" sentinel
            tracker.current = task
            tracker.started = _perf()
        return task

    return taken


def _resend(tracker: "TaskTracker", obj: "Any") -> None:
    """A put without a running task: the worker replaces a result it could not send with an error."""
    job, index, result = obj
    if result[0] is not False:
        return

    def same(task: "Any") -> bool:
        return bool(task[0] == job and task[1] == index)

    tracker.correct_last(same, pool_failure(result))


def _put_for(put: "Callable[[Any], None]", tracker: "TaskTracker") -> "Callable[[Any], None]":
    end = tracker.end
    ready = tracker.ready
    threshold = tracker.threshold
    hook = _hook

    def put_result(obj: "Any") -> None:
        # obj: (job, index, (True, value) or (False, error)). The fast path (a task that returned
        # sooner than the threshold) is spelled out here: it runs once per task.
        if hook.enabled:
            try:
                task = tracker.current
                now = _perf()
                duration = now - tracker.started
                result = obj[2]
                if task is None:
                    _resend(tracker, obj)
                elif duration < threshold and result[0] is True:
                    tracker.current = None
                    tracker.last = task
                    tracker.done += 1
                    tracker.total += duration
                    if duration > tracker.longest:
                        tracker.longest = duration
                    if now - tracker.sent_at >= COUNTERS_PERIOD:
                        tracker.send_counters(now)
                    else:
                        tracker.unsent = True
                else:
                    ok = result[0] is True
                    end(task, ok, None if ok else pool_failure(result))
            except Exception as exc:
                hook.fail(exc)
        put(obj)
        if tracker.unsent and hook.enabled:
            try:
                if not ready():  # no task waiting: the worker is about to block (and may be terminated)
                    tracker.send_counters(_perf())
            except Exception as exc:
                hook.fail(exc)

    _hidden_codes.add(put_result.__code__)
    return put_result


def pool_worker_begins(process: "Any") -> None:
    """In a Pool worker, before ``run()``: swap its queue arguments for observing stand-ins."""
    _hook.run(_install_pool_tracker, process)


def _install_pool_tracker(process: "Any") -> None:
    global _tracker
    agent = _agent.current()
    args = getattr(process, "_args", None)
    if agent is None or agent.muted or not isinstance(args, tuple) or len(args) < 2:
        return
    inqueue, outqueue = args[0], args[1]
    if not callable(getattr(inqueue, "get", None)) or not callable(getattr(outqueue, "put", None)):
        return
    reader = getattr(inqueue, "_reader", None)
    tracker = TaskTracker(agent, readiness_probe(reader) if reader is not None else _never_ready, describe_pool_task)
    process._args = (_Inbox(inqueue, tracker), _Outbox(outqueue, _put_for(outqueue.put, tracker))) + args[2:]
    _tracker = tracker


# -- executor workers ----------------------------------------------------------------


def describe_executor_task(call_item: "Any") -> "Dict[str, Any]":
    work_id = getattr(call_item, "work_id", None)
    fields: "Dict[str, Any]" = {"job": work_id if isinstance(work_id, int) and work_id >= 0 else 0}
    func = call_item.__dict__.get("fn")
    process_chunk = getattr(sys.modules.get("concurrent.futures.process"), "_process_chunk", None)
    if isinstance(func, functools.partial) and func.func is process_chunk and func.args:
        func = func.args[0]
        try:
            fields["items"] = len(call_item.args[0])
        except Exception:
            pass
    name = function_name(func)
    if name is not None:
        fields["func"] = name
    return fields


class _ReadProbe(InstanceValue):
    """Reports reads of one instance attribute (values stay in ``__dict__``)."""

    __slots__ = ("_on_read",)

    def __init__(self, name: str, on_read: "Callable[[Any, FrameType], None]") -> None:
        super().__init__(name)
        self._on_read = on_read

    def __get__(self, obj: "Any", objtype: "Any" = None) -> "Any":
        if obj is None:
            return self
        try:
            value = obj.__dict__[self.name]
        except KeyError:
            raise AttributeError(self.name) from None
        if _hook.enabled:
            try:
                self._on_read(obj, sys._getframe(1))
            except Exception as exc:
                _hook.fail(exc)
        return value


def executor_worker_begins(process: "Any") -> None:
    """In an executor worker, before ``run()``: observe its call and result items."""
    _hook.run(_install_executor_tracker, process)


def _install_executor_tracker(process: "Any") -> None:
    global _tracker
    agent = _agent.current()
    module = sys.modules.get("concurrent.futures.process")
    args = getattr(process, "_args", None)
    if agent is None or agent.muted or module is None or not isinstance(args, tuple) or not args:
        return
    worker_code = getattr(getattr(module, "_process_worker", None), "__code__", None)
    classes: "List[Any]" = [getattr(module, name, None) for name in ("_CallItem", "_ResultItem", "_ExceptionWithTraceback")]
    if worker_code is None or not all(isinstance(cls, type) for cls in classes):
        return
    call_item, result_item, wrapper = classes
    if "fn" in call_item.__dict__ or "exc" in wrapper.__dict__ or len(args) < 2:
        return  # not the layout this module knows
    if not callable(getattr(args[1], "put", None)):
        return
    reader = getattr(args[0], "_reader", None)
    tracker = TaskTracker(agent, readiness_probe(reader) if reader is not None else _never_ready, describe_executor_task)

    def fn_read(item: "Any", frame: "FrameType") -> None:
        if frame.f_code is worker_code:
            tracker.failure_site = None
            tracker.begin(item)

    def exception_kept(wrapped: "Any", exc: "Any") -> None:
        tracker.failure_site = innermost_site(getattr(exc, "__traceback__", None))

    def result_ready(item: "Any") -> None:
        state = item.__dict__
        error = state.get("exception")
        failure = None
        if error is not None:
            failure = wrapped_exception_record(getattr(error, "exc", error), _strip_quotes(getattr(error, "tb", None)),
                                               tracker.failure_site)
        task = tracker.current
        if task is None:
            work_id = state.get("work_id")
            if error is not None:
                tracker.correct_last(lambda last: bool(getattr(last, "work_id", None) == work_id), failure)
            return
        tracker.end(task, error is None, failure)

    result_queue = args[1]
    put = result_queue.put

    def put_result(obj: "Any") -> None:
        # obj: a _ResultItem, or the worker's pid when it stops (not a task)
        if _hook.enabled and isinstance(obj, result_item):
            try:
                result_ready(obj)
            except Exception as exc:
                _hook.fail(exc)
        put(obj)
        if tracker.unsent:
            tracker.send_if_idle()  # the worker is about to block if nothing is queued

    _hidden_codes.add(put_result.__code__)
    call_item.fn = _ReadProbe("fn", fn_read)
    observe_assignments(wrapper, "exc", exception_kept, _hook)
    process._args = (args[0], _Outbox(result_queue, put_result)) + args[2:]
    _tracker = tracker


def _strip_quotes(text: "Any") -> "Any":
    prefix, suffix = '\n"""\n', '"""'
    if isinstance(text, str) and text.startswith(prefix) and text.endswith(suffix):
        return text[len(prefix):-len(suffix)]
    return text


# -- both ------------------------------------------------------------------------------


def worker_exits(process: "Any", exitcode: "Optional[int]") -> None:
    """The worker's ``_bootstrap`` is ending: report a task cut short, send the final totals."""
    tracker = _tracker
    if tracker is not None:
        _hook.run(tracker.process_ends, exitcode)


def run_failed(exc: BaseException) -> None:
    """``run()`` raised: keep the exception for a task it cut short; hide mpscope's frames from its traceback."""
    tracker = _tracker
    if tracker is not None:
        tracker.crash = exc
    _hook.run(hide_frames, exc)


def hide_frames(exc: BaseException) -> None:
    """Unlink mpscope's stand-in frames from the traceback ``_bootstrap`` is about to print."""
    if not _hidden_codes:
        return
    previous = None
    tb = exc.__traceback__
    while tb is not None:
        following = tb.tb_next
        if tb.tb_frame.f_code in _hidden_codes and previous is not None:
            previous.tb_next = following
        else:
            previous = tb
        tb = following
