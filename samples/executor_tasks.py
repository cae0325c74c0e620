"""ProcessPoolExecutor.submit and map: the tree shows which worker ran each task, and the task that raised."""

import concurrent.futures
import multiprocessing
import sys
import time


def crunch(number):
    time.sleep(0.01)  # slow enough to be recorded task by task (the default threshold is 1 ms)
    if number == 5:
        raise ArithmeticError("cannot crunch %d" % number)
    return number * number


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1] if len(sys.argv) > 1 else None)
    with concurrent.futures.ProcessPoolExecutor(max_workers=2, mp_context=context) as executor:
        futures = [executor.submit(crunch, n) for n in range(4)]
        print("submitted:", [future.result() for future in futures])
        print("mapped:", list(executor.map(crunch, range(4), chunksize=2)))
        failing = executor.submit(crunch, 5)
        print("failed with:", repr(failing.exception()))
