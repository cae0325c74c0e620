# Calls that return something callable, or whose result cannot be known, are fine.
import functools
import multiprocessing as mp

from helpers import load_target


def work(n=0):
    print(n)


def make_worker(n):
    def worker():
        print(n)

    return worker


def pick(flag):
    return work if flag else print


class Task:
    def __call__(self):
        print("task")


class Configured(mp.Process):
    def __init__(self, target):
        super().__init__(target=target)


def decorated(function):
    return function


@decorated
def wrapped():
    return None


def main():
    processes = [
        mp.Process(target=make_worker(3)),
        mp.Process(target=functools.partial(work, 1)),
        mp.Process(target=Task()),
        mp.Process(target=pick(True)),
        mp.Process(target=load_target()),
        mp.Process(target=wrapped()),
        mp.Process(target=work, args=(1,)),
        Configured(target=print("own constructor")),
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()


if __name__ == "__main__":
    main()
