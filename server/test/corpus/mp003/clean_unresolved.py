# Names whose value cannot be known here are not guessed at.
import multiprocessing as mp

from helpers import make_queue


def work(x):
    return x


def run(pool, queue_from_caller):
    return pool.apply(work, (queue_from_caller,))


def main(flag):
    maybe = mp.Queue() if flag else None
    made = make_queue()
    rebound = mp.Queue()
    rebound = make_queue()
    with mp.Pool(2) as pool:
        pool.apply(work, (maybe,))
        pool.apply(work, (made,))
        pool.apply(work, (rebound,))
        run(pool, mp.Queue())
        pool.map(work, make_queue())


class Pool:
    def apply(self, func, args):
        return func(*args)


def shadowed():
    Pool().apply(work, (mp.Queue(),))


if __name__ == "__main__":
    main(True)
    shadowed()
