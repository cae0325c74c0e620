"""Four children, four endings: exit 0, sys.exit(3), an uncaught ValueError (1) and terminate() (-15)."""

import multiprocessing
import sys
import time


def finish():
    pass


def leave(code):
    sys.exit(code)


def crash():
    raise ValueError("bad input")


def wait_forever(ready):
    ready.set()
    time.sleep(60)


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1] if len(sys.argv) > 1 else None)
    ready = context.Event()
    children = [
        context.Process(target=finish, name="finishes"),
        context.Process(target=leave, args=(3,), name="exits-3"),
        context.Process(target=crash, name="crashes"),
        context.Process(target=wait_forever, args=(ready,), name="terminated"),
    ]
    for child in children:
        child.start()
    ready.wait(30)
    children[-1].terminate()
    for child in children:
        child.join()
        print(child.name, child.exitcode)
