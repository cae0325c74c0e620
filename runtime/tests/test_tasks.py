"""The worker-side task bookkeeping and the submission counts, in one process (no workers started).

A Pool worker's stand-in queues are driven exactly as ``multiprocessing.pool.worker``
drives them (the real function runs here on in-memory queues), so folding,
thresholds, failures and the end of a worker are checked without timing.
"""

from __future__ import annotations

import multiprocessing.pool
import sys
import unittest
from typing import Any, Dict, List
from unittest import mock

from mpscope import agent as _agent
from mpscope import options as _options
from mpscope.hooks import pools, tasks
from tests.support import VALIDATOR


class RecordingStream:
    def __init__(self) -> None:
        self.events: List[Dict[str, Any]] = []
        self.flushes = 0

    def open(self, hello: Dict[str, Any]) -> None:
        self.events.append(dict(hello, token="t" * 32, seq=0))

    def send(self, event: Dict[str, Any], urgent: bool = True) -> None:
        self.events.append(dict(event, seq=len(self.events)))

    def flush(self, timeout: float) -> bool:
        self.flushes += 1
        return True

    def silence(self) -> None:
        pass

    def reset_after_fork(self) -> None:
        pass


class ListQueue:
    """What the worker needs of its queues: get() and put()."""

    def __init__(self, items: List[Any]) -> None:
        self.items = list(items)
        self.sent: List[Any] = []

    def get(self) -> Any:
        return self.items.pop(0)

    def put(self, obj: Any) -> None:
        self.sent.append(obj)


def square(x: int) -> int:
    return x * x


def fails(x: int) -> int:
    raise ValueError("no %d" % x)


class Unsendable:
    pass


class RefusingQueue(ListQueue):
    def put(self, obj: Any) -> None:
        if isinstance(obj[2][1], Unsendable):
            raise TypeError("cannot pickle 'Unsendable' object")
        super().put(obj)


class AgentCase(unittest.TestCase):
    def setUp(self) -> None:
        self.stream = RecordingStream()
        agent = _agent.Agent(self.stream)
        agent.announce("pool-worker")
        self.agent = agent
        previous = _agent.current()
        _agent.set_current(agent)
        self.addCleanup(_agent.set_current, previous)
        period = mock.patch.object(tasks, "COUNTERS_PERIOD", 1e9)  # no time-driven sends in these tests
        period.start()
        self.addCleanup(period.stop)

    def use_options(self, **data: Any) -> None:
        self.agent.options = _options.options_from(data)

    def events(self, kind: str) -> List[Dict[str, Any]]:
        for event in self.stream.events:
            VALIDATOR.check(event)
        return [e for e in self.stream.events if e["kind"] == kind]


