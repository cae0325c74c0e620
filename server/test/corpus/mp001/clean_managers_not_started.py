# Creating or configuring a manager class does not start its server process.
from multiprocessing.managers import BaseManager, SyncManager


class QueueManager(BaseManager):
    pass


QueueManager.register("get_queue", callable=lambda: None)
manager = SyncManager()
remote = QueueManager(address=("", 50000), authkey=b"secret")


def serve():
    remote.get_server().serve_forever()


if __name__ == "__main__":
    manager.start()
    serve()
