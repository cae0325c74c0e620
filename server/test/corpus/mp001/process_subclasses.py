import multiprocessing as mp
from multiprocessing import Process


class Worker(mp.Process):
    def run(self):
        print("working")


class SpecialWorker(Worker):
    pass


class SpawnWorker(mp.get_context("spawn").Process):
    pass


Worker().start()  # expect: MP001
special = SpecialWorker()  # expect: MP001
spawn_worker = SpawnWorker()  # expect: MP001
plain = Process(target=print); plain.start()  # expect: MP001
