"""A child waits for an event nobody sets while its parent joins it: a hang until someone kills the child (it gives up after 10 minutes)."""

import multiprocessing
import sys


def wait_for_ever(never_set):
    never_set.wait(600)


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1] if len(sys.argv) > 1 else None)
    never_set = context.Event()
    child = context.Process(target=wait_for_ever, args=(never_set,), name="hung-child")
    child.start()
    child.join()
    print("child exit code:", child.exitcode)
