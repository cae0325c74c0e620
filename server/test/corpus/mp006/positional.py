# The first positional parameter of Process is `group`.
import multiprocessing as mp
from multiprocessing import Process
from multiprocessing.context import ForkServerProcess

from helpers import imported_work


def work(*args):
    print(args)


class Worker(mp.Process):
    pass


class Configured(mp.Process):
    def __init__(self, target):
        super().__init__(target=target)


def main(unknown):
    processes = [
        Process(work),  # expect: MP006
        mp.Process(work, args=(1,)),  # expect: MP006
        mp.get_context("spawn").Process(imported_work),  # expect: MP006
        ForkServerProcess(print),  # expect: MP006
        Worker(work),  # expect: MP006
        mp.Process(work, work),  # expect: MP006
        mp.Process(None, work),
        mp.Process(unknown, target=work),
        Configured(work),
        mp.Process(target=work),
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()


if __name__ == "__main__":
    main(None)
