"""A Pipe between parent and child: send and recv counts, and a recv that waits for the other side."""

import multiprocessing
import sys
import time


def echo(connection, ready):
    ready.set()
    while True:
        message = connection.recv()  # the first one waits for the parent
        if message is None:
            break
        connection.send(message * 2)


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1] if len(sys.argv) > 1 else None)
    mine, theirs = context.Pipe()
    ready = context.Event()
    child = context.Process(target=echo, args=(theirs, ready))
    child.start()
    ready.wait()
    time.sleep(1.5)
    answers = []
    for number in range(5):
        mine.send(number)
        answers.append(mine.recv())
    mine.send(None)
    child.join()
    print(answers)
