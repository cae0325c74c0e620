"""Four pools ending four ways: close() and join(), terminate(), a with block, and one left open until exit."""

import multiprocessing
import sys


def double(number):
    return 2 * number


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1] if len(sys.argv) > 1 else None)
    closed = context.Pool(1)
    print(closed.map(double, range(3)))
    closed.close()
    closed.join()

    terminated = context.Pool(1)
    terminated.terminate()
    terminated.join()

    with context.Pool(1) as scoped:
        print(scoped.apply(double, (21,)))

    forgotten = context.Pool(1)  # never closed: multiprocessing terminates it at exit
    print(forgotten.apply(double, (4,)))
