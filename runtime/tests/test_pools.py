"""Pools, executors and their tasks, in real programs under fork, spawn and forkserver.

Each program reports what it saw (which worker pid ran which task, the
tracebacks the parent got); the tests check the events against that and
against the schema (``LifecycleCase.settle`` validates every event).
"""

from __future__ import annotations

import json
import re
import unittest
from typing import Any, Dict, List

from tests.support import (
    START_METHODS,
    clean_env,
    exits_of,
    of_kind,
    report_of,
    run,
    sample,
)
from tests.test_lifecycle import LifecycleCase, line_of

FULL = json.dumps({"task_detail": "full"})
FOLDED = json.dumps({"task_threshold_ms": 600000})  # no task is that slow: every success is folded

APIS = '''
import multiprocessing, os, sys

def f_apply(x): return os.getpid()
def f_apply_async(x): return os.getpid()
def f_map(x): return os.getpid()
def f_map_async(x): return os.getpid()
def f_starmap(x, y): return os.getpid()
def f_starmap_async(x, y): return os.getpid()
def f_imap(x): return os.getpid()
def f_imap_unordered(x): return x, os.getpid()
def f_chunks(x): return os.getpid()

if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[1])
    pool = ctx.Pool(2)  # the pool
    pairs = [(i, i) for i in range(6)]
    ran = {
        "apply": [pool.apply(f_apply, (1,))],
        "apply_async": [pool.apply_async(f_apply_async, (1,)).get()],
        "map": pool.map(f_map, range(6), chunksize=1),
        "map_async": pool.map_async(f_map_async, range(6), chunksize=1).get(),
        "starmap": pool.starmap(f_starmap, pairs, chunksize=1),
        "starmap_async": pool.starmap_async(f_starmap_async, pairs, chunksize=1).get(),
        "imap": list(pool.imap(f_imap, range(6))),
        "imap_unordered": [pid for _, pid in sorted(pool.imap_unordered(f_imap_unordered, range(6)))],
        "chunks": pool.map(f_chunks, range(10), chunksize=4)[::4],  # chunks of 4, 4 and 2 items
    }
    pool.close()
    pool.join()
    report(ran=ran)
'''

FAILURES = '''
import concurrent.futures, multiprocessing, sys, time

def fails(x):
    if x == 2:
        raise ValueError("no %d" % x)  # the failing line
    return x

class Unsendable:
    def __reduce__(self):
        raise TypeError("cannot send this back")

def unsendable(x):
    return Unsendable()

def explode():
    raise RuntimeError("argument cannot be rebuilt in a worker")

class ExplodesInWorker:
    def __reduce__(self):
        return explode, ()

class InterruptsSending:
    def __reduce__(self):
        raise KeyboardInterrupt

def interrupted(x):
    return InterruptsSending()

def identity(x):
    return x

def worker_dies(ctx, task, argument):
    # The worker dies while taking (or returning) the task. Wait until the pool has reaped it (joining it
    # here too would race with the pool's thread: forkserver's Popen.poll is not thread-safe).
    pool = ctx.Pool(1)
    worker = pool._pool[0]
    pool.apply_async(task, (argument,))
    deadline = time.monotonic() + 60
    while worker in pool._pool and time.monotonic() < deadline:
        time.sleep(0.01)
    pool.terminate()
    pool.join()
    return worker.exitcode

if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[1])
    out = {}
    with ctx.Pool(2) as pool:
        try:
            pool.map(fails, range(4), chunksize=1)
        except ValueError as exc:
            out["pool"] = str(exc.__cause__)
        try:
            pool.apply(unsendable, (1,))
        except Exception as exc:
            out["unsendable"] = type(exc).__name__
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=ctx) as executor:
        out["executor"] = str(executor.submit(fails, 2).exception().__cause__)
    sys.stderr.write("-- a worker that cannot rebuild its task\\n")
    out["exploded"] = worker_dies(ctx, identity, ExplodesInWorker())
    sys.stderr.write("-- a worker interrupted while sending a result\\n")
    out["interrupted"] = worker_dies(ctx, interrupted, 1)
    report(**out)
'''

