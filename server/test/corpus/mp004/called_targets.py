# `target=` given the result of a call that is never a function.
import functools
import multiprocessing as mp
from multiprocessing import Process
from multiprocessing.context import SpawnProcess


def work(n=0):
    print(n)


def count():
    return 3


def pair():
    return (1, 2)


def numbers():
    yield 1


class Job:
    def describe(self):
        return "job"


class Worker(mp.Process):
    pass


def main():
    job = Job()
    processes = [
        mp.Process(target=work(1)),  # expect: MP004
        Process(target=count()),  # expect: MP004
        Process(target=(pair())),  # expect: MP004
        Process(target=numbers()),  # expect: MP004
        SpawnProcess(target=work(n=2)),  # expect: MP004
        mp.get_context("forkserver").Process(target=work()),  # expect: MP004
        mp.Process(None, work(3)),  # expect: MP004
        mp.Process(target=print("started")),  # expect: MP004
        mp.Process(target=Job()),  # expect: MP004
        mp.Process(target=job.describe()),  # expect: MP004
        Worker(target=work(4)),  # expect: MP004
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()


if __name__ == "__main__":
    main()
