"""A parent is killed before its child: the child runs on as an orphan for 4 s, then ends on its own."""

import multiprocessing
import sys
import time


def grandchild(started, done):
    # A moment for its parent to report this start: a parent killed within the very moment of
    # start() cannot, and its quiet child stays unknown until it reports itself at its end
    # (docs/protocol.md, "Quiet children").
    time.sleep(0.3)
    started.set()
    time.sleep(4)  # an orphan all this time: its parent was killed
    done.set()


def parent(started, done):
    child = multiprocessing.Process(target=grandchild, args=(started, done), name="orphan")
    child.start()
    time.sleep(60)  # killed long before


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1] if len(sys.argv) > 1 else None)
    started, done = context.Event(), context.Event()
    middle = context.Process(target=parent, args=(started, done), name="parent")
    middle.start()
    started.wait(30)
    middle.kill()
    middle.join()
    done.wait(30)
    time.sleep(0.5)  # let the orphan finish exiting before this program does
    print("parent exit code:", middle.exitcode)