LIFECYCLE = '''
import multiprocessing, multiprocessing.pool, os, sys, time

def pid_of(x):
    return os.getpid()

def nap(seconds):
    time.sleep(seconds)
    return os.getpid()

def setup():
    pass

if __name__ == "__main__":
    method = sys.argv[1]
    multiprocessing.set_start_method(method)
    ctx = multiprocessing.get_context(method)
    recycled = ctx.Pool(1, maxtasksperchild=2)  # recycled pool
    recycled_pids = recycled.map(pid_of, range(6), chunksize=1)
    recycled.close()
    recycled.join()
    plain = multiprocessing.Pool(1)  # module-level Pool
    naps = plain.map(nap, [0.05, 0.05] + [0] * 20, chunksize=1)
    state = plain._state  # user code reading the observed attribute
    plain.close()  # close it
    plain.join()  # join it
    stopped = ctx.Pool(1)
    stopped.terminate()  # terminate it
    stopped.join()
    with ctx.Pool(1) as scoped:  # with block
        scoped.apply(pid_of, (1,))
    threads = multiprocessing.pool.ThreadPool(1)
    threads.map(pid_of, range(3))
    threads.close()
    threads.join()
    forgotten = ctx.Pool(1, initializer=setup)  # left open
    forgotten.apply(pid_of, (1,))
    report(recycled=recycled_pids, naps=naps[:2], state=state)
'''

EXECUTOR = '''
import concurrent.futures, multiprocessing, os, sys

def submitted(x):
    return os.getpid()

def mapped(x):
    return os.getpid()

def setup():
    pass

if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[1])
    executor = concurrent.futures.ProcessPoolExecutor(2, mp_context=ctx, initializer=setup)  # the executor
    by_submit = [executor.submit(submitted, i).result() for i in range(3)]
    by_map = list(executor.map(mapped, range(7), chunksize=3))[::3]  # chunks of 3, 3 and 1 items
    count = executor._queue_count  # user code reading an observed attribute
    executor.shutdown(wait=True)  # shut it down
    report(submit=by_submit, map=by_map, count=count)
'''


def worker_tracebacks(text: bytes) -> List[bytes]:
    """The tracebacks dying workers printed (CPython may print more, e.g. 3.12's resource tracker warnings).

    How many workers a pool started before it was terminated varies from run to run, and so their numbers.
    """
    blocks = re.findall(rb"Process \S+:\nTraceback \(most recent call last\):\n(?:  .*\n)+\S.*\n", text)
    return [re.sub(rb"PoolWorker-[0-9]+", b"PoolWorker-N", block) for block in blocks]


class PoolCase(LifecycleCase):
    def pools(self, events: List[Dict[str, Any]]) -> Dict[str, Dict[str, Any]]:
        return {e["pool"]: e for e in of_kind(events, "pool.created")}

    def workers_of(self, events: List[Dict[str, Any]], pool: str) -> List[int]:
        created = {e["proc"]: e for e in of_kind(events, "process.created") if e.get("pool") == pool}
        return [e["child_pid"] for e in of_kind(events, "process.started") if e["proc"] in created]

    def final_counters(self, events: List[Dict[str, Any]], pid: int) -> Dict[str, Any]:
        counters = of_kind(events, "task.counters", pid=pid)
        self.assertTrue(counters, "no task.counters from %d" % pid)
        return max(counters, key=lambda e: e["seq"])

    def tasks_of(self, events: List[Dict[str, Any]], func: str) -> List[Dict[str, Any]]:
        return of_kind(events, "task.finished", func="__main__." + func)

    def submission(self, events: List[Dict[str, Any]], method: str, func: str) -> Dict[str, Any]:
        found = of_kind(events, "task.submitted", method=method, func="__main__." + func)
        self.assertTrue(found, "no task.submitted for %s %s" % (method, func))
        return found[0]


