"""maxtasksperchild=2: each Pool worker exits after two tasks and the pool starts a replacement, shown under the same pool."""

import multiprocessing
import os
import sys


def whoami(number):
    return os.getpid()


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1] if len(sys.argv) > 1 else None)
    pool = context.Pool(processes=1, maxtasksperchild=2)
    pids = pool.map(whoami, range(6), chunksize=1)
    pool.close()
    pool.join()
    print("tasks per worker:", [pids.count(pid) for pid in sorted(set(pids), key=pids.index)])
