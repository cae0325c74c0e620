"""Two workers take turns on one Lock: each waits while the other holds it, and the wait names the holder."""

import multiprocessing
import sys
import time


def work(name, lock, rounds):
    for _ in range(rounds):
        with lock:
            time.sleep(1.2)  # holds the lock; the other worker waits
        time.sleep(0.05)


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1] if len(sys.argv) > 1 else None)
    lock = context.Lock()
    workers = [context.Process(target=work, args=(name, lock, 2)) for name in ("first", "second")]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    print("exit codes:", [worker.exitcode for worker in workers])
