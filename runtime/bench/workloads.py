"""The workloads of ``overhead.py``; each prints its own elapsed time (seconds) as its last line.

    python workloads.py pool_map | spawn | fork | queue

Only the measured part is timed (not interpreter start-up or the pool's own
start), so the launcher's start-up does not blur the comparison.
"""

import multiprocessing
import sys
import time

POOL_TASKS = 20000
SPAWN_ROUNDS = 20
FORK_ROUNDS = 50
QUEUE_ITEMS = 100000


def tiny(number):
    return number + 1


def nothing():
    pass


def produce(queue, count):
    for number in range(count):
        queue.put(number)
    queue.put(None)


def pool_map():
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with context.Pool(2) as pool:
        pool.map(tiny, range(100))  # workers up and running
        started = time.perf_counter()
        pool.map(tiny, range(POOL_TASKS), chunksize=1)
        return time.perf_counter() - started


def start_join(method, rounds):
    context = multiprocessing.get_context(method)
    started = time.perf_counter()
    for _ in range(rounds):
        process = context.Process(target=nothing)
        process.start()
        process.join()
    return time.perf_counter() - started


def queue():
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    items = context.Queue()
    started = time.perf_counter()
    producer = context.Process(target=produce, args=(items, QUEUE_ITEMS))
    producer.start()
    received = 0
    while items.get() is not None:
        received += 1
    producer.join()
    assert received == QUEUE_ITEMS
    return time.perf_counter() - started


CASES = {
    "pool_map": pool_map,
    "spawn": lambda: start_join("spawn", SPAWN_ROUNDS),
    "fork": lambda: start_join("fork", FORK_ROUNDS),
    "queue": queue,
}

if __name__ == "__main__":
    print("%.6f" % CASES[sys.argv[1]]())
