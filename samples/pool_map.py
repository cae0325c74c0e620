"""Pool.map in a with block: four tasks spread over two worker processes."""

import multiprocessing
import sys


def square(number):
    return number * number


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1] if len(sys.argv) > 1 else None)
    with context.Pool(2) as pool:
        print(pool.map(square, range(4)))