class PoolWorkerTest(AgentCase):
    def run_worker(self, tasks_in: List[Any], waiting: bool = True, outqueue: Any = None) -> ListQueue:
        """Run the real Pool worker loop on ``tasks_in``; ``waiting``: the task pipe is never seen empty."""
        inqueue = ListQueue(tasks_in + [None])
        outqueue = outqueue or ListQueue([])
        tracker = tasks.TaskTracker(self.agent, lambda: waiting, tasks.describe_pool_task)
        stand_ins = (tasks._Inbox(inqueue, tracker), tasks._Outbox(outqueue, tasks._put_for(outqueue.put, tracker)))
        multiprocessing.pool.worker(*stand_ins, None, (), None, True)
        tracker.process_ends(0)
        return outqueue

    def test_fast_tasks_are_folded_into_counters(self) -> None:
        self.use_options(task_threshold_ms=60000)
        out = self.run_worker([(7, i, square, (i,), {}) for i in range(5)])
        self.assertEqual([result for _, _, result in out.sent], [(True, i * i) for i in range(5)])
        self.assertEqual(self.events("task.finished"), [])
        counters = self.events("task.counters")
        self.assertEqual([(c["done"], c["failed"]) for c in counters], [(1, 0), (5, 0)],
                         "with the first task, then when the worker ended (its queue was never empty)")

    def test_counters_go_out_when_the_worker_runs_out_of_work(self) -> None:
        self.use_options(task_threshold_ms=60000)
        self.run_worker([(7, i, square, (i,), {}) for i in range(3)], waiting=False)
        self.assertEqual([c["done"] for c in self.events("task.counters")], [1, 2, 3])

    def test_full_detail_sends_every_task_with_its_chunk(self) -> None:
        self.use_options(task_detail="full")
        chunk = (7, 1, multiprocessing.pool.mapstar, ((square, (4, 5, 6)),), {})
        self.run_worker([(3, 0, square, (2,), {}), chunk])
        finished = self.events("task.finished")
        self.assertEqual([(e["job"], e["index"], e.get("items"), e["func"], e["ok"]) for e in finished],
                         [(3, 0, None, __name__ + ".square", True), (7, 1, 3, __name__ + ".square", True)])
        self.assertEqual(self.events("task.counters")[-1]["done"], 2)

    def test_a_failed_task_is_sent_and_flushed_before_its_result(self) -> None:
        self.use_options(task_threshold_ms=60000)
        out = ListQueue([])
        flushes_at_put: List[int] = []
        original_put = out.put

        def put(obj: Any) -> None:
            flushes_at_put.append(self.stream.flushes)
            original_put(obj)

        out.put = put  # type: ignore[method-assign]
        self.run_worker([(1, 0, fails, (3,), {})], outqueue=out)
        self.assertEqual(flushes_at_put, [1], "flushed before the result went back")
        failed = self.events("task.finished")
        self.assertEqual(len(failed), 1)
        exception = failed[0]["exception"]
        self.assertFalse(failed[0]["ok"])
        self.assertEqual((exception["type"], exception["message"]), ("ValueError", "no 3"))
        error = out.sent[0][2][1]
        self.assertEqual('\n"""\n' + exception["traceback"] + '"""', error.tb, "the text the parent will show")
        self.assertEqual(exception["site"]["function"], "fails")
        self.assertEqual(self.events("task.counters")[-1]["failed"], 1)

    def test_a_result_that_cannot_be_sent_becomes_a_failure(self) -> None:
        self.use_options(task_threshold_ms=60000)
        self.run_worker([(2, 0, Unsendable, (), {})], outqueue=RefusingQueue([]))
        failed = self.events("task.finished")
        self.assertEqual([(e["job"], e["ok"], e["exception"]["type"]) for e in failed],
                         [(2, False, "multiprocessing.pool.MaybeEncodingError")])
        last = self.events("task.counters")[-1]
        self.assertEqual((last["done"], last["failed"]), (0, 1))

    def test_a_task_cut_short_by_the_end_of_its_worker(self) -> None:
        tracker = tasks.TaskTracker(self.agent, lambda: True, tasks.describe_pool_task)
        tracker.current = (4, 2, square, (1,), {})
        tracker.crash = KeyboardInterrupt()
        tracker.process_ends(1)
        finished = self.events("task.finished")
        self.assertEqual([(e["job"], e["index"], e["ok"], e["exitcode"], e["exception"]["type"]) for e in finished],
                         [(4, 2, False, 1, "KeyboardInterrupt")])

    def test_the_threshold_decides_what_is_sent_one_by_one(self) -> None:
        self.use_options(task_threshold_ms=0)  # every task takes at least 0 ms
        self.run_worker([(1, i, square, (i,), {}) for i in range(3)])
        self.assertEqual(len(self.events("task.finished")), 3)


class HiddenFramesTest(unittest.TestCase):
    def test_stand_in_frames_are_unlinked_from_a_traceback(self) -> None:
        def raiser(obj: Any) -> None:
            raise KeyboardInterrupt

        put = tasks._put_for(raiser, tasks.TaskTracker(_agent.Agent(RecordingStream()), lambda: True,
                                                        tasks.describe_pool_task))

        def worker_like() -> None:
            put((0, 0, (True, 1)))

        try:
            worker_like()
        except KeyboardInterrupt as exc:
            caught = exc
        names = []
        tasks.hide_frames(caught)
        tb = caught.__traceback__
        while tb is not None:
            names.append(tb.tb_frame.f_code.co_name)
            tb = tb.tb_next
        self.assertEqual(names, ["test_stand_in_frames_are_unlinked_from_a_traceback", "worker_like", "raiser"])


class SubmissionsTest(AgentCase):
    def test_single_calls_are_folded_and_flushed(self) -> None:
        owner = Unsendable()
        record = pools.new_record(owner, "pool", None)
        frame = sys._getframe()
        for job in range(4):
            pools.submitted(record, "apply_async", "m.f", frame, job=job)
        pools.submitted(record, "map", "m.g", frame, job=9, chunksize=2, items=7)
        sent = self.events("task.submitted")
        self.assertEqual([(e["method"], e["calls"], e.get("job")) for e in sent],
                         [("apply_async", 1, 0), ("map", 1, 9)])
        self.assertEqual(sent[0]["site"]["function"], "test_single_calls_are_folded_and_flushed")
        pools.state_changed(record, "pool.closed")
        sent = self.events("task.submitted")
        self.assertEqual([(e["method"], e["calls"]) for e in sent[2:]], [("apply_async", 4)])
        self.assertEqual(self.events("pool.closed")[0]["pool"], record.id)
        self.assertIn(pools._flush_all, self.agent.finishers)


if __name__ == "__main__":
    unittest.main()
