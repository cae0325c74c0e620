"""Thousands of tiny Pool tasks are folded into per-worker counters; the few slow ones are recorded one by one."""

import multiprocessing
import sys
import time


def work(seconds):
    if seconds:
        time.sleep(seconds)
    return seconds


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1] if len(sys.argv) > 1 else None)
    durations = [0.0] * 5000
    durations[1000] = durations[4000] = 0.2  # two slow tasks among 5000 tiny ones
    with context.Pool(2) as pool:
        results = pool.map(work, durations, chunksize=1)
    print(len(results), "tasks,", sum(1 for seconds in results if seconds), "slow")
