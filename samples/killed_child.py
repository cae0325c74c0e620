"""The parent kills a sleeping child with p.kill(): the exit code is -9 (SIGKILL)."""

import multiprocessing
import sys
import time


def sleep_forever(ready):
    ready.set()
    time.sleep(60)


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1] if len(sys.argv) > 1 else None)
    ready = context.Event()
    process = context.Process(target=sleep_forever, args=(ready,))
    process.start()
    ready.wait(30)
    process.kill()
    process.join()
    print("child exit code:", process.exitcode)
