# Local definitions that share a name with the multiprocessing API.
from multiprocessing import Manager, Process


class Process:
    def __init__(self, target=None):
        self.target = target


def Manager():
    return {}


def Pool(size):
    return [None] * size


proc = Process(target=print)
manager = Manager()
pool = Pool(3)