class TaskApisTest(PoolCase):
    def run_apis(self, method: str, options: str):
        path = self.program("apis.py", APIS)
        collector, result = self.run_observed(path, method, MPSCOPE_OPTIONS=options)
        ran = report_of(result.stdout)["ran"]
        workers = self.started(collector.events(), "pool-worker")
        events = self.settle(collector, workers, selves=workers)
        pools = self.pools(events)
        self.assertEqual(len(pools), 1, pools)
        pool = next(iter(pools.values()))
        self.assertEqual((pool["api"], pool["processes"], pool["maxtasksperchild"]), ("pool", 2, None))
        self.assertEqual(pool["start_method"], method)
        self.assertEqual(pool["site"]["line"], line_of(path, "# the pool"))
        self.assertEqual(sorted(self.workers_of(events, pool["pool"])), sorted(workers))
        return path, ran, workers, events

    def test_every_api_records_which_worker_ran_each_task(self) -> None:
        for method in START_METHODS:
            with self.subTest(method=method):
                path, ran, workers, events = self.run_apis(method, FULL)
                for api in ("apply", "apply_async", "map", "map_async", "starmap", "starmap_async", "imap",
                            "imap_unordered"):
                    submitted = self.submission(events, api, "f_" + api)
                    self.assertEqual(submitted["calls"], 1)
                    self.assertEqual(submitted["site"]["file"], path)
                    records = self.tasks_of(events, "f_" + api)
                    self.assertEqual({r["index"]: r["pid"] for r in records}, dict(enumerate(ran[api])), api)
                    self.assertEqual({r["job"] for r in records}, {submitted["job"]}, api)
                    self.assertTrue(all(r["ok"] and r["duration"] >= 0 for r in records), records)
                    if api not in ("apply", "apply_async"):
                        self.assertEqual(submitted["chunksize"], 1)
                        self.assertEqual(submitted["items"], None if api.startswith("imap") else 6)
                chunks = sorted(self.tasks_of(events, "f_chunks"), key=lambda r: r["index"])
                self.assertEqual([(r["index"], r["items"], r["pid"]) for r in chunks],
                                 [(0, 4, ran["chunks"][0]), (1, 4, ran["chunks"][1]), (2, 2, ran["chunks"][2])])
                self.assertEqual(self.submission(events, "map", "f_chunks")["chunksize"], 4)
                tasks = len(of_kind(events, "task.finished"))
                self.assertEqual(sum(self.final_counters(events, pid)["done"] for pid in workers), tasks)

    def test_folded_tasks_are_counted_per_worker(self) -> None:
        for method in START_METHODS:
            with self.subTest(method=method):
                _, ran, workers, events = self.run_apis(method, FOLDED)
                self.assertEqual(of_kind(events, "task.finished"), [])
                expected = {pid: 0 for pid in workers}
                for pids in ran.values():
                    for pid in pids:
                        expected[pid] += 1
                counted = {pid: self.final_counters(events, pid) for pid in workers}
                self.assertEqual({pid: c["done"] for pid, c in counted.items()}, expected)
                for counters in counted.values():
                    self.assertEqual(counters["failed"], 0)
                    self.assertGreaterEqual(counters["time"], counters["max"])


class FailuresTest(PoolCase):
    def test_failed_tasks_arrive_with_the_traceback_the_parent_shows(self) -> None:
        path = self.program("failures.py", FAILURES)
        for method in START_METHODS:
            with self.subTest(method=method):
                plain = run([path, method], clean_env())
                collector, hooked = self.run_observed(path, method)
                seen = report_of(hooked.stdout)
                self.assertEqual(seen, report_of(plain.stdout), "the parent sees the same exceptions")
                self.assertEqual(len(worker_tracebacks(plain.stderr)), 2, plain.stderr.decode())
                self.assertEqual(worker_tracebacks(hooked.stderr), worker_tracebacks(plain.stderr),
                                 "workers print the same tracebacks")
                self.assertEqual(seen["unsendable"], "MaybeEncodingError")
                self.assertEqual((seen["exploded"], seen["interrupted"]), (1, 1))
                self.assertIn("argument cannot be rebuilt in a worker", hooked.stderr.decode())
                self.assertIn("KeyboardInterrupt", hooked.stderr.decode())
                events = self.settle(collector, self.started(collector.events(), "pool-worker", "executor-worker"))

                failed = of_kind(events, "task.finished", ok=False)
                by_func = {}
                for record in failed:
                    by_func.setdefault(record["func"], []).append(record)
                pool_failure, executor_failure = sorted(by_func["__main__.fails"], key=lambda r: "index" not in r)
                for record, text in ((pool_failure, seen["pool"]), (executor_failure, seen["executor"])):
                    exception = record["exception"]
                    self.assertEqual((exception["type"], exception["message"]), ("ValueError", "no 2"))
                    self.assertEqual('\n"""\n' + exception["traceback"] + '"""', text)
                    self.assertEqual(exception["site"]["file"], path)
                    self.assertEqual(exception["site"]["line"], line_of(path, "# the failing line"))
                self.assertEqual(pool_failure["index"], 2)
                self.assertEqual(pool_failure["items"], 1)
                unsendable = by_func["__main__.unsendable"]
                self.assertEqual([r["exception"]["type"] for r in unsendable], ["multiprocessing.pool.MaybeEncodingError"])
                self.assertIn("cannot send this back", unsendable[0]["exception"]["message"])
                for pid in {r["pid"] for r in failed}:
                    self.assertGreaterEqual(self.final_counters(events, pid)["failed"], 1)


