import multiprocessing
from multiprocessing import Manager
from multiprocessing.managers import BaseManager, SyncManager


class QueueManager(BaseManager):
    pass


QueueManager.register("get_queue")

shared = Manager()  # expect: MP001
data = shared.dict()

sync = SyncManager()
sync.start()  # expect: MP001

with SyncManager() as other:  # expect: MP001
    other.list()

custom = QueueManager(address=("", 50000), authkey=b"abc")
custom.start()  # expect: MP001

with multiprocessing.Manager() as nested:  # expect: MP001
    nested.Queue()
