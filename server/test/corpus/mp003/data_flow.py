# The primitive reaches the task through names, containers and iterables.
import itertools
import multiprocessing as mp
from functools import partial


def work(*args):
    return len(args)


def send(channel, value=None):
    with mp.Pool(2) as pool:
        pool.apply(work, (channel, value))  # expect: MP003


def forward(channel):
    with mp.Pool(2) as pool:
        pool.apply(work, (channel,))


def main():
    queue = mp.Queue()
    queues = [mp.JoinableQueue() for _ in range(4)]
    jobs = [(queue, n) for n in range(4)]
    same = queue
    with mp.Pool(2) as pool:
        pool.map(work, [queue] * 4)  # expect: MP003
        pool.map(work, 4 * [same])  # expect: MP003
        pool.starmap(work, jobs)  # expect: MP003
        pool.starmap(work, zip(range(4), queues))  # expect: MP003
        pool.map(work, itertools.repeat(queue, 4))  # expect: MP003
        pool.map(work, queues)  # expect: MP003
        pool.map(work, [*queues, 1])  # expect: MP003
        pool.map(work, list(queues))  # expect: MP003
        pool.map(work, [q for q in queues])  # expect: MP003
        pool.map(partial(work, queue), range(4))  # expect: MP003
        pool.apply(work, ((queue, 1),))  # expect: MP003
        for each in queues:
            pool.apply(work, (each,))  # expect: MP003
        if (walrus := mp.Lock()) is not None:
            pool.apply(work, (walrus,))  # expect: MP003
    send(queue)
    send(channel=mp.Queue(), value=1)
    # `forward` is also handed to other code, so what its parameter receives is not known.
    forward(queue)
    callbacks = [forward]
    return callbacks


if __name__ == "__main__":
    main()
