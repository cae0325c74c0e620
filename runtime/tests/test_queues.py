"""Queues under fork, spawn and forkserver: creation, per-process counts, long waits, leftovers.

The programs report what really happened (pids, items) on stdout; the tests
compare the events with that. Waits are made long on purpose (half a second)
against a low threshold (``wait_threshold_ms`` 100), and a waiting process is
known to be waiting before anyone makes it wait longer (the reader's lock of
a queue is held while a get waits).
"""

from __future__ import annotations

import unittest
from typing import Any, Dict, List

from tests.support import REPORT, START_METHODS, of_kind, report_of
from tests.test_lifecycle import LifecycleCase, line_of

OPTIONS = '{"wait_threshold_ms": 100}'

HELPERS = REPORT + '''
import time

def wait_until(predicate):
    deadline = time.monotonic() + 60
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit("timed out")
        time.sleep(0.01)

def waiting_on(queue):
    """Whether some process is inside queue.get(), waiting (it holds the readers' lock)."""
    return queue._rlock._semlock._get_value() == 0
'''


def totals(events: List[Dict[str, Any]], queue: str) -> Dict[str, int]:
    """The last queue.counters of each process for ``queue``, added up."""
    last: Dict[int, Dict[str, Any]] = {}
    for event in of_kind(events, "queue.counters", queue=queue):
        last[event["pid"]] = event
    summed: Dict[str, int] = {}
    for event in last.values():
        for key in ("puts", "gets", "task_done", "joins"):
            summed[key] = summed.get(key, 0) + event.get(key, 0)
    return summed


def by_pid(events: List[Dict[str, Any]], kind: str, queue: str) -> Dict[int, Dict[str, Any]]:
    return {e["pid"]: e for e in of_kind(events, kind, queue=queue)}