class LifecycleTest(PoolCase):
    def test_pool_lifecycle_replacements_and_slow_tasks(self) -> None:
        path = self.program("lifecycle.py", LIFECYCLE)
        for method in START_METHODS:
            with self.subTest(method=method):
                collector, result = self.run_observed(path, method, MPSCOPE_OPTIONS=json.dumps({"task_threshold_ms": 20}))
                seen = report_of(result.stdout)
                self.assertEqual(seen["state"], "RUN")
                workers = self.started(collector.events(), "pool-worker")
                events = self.settle(collector, workers)
                pools = sorted(self.pools(events).values(), key=lambda e: e["seq"])
                self.assertEqual([p["site"]["line"] for p in pools],
                                 [line_of(path, marker) for marker in
                                  ("# recycled pool", "# module-level Pool", "stopped = ctx.Pool(1)", "# with block",
                                   "# left open")], "one pool.created per process pool, none for the ThreadPool")
                recycled, plain, stopped, scoped, forgotten = [p["pool"] for p in pools]
                self.assertEqual(pools[0]["maxtasksperchild"], 2)
                self.assertEqual(pools[4]["initializer"], "__main__.setup")
                self.assertTrue(all(p["start_method"] == method for p in pools), pools)

                # maxtasksperchild: replacements are children of the same pool
                # (the pool may start one more replacement before close() reaches its worker handler)
                replaced = self.workers_of(events, recycled)
                self.assertLessEqual(set(seen["recycled"]), set(replaced))
                self.assertEqual(len(set(seen["recycled"])), 3)
                created = [self.created_for(events, pid) for pid in replaced]
                self.assertEqual([c.get("replacement", False) for c in created], [False] + [True] * (len(created) - 1))
                self.assertTrue(all(c["site"]["line"] == line_of(path, "# recycled pool") for c in created), created)
                for pid in set(seen["recycled"]):
                    self.assertEqual(self.final_counters(events, pid)["done"], 2)

                def states(pool: str) -> List[Any]:
                    return [(e["kind"], e.get("site", {}).get("line"), e.get("finalizer"))
                            for e in events if e.get("pool") == pool and e["kind"] in
                            ("pool.closed", "pool.terminated", "pool.joined")]

                self.assertEqual(states(recycled), [("pool.closed", line_of(path, "recycled.close()"), None),
                                                    ("pool.joined", line_of(path, "recycled.join()"), None)])
                self.assertEqual(states(plain), [("pool.closed", line_of(path, "# close it"), None),
                                                 ("pool.joined", line_of(path, "# join it"), None)])
                self.assertEqual(states(stopped), [("pool.terminated", line_of(path, "# terminate it"), None),
                                                   ("pool.joined", line_of(path, "stopped.join()"), None)])
                self.assertEqual([kind for kind, _, _ in states(scoped)], ["pool.terminated"])
                self.assertEqual(states(forgotten), [("pool.terminated", None, True)])

                # task_threshold_ms 20: the two naps are sent one by one, by the workers that ran them
                naps = self.tasks_of(events, "nap")  # a sleep(0) may be slow too on a busy machine
                slow = sorted((r["index"], r["pid"]) for r in naps if r["index"] in (0, 1))
                self.assertEqual(slow, [(0, seen["naps"][0]), (1, seen["naps"][1])])
                self.assertTrue(all(r["duration"] >= 0.02 for r in naps), naps)
                nappers = self.workers_of(events, plain)
                self.assertEqual(sum(self.final_counters(events, pid)["done"] for pid in nappers), 22)


