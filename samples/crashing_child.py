"""A child whose target raises ValueError("boom"): multiprocessing prints the traceback and the exit code is 1."""

import multiprocessing
import sys


def fail():
    raise ValueError("boom")


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1] if len(sys.argv) > 1 else None)
    process = context.Process(target=fail)
    process.start()
    process.join()
    print("child exit code:", process.exitcode)