class QueueTest(LifecycleCase):
    @unittest.skipUnless("fork" in START_METHODS, "needs the fork start method")
    def test_a_forked_child_counts_its_own_gets(self) -> None:
        # The parent's gets made the queue's counting inline; a forked child inherits that state
        # and must still count (and send) its own gets, even fewer than one batch of 64.
        path = self.program("forked_gets.py", REPORT + '''
import multiprocessing

def take(items, count):
    for _ in range(count):
        items.get()

if __name__ == "__main__":
    ctx = multiprocessing.get_context("fork")
    items = ctx.Queue()  # items queue
    for n in range(20):
        items.put(n)
    take(items, 5)
    child = ctx.Process(target=take, args=(items, 3))
    child.start()
    child.join()
    report(child=child.pid, exitcode=child.exitcode)
''')
        collector, result = self.run_observed(path, "fork")
        report = report_of(result.stdout)
        self.assertEqual(report["exitcode"], 0)
        events = self.settle(collector, [report["child"]], selves=[report["child"]])
        queue = of_kind(events, "queue.created")[0]["queue"]
        counts = {e["pid"]: e for e in of_kind(events, "queue.counters", queue=queue)}
        self.assertEqual(counts[report["child"]]["gets"], 3, counts)
        self.assertEqual(counts[self.main_pid(events)]["gets"], 5, counts)

    def test_counts_blocked_gets_puts_and_leftovers(self) -> None:
        path = self.program("queues.py", HELPERS + '''
import multiprocessing, queue as stdlib_queue, sys

def consumer(items, bounded, count):
    for _ in range(count):
        items.get()                     # the first get waits: nothing is queued yet
    wait_until(bounded.full)
    time.sleep(0.5)                     # the parent's put on the full queue waits meanwhile
    bounded.get()
    bounded.get()

if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[1])
    items = ctx.Queue()  # items queue
    bounded = ctx.Queue(1)  # bounded queue
    child = ctx.Process(target=consumer, args=(items, bounded, 5))
    child.start()
    wait_until(lambda: waiting_on(items))
    time.sleep(0.5)
    for n in range(5):
        items.put(n)
    bounded.put("first")
    bounded.put("second")  # blocks until the child takes the first
    child.join()
    try:
        items.get(timeout=0.3)  # nothing left: waits, then queue.Empty
    except stdlib_queue.Empty:
        pass
    items.put("left over")
    items.put("left over too")
    report(child=child.pid, exitcode=child.exitcode)
''')
        for method in START_METHODS:
            with self.subTest(method=method):
                collector, result = self.run_observed(path, method, MPSCOPE_OPTIONS=OPTIONS)
                report = report_of(result.stdout)
                self.assertEqual(report["exitcode"], 0)
                child = report["child"]
                events = self.settle(collector, [child], selves=[child])
                main = self.main_pid(events)
                created = {e["site"]["line"]: e for e in of_kind(events, "queue.created")}
                items = created[line_of(path, "# items queue")]
                bounded = created[line_of(path, "# bounded queue")]
                self.assertEqual((items["queue_kind"], items["maxsize"], items["pid"]), ("Queue", None, main))
                self.assertEqual((bounded["queue_kind"], bounded["maxsize"]), ("Queue", 1))
                self.assertEqual(items["site"]["file"], path)

                counts = {pid: e for pid, e in self.last_counters(events, items["queue"]).items()}
                self.assertEqual((counts[main]["puts"], counts[main]["gets"]), (7, 0))
                self.assertEqual((counts[child]["puts"], counts[child]["gets"]), (0, 5))
                self.assertEqual(totals(events, bounded["queue"]), {"puts": 2, "gets": 2, "task_done": 0, "joins": 0})

                blocked = of_kind(events, "queue.blocked")
                child_get = [b for b in blocked if b["pid"] == child and b["queue"] == items["queue"]]
                self.assertEqual([(b["op"], b["outcome"]) for b in child_get], [("get", "ok")])
                self.assertGreaterEqual(child_get[0]["waited"], 0.1)
                self.assertEqual(child_get[0]["site"]["line"], line_of(path, "items.get()"))
                main_put = [b for b in blocked if b["pid"] == main and b["queue"] == bounded["queue"]]
                self.assertEqual([(b["op"], b["outcome"]) for b in main_put], [("put", "ok")])
                self.assertEqual(main_put[0]["site"]["line"], line_of(path, 'bounded.put("second")'))
                main_get = [b for b in blocked if b["pid"] == main and b["queue"] == items["queue"]]
                self.assertEqual([(b["op"], b["outcome"]) for b in main_get], [("get", "timeout")])

                leftover = by_pid(events, "queue.leftover", items["queue"])
                self.assertEqual((leftover[main]["backlog"], leftover[main]["buffered"]), (2, 0))
                self.assertNotIn(child, leftover)

    def test_joinable_and_simple_queues(self) -> None:
        path = self.program("joinable.py", HELPERS + '''
import multiprocessing, sys

def worker(tasks, results):
    for _ in range(3):
        item = tasks.get()
        time.sleep(0.2)
        results.put(item * 2)
        tasks.task_done()

if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[1])
    tasks = ctx.JoinableQueue()  # tasks queue
    results = ctx.SimpleQueue()  # results queue
    child = ctx.Process(target=worker, args=(tasks, results))
    child.start()
    for n in range(3):
        tasks.put(n)
    tasks.join()  # waits for the three task_done calls
    got = sorted(results.get() for _ in range(3))
    child.join()
    report(child=child.pid, got=got)
''')
        for method in START_METHODS:
            with self.subTest(method=method):
                collector, result = self.run_observed(path, method, MPSCOPE_OPTIONS=OPTIONS)
                report = report_of(result.stdout)
                self.assertEqual(report["got"], [0, 2, 4])
                child = report["child"]
                events = self.settle(collector, [child], selves=[child])
                main = self.main_pid(events)
                created = {e["site"]["line"]: e for e in of_kind(events, "queue.created")}
                tasks = created[line_of(path, "# tasks queue")]
                results = created[line_of(path, "# results queue")]
                self.assertEqual((tasks["queue_kind"], results["queue_kind"]), ("JoinableQueue", "SimpleQueue"))
                tasks_counts = self.last_counters(events, tasks["queue"])
                self.assertEqual((tasks_counts[main]["puts"], tasks_counts[main]["joins"]), (3, 1))
                self.assertEqual((tasks_counts[child]["gets"], tasks_counts[child]["task_done"]), (3, 3))
                results_counts = self.last_counters(events, results["queue"])
                self.assertEqual((results_counts[child]["puts"], results_counts[main]["gets"]), (3, 3))
                joined = [b for b in of_kind(events, "queue.blocked", queue=tasks["queue"]) if b["op"] == "join"]
                self.assertEqual([b["pid"] for b in joined], [main])
                self.assertEqual(joined[0]["site"]["line"], line_of(path, "tasks.join()"))

    def test_queues_of_pools_are_not_reported(self) -> None:
        path = self.program("pool_queues.py", '''
import multiprocessing, sys

def double(n):
    return 2 * n

if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[1])
    with ctx.Pool(2) as pool:
        print(pool.map(double, range(5)))
''')
        for method in START_METHODS:
            with self.subTest(method=method):
                collector, result = self.run_observed(path, method, MPSCOPE_OPTIONS=OPTIONS)
                self.assertEqual(result.stdout, b"[0, 2, 4, 6, 8]\n")
                workers = self.started(collector.events(), "pool-worker")
                events = self.settle(collector, workers)
                for kind in ("queue.created", "queue.counters", "queue.leftover", "sync.created", "pipe.created",
                             "pipe.counters"):
                    self.assertEqual(of_kind(events, kind), [], kind)

    # -- helpers ------------------------------------------------------------------

    def main_pid(self, events: List[Dict[str, Any]]) -> int:
        mains = [e["pid"] for e in of_kind(events, "hello") if e["role"] == "main"]
        self.assertEqual(len(mains), 1)
        return mains[0]

    def last_counters(self, events: List[Dict[str, Any]], queue: str) -> Dict[int, Dict[str, Any]]:
        last: Dict[int, Dict[str, Any]] = {}
        for event in of_kind(events, "queue.counters", queue=queue):
            last[event["pid"]] = event
        return last


if __name__ == "__main__":
    unittest.main()