class ExecutorTest(PoolCase):
    def test_submit_and_map(self) -> None:
        path = self.program("executor_tasks.py", EXECUTOR)
        for method in START_METHODS:
            with self.subTest(method=method):
                collector, result = self.run_observed(path, method, MPSCOPE_OPTIONS=FULL)
                seen = report_of(result.stdout)
                self.assertEqual(seen["count"], 6)
                workers = self.started(collector.events(), "executor-worker")
                events = self.settle(collector, workers, selves=workers)
                pools = list(self.pools(events).values())
                self.assertEqual(len(pools), 1)
                pool = pools[0]
                self.assertEqual((pool["api"], pool["processes"], pool["initializer"], pool["start_method"]),
                                 ("executor", 2, "__main__.setup", method))
                self.assertEqual(pool["site"]["line"], line_of(path, "# the executor"))
                self.assertEqual(sorted(self.workers_of(events, pool["pool"])), sorted(workers))

                submit = self.submission(events, "submit", "submitted")
                self.assertEqual((submit["job"], submit["calls"]), (0, 1))
                submits = sorted(self.tasks_of(events, "submitted"), key=lambda r: r["job"])
                self.assertEqual([(r["job"], r["pid"]) for r in submits], list(enumerate(seen["submit"])))
                self.assertTrue(all("items" not in r and "index" not in r for r in submits), submits)

                mapped = self.submission(events, "map", "mapped")
                self.assertEqual((mapped["job"], mapped["chunksize"], mapped["items"]), (3, 3, 7))
                chunks = sorted(self.tasks_of(events, "mapped"), key=lambda r: r["job"])
                self.assertEqual([(r["job"], r["items"], r["pid"]) for r in chunks],
                                 [(3, 3, seen["map"][0]), (4, 3, seen["map"][1]), (5, 1, seen["map"][2])])

                closed = of_kind(events, "pool.closed", pool=pool["pool"])
                self.assertEqual(len(closed), 1)
                self.assertTrue(closed[0]["wait"])
                self.assertEqual(closed[0]["site"]["line"], line_of(path, "# shut it down"))
                self.assertEqual(len(of_kind(events, "pool.joined", pool=pool["pool"])), 1)
                for pid in workers:
                    self.assertEqual(exits_of(events, pid)["self"]["exitcode"], 0)
                self.assertEqual(sum(self.final_counters(events, pid)["done"] for pid in workers), 6)



class PoolSamplesTest(PoolCase):
    """The samples of this feature run unchanged and show what their docstrings promise."""

    method = START_METHODS[0]

    def run_sample(self, name: str):
        path = sample(name)
        plain = run([path, self.method], clean_env())
        collector, hooked = self.run_observed(path, self.method)
        self.assertEqual(hooked.stdout, plain.stdout)
        workers = self.started(collector.events(), "pool-worker", "executor-worker")
        return path, hooked.stdout.decode(), self.settle(collector, workers)

    def test_pool_failing_task(self) -> None:
        path, _, events = self.run_sample("pool_failing_task.py")
        failed = of_kind(events, "task.finished", ok=False)
        self.assertEqual([(e["func"], e["index"], e["exception"]["type"]) for e in failed],
                         [("__main__.parse", 2, "ValueError")])
        self.assertEqual(failed[0]["exception"]["site"]["line"], line_of(path, "return int(text)"))

    def test_executor_tasks(self) -> None:
        _, out, events = self.run_sample("executor_tasks.py")
        self.assertIn("failed with: ArithmeticError('cannot crunch 5')", out)
        self.assertEqual([p["api"] for p in self.pools(events).values()], ["executor"])
        finished = of_kind(events, "task.finished")
        self.assertEqual(len([e for e in finished if e["ok"]]), 6, "4 submits and 2 chunks of 2, each 10 ms or more")
        self.assertEqual([e["exception"]["message"] for e in finished if not e["ok"]], ["cannot crunch 5"])

    def test_pool_maxtasks(self) -> None:
        _, out, events = self.run_sample("pool_maxtasks.py")
        self.assertEqual(out, "tasks per worker: [2, 2, 2]\n")
        pool = next(iter(self.pools(events)))
        self.assertGreaterEqual(len(self.workers_of(events, pool)), 3)

    def test_pool_slow_tasks(self) -> None:
        _, out, events = self.run_sample("pool_slow_tasks.py")
        self.assertEqual(out, "5000 tasks, 2 slow\n")
        recorded = {e["index"]: e["duration"] for e in of_kind(events, "task.finished")}  # a tiny one may be slow too
        self.assertGreaterEqual(min(recorded[1000], recorded[4000]), 0.2)

    def test_pool_lifecycle(self) -> None:
        _, _, events = self.run_sample("pool_lifecycle.py")
        ends = [[e["kind"][len("pool."):] + ("(finalizer)" if e.get("finalizer") else "")
                 for e in events if e.get("pool") == pool and e["kind"] in ("pool.closed", "pool.terminated", "pool.joined")]
                for pool in self.pools(events)]
        self.assertEqual(ends, [["closed", "joined"], ["terminated", "joined"], ["terminated"], ["terminated(finalizer)"]])


if __name__ == "__main__":
    unittest.main()
