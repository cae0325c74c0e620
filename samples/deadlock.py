"""The parent holds a lock and joins a child that waits for the same lock: a deadlock that a stack dump shows (the child gives up after 10 minutes)."""

import multiprocessing
import sys


def take_the_lock(lock):
    lock.acquire(timeout=600)  # blocks: the parent holds it until the child has ended


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1] if len(sys.argv) > 1 else None)
    lock = context.Lock()
    lock.acquire()
    child = context.Process(target=take_the_lock, args=(lock,), name="waiting-child")
    child.start()
    child.join()  # waits for a child that waits for us
    lock.release()
    print("child exit code:", child.exitcode)
