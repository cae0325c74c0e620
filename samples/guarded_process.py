"""A Process with a target, started under the main guard: the shape every program should have."""

import multiprocessing
import sys


def greet(name):
    print("hello from", name, flush=True)


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1] if len(sys.argv) > 1 else None)
    process = context.Process(target=greet, args=("the child",))
    process.start()
    process.join()
    print("child exit code:", process.exitcode)
