"""An Event, a Barrier, a Condition and a Semaphore that make a child wait for its parent."""

import multiprocessing
import sys
import time


def child(started, barrier, condition, semaphore):
    started.wait()
    barrier.wait()
    with condition:
        condition.wait(timeout=1.5)
    with semaphore:
        print("child got through", flush=True)


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1] if len(sys.argv) > 1 else None)
    started = context.Event()
    barrier = context.Barrier(2)
    condition = context.Condition()
    semaphore = context.Semaphore(0)
    process = context.Process(target=child, args=(started, barrier, condition, semaphore))
    process.start()
    time.sleep(1.5)
    started.set()
    time.sleep(1.5)
    barrier.wait()
    time.sleep(3.0)  # the child's condition wait times out (1.5 s), then it waits for the semaphore
    semaphore.release()
    process.join()
