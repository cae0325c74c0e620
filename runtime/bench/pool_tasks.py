"""Cost of mpscope's Pool and executor task hooks (a benchmark: prints a table, asserts nothing).

    PYTHONPATH=runtime python3 runtime/bench/pool_tasks.py [--rounds N] [--tasks N] [--method M]
        [--workloads map,apply,...] [--runtime DIR] [PYTHON...]

For each interpreter and workload, fresh programs run interleaved plain and
hooked (bootstrap on PYTHONPATH, events sent to a live collector in this
process); each program times only its own work (the pool is started and warmed
before the clock starts). The table shows the median of the rounds of that
wall time, and of the CPU time the whole program used (itself and its workers,
start-up included): on a busy machine the CPU time is the steadier measure.

    map        Pool(2).map(tiny, range(N), chunksize=1)          (the issue's goal: <= 3 %)
    apply      N x Pool(2).apply_async(tiny, (i,)), then .get()  (submission counting on the caller's side)
    submit     N/4 x ProcessPoolExecutor(2).submit(tiny, i)      (executors are slower per task)
    map-full   as map, with MPSCOPE_OPTIONS task_detail "full"   (every task sent as an event)
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RUNTIME = os.path.dirname(HERE)
sys.path.insert(0, RUNTIME)

from mpscope.launcher.collector import Collector  # noqa: E402

PROGRAM = r'''
import concurrent.futures, multiprocessing, sys, time

def tiny(x):
    return x

if __name__ == "__main__":
    workload, method, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    ctx = multiprocessing.get_context(method)
    if workload == "submit":
        with concurrent.futures.ProcessPoolExecutor(2, mp_context=ctx) as executor:
            [f.result() for f in [executor.submit(tiny, i) for i in range(100)]]
            started = time.perf_counter()
            [f.result() for f in [executor.submit(tiny, i) for i in range(n // 4)]]
            elapsed = time.perf_counter() - started
    else:
        with ctx.Pool(2) as pool:
            pool.map(tiny, range(200), chunksize=1)
            started = time.perf_counter()
            if workload == "apply":
                [r.get() for r in [pool.apply_async(tiny, (i,)) for i in range(n)]]
            else:
                pool.map(tiny, range(n), chunksize=1)
            elapsed = time.perf_counter() - started
    print(elapsed)
'''

WORKLOADS = ("map", "apply", "submit", "map-full")


def main(argv: "list[str]") -> int:
    rounds, tasks, method, runtime = 9, 20000, "fork", RUNTIME
    workloads = list(WORKLOADS)
    pythons = []
    index = 0
    while index < len(argv):
        if argv[index] in ("--rounds", "--tasks", "--method", "--workloads", "--runtime"):
            value = argv[index + 1]
            if argv[index] == "--rounds":
                rounds = int(value)
            elif argv[index] == "--tasks":
                tasks = int(value)
            elif argv[index] == "--workloads":
                workloads = value.split(",")
            elif argv[index] == "--runtime":
                runtime = os.path.abspath(value)  # another runtime tree to load the hooks from
            else:
                method = value
            index += 2
            continue
        pythons.append(argv[index])
        index += 1
    pythons = pythons or [sys.executable]
    token = "0123456789abcdef" * 4
    events = [0]

    def count(event: "dict[str, object]", line: bytes) -> None:
        events[0] += 1

    collector = Collector(token, count, lambda pid: None)
    address = collector.start()
    folder = tempfile.mkdtemp(prefix="mpscope-bench-")
    program = os.path.join(folder, "pool_tasks_program.py")  # a file, so that spawned workers can import it
    with open(program, "w", encoding="utf-8") as handle:
        handle.write(PROGRAM)
    try:
        print("%d tasks, %s, median of %d rounds (seconds of the timed work)" % (tasks, method, rounds))
        print("%-40s %-9s %9s %9s %8s   %9s %9s %8s" % ("python", "workload", "plain", "hooked", "overhead",
                                                         "cpu plain", "hooked", "overhead"))
        for python in pythons:
            for workload in workloads:
                plain, hooked = [], []
                for _ in range(rounds):
                    plain.append(run(python, program, workload, method, tasks, None, token, runtime))
                    hooked.append(run(python, program, workload, method, tasks, address, token, runtime))
                a, b = statistics.median(w for w, _ in plain), statistics.median(w for w, _ in hooked)
                c, d = statistics.median(c for _, c in plain), statistics.median(c for _, c in hooked)
                print("%-40s %-9s %9.4f %9.4f %+7.1f%%   %9.3f %9.3f %+7.1f%%"
                      % (python, workload, a, b, (b / a - 1) * 100, c, d, (d / c - 1) * 100))
        print("collector received %d events" % events[0])
    finally:
        collector.stop()
        os.remove(program)
        os.rmdir(folder)
    return 0


def run(python: str, program: str, workload: str, method: str, tasks: int, address: "str | None", token: str,
        runtime: str) -> "tuple[float, float]":
    """(seconds of the timed work, CPU seconds of the whole program and its workers)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MPSCOPE_", "PYTHON"))}
    if address is not None:
        env["PYTHONPATH"] = os.path.join(runtime, "bootstrap")
        env["MPSCOPE_ADDR"] = address
        env["MPSCOPE_TOKEN"] = token
        if workload == "map-full":
            env["MPSCOPE_OPTIONS"] = '{"task_detail": "full"}'
    name = "map" if workload == "map-full" else workload
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = subprocess.run([python, program, name, method, str(tasks)], env=env, check=True,
                            stdout=subprocess.PIPE).stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return float(output.decode().strip().splitlines()[-1]), cpu


if __name__ == "__main__":
    started = time.perf_counter()
    code = main(sys.argv[1:])
    print("(%.0f s)" % (time.perf_counter() - started))
    sys.exit(code)
