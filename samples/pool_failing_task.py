"""A Pool task raises ValueError for one input: Pool.map re-raises it in the parent, and the tree shows the failed task under the worker that ran it."""

import multiprocessing
import sys


def parse(text):
    return int(text)  # "x" is not a number: ValueError


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1] if len(sys.argv) > 1 else None)
    pool = context.Pool(2)
    try:
        print(pool.map(parse, ["1", "2", "x", "4"], chunksize=1))
    except ValueError as error:
        print("a task failed:", error)
    pool.close()
    pool.join()
