"""Locks, semaphores, conditions, events and barriers: creation and long waits, with the holder of a lock.

Waits last about half a second against ``wait_threshold_ms`` 100. The holder
of a lock in another process comes from the run's shared table, next to the
collector's socket (``hooks/holders.py``).
"""

from __future__ import annotations

import unittest
from typing import Any, Dict, List

from tests.support import REPORT, START_METHODS, of_kind, report_of
from tests.test_lifecycle import LifecycleCase, line_of

PROGRAM = REPORT + '''
import multiprocessing, sys, time

def holder(lock, ready, steps):
    with lock:
        ready.set()
        assert steps.get() == "lock"  # the waiter is about to wait
        time.sleep(0.5)

def waiter(lock, event, condition, barrier, semaphore, steps):
    steps.put("lock")
    lock.acquire()  # waits for the holder
    lock.release()
    steps.put("event")
    event.wait()  # waits for the parent's set()
    with condition:
        condition.wait(0.5)  # nobody notifies: waits for the timeout
    steps.put("barrier")
    barrier.wait()  # waits for the parent
    steps.put("semaphore")
    with semaphore:  # waits for the parent's release()
        pass

if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[1])
    lock = ctx.Lock()  # the lock
    ready = ctx.Event()  # ready event
    event = ctx.Event()  # the event
    condition = ctx.Condition()  # the condition
    barrier = ctx.Barrier(2)  # the barrier
    semaphore = ctx.Semaphore(0)  # the semaphore
    rlock = ctx.RLock()  # the rlock
    bounded = ctx.BoundedSemaphore(3)  # the bounded semaphore
    steps = ctx.SimpleQueue()
    first = ctx.Process(target=holder, args=(lock, ready, steps))
    first.start()
    ready.wait()
    second = ctx.Process(target=waiter, args=(lock, event, condition, barrier, semaphore, steps))
    second.start()
    first.join()
    assert steps.get() == "event"
    time.sleep(0.5)
    event.set()
    assert steps.get() == "barrier"
    time.sleep(0.5)
    barrier.wait()
    assert steps.get() == "semaphore"
    time.sleep(0.5)
    semaphore.release()
    second.join()
    report(holder=first.pid, waiter=second.pid, codes=[first.exitcode, second.exitcode])
'''


class SyncTest(LifecycleCase):
    def test_waits_and_holders(self) -> None:
        path = self.program("sync.py", PROGRAM)
        for method in START_METHODS:
            with self.subTest(method=method):
                collector, result = self.run_observed(path, method, MPSCOPE_OPTIONS='{"wait_threshold_ms": 100}')
                report = report_of(result.stdout)
                self.assertEqual(report["codes"], [0, 0])
                holder, waiter = report["holder"], report["waiter"]
                events = self.settle(collector, [holder, waiter], selves=[holder, waiter])
                created = {e["site"]["line"]: e for e in of_kind(events, "sync.created")}
                kinds = {
                    "# the lock": "Lock", "# ready event": "Event", "# the event": "Event",
                    "# the condition": "Condition", "# the barrier": "Barrier", "# the semaphore": "Semaphore",
                    "# the rlock": "RLock", "# the bounded semaphore": "BoundedSemaphore",
                }
                self.assertEqual(len(created), len(kinds), created)
                ids = {}
                for marker, kind in kinds.items():
                    event = created[line_of(path, marker)]
                    self.assertEqual(event["sync_kind"], kind, marker)
                    self.assertEqual(event["site"]["file"], path)
                    ids[marker] = event["sync"]
                self.assertEqual(len(set(ids.values())), len(ids), "ids are unique")
                self.assertEqual(created[line_of(path, "# the barrier")]["parties"], 2)
                self.assertEqual(created[line_of(path, "# the semaphore")]["value"], 0)
                bounded = created[line_of(path, "# the bounded semaphore")]
                self.assertEqual((bounded["value"], bounded["maxvalue"]), (3, 3))

                waits = [w for w in of_kind(events, "sync.wait") if w["pid"] == waiter]
                expected = [
                    ("# the lock", "Lock", "acquire", "lock.acquire()"),
                    ("# the event", "Event", "wait", "event.wait()"),
                    ("# the condition", "Condition", "wait", "condition.wait(0.5)"),
                    ("# the barrier", "Barrier", "wait", "barrier.wait()  # waits for the parent"),
                    ("# the semaphore", "Semaphore", "acquire", "with semaphore:"),
                ]
                self.assertEqual([(w["sync"], w["sync_kind"], w["op"]) for w in waits],
                                 [(ids[marker], kind, op) for marker, kind, op, _ in expected])
                for wait, (_, _, _, call) in zip(waits, expected):
                    self.assertGreaterEqual(wait["waited"], 0.1)
                    self.assertEqual(wait["site"]["line"], line_of(path, call), call)
                self.assertEqual(waits[0]["holder_pid"], holder, "the holder is known")
                self.assertEqual(waits[0]["outcome"], "ok")
                self.assertEqual(waits[4]["outcome"], "ok")
                self.assertNotIn("holder_pid", waits[4], "a Semaphore released by the parent, never acquired by it")

    def test_holder_in_the_same_process_and_timeouts(self) -> None:
        path = self.program("threads.py", REPORT + '''
import multiprocessing, sys, threading, time

if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[1])
    lock = ctx.Lock()
    taken = threading.Event()
    def hold():
        with lock:
            taken.set()
            time.sleep(0.5)
    thread = threading.Thread(target=hold)
    thread.start()
    taken.wait()
    with lock:  # waits for the other thread
        pass
    thread.join()
    lock.acquire()
    got = lock.acquire(timeout=0.3)  # held by ourselves: times out
    report(got=got)
''')
        method = START_METHODS[0]
        collector, result = self.run_observed(path, method, MPSCOPE_OPTIONS='{"wait_threshold_ms": 100}')
        self.assertEqual(report_of(result.stdout)["got"], False)
        events = self.settle(collector, [])
        main = [h["pid"] for h in of_kind(events, "hello") if h["role"] == "main"][0]
        waits = of_kind(events, "sync.wait")
        self.assertEqual([(w["op"], w["outcome"], w.get("holder_pid")) for w in waits],
                         [("acquire", "ok", main), ("acquire", "timeout", main)])
        self.assertEqual(waits[0]["site"]["line"], line_of(path, "with lock:  # waits"))


if __name__ == "__main__":
    unittest.main()
