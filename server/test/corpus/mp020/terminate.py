# MP020: terminate()/kill() on a process that uses a Queue, Pipe end or Lock shared with others.
import multiprocessing as mp
from multiprocessing import Lock, Pipe, Process, Queue

SHARED_LOCK = mp.Lock()


def consume(q):
    while q.get() is not None:
        pass


def hold(lock):
    with lock:
        pass


def talk(conn):
    conn.send("hello")


def use_global_lock():
    with SHARED_LOCK:
        pass


def compute(n):
    return n * n


def terminate_queue_user():
    q = Queue()
    p = Process(target=consume, args=(q,))
    p.start()
    p.terminate()  # expect: MP020
    p.join()


def kill_lock_user():
    lock = Lock()
    p = Process(target=hold, kwargs={"lock": lock})
    p.start()
    p.kill()  # expect: MP020
    p.join()


def terminate_pipe_user():
    parent, child = Pipe()
    p = Process(target=talk, args=(child,))
    p.start()
    print(parent.recv())
    p.join(timeout=5)
    if p.is_alive():
        p.terminate()  # expect: MP020
    p.join()


def terminate_global_lock_user():
    p = mp.Process(target=use_global_lock)
    p.start()
    p.terminate()  # expect: MP020
    p.join()


def nothing_shared():
    p = Process(target=compute, args=(3,))
    p.start()
    p.terminate()
    p.join()


def already_joined():
    q = Queue()
    p = Process(target=consume, args=(q,))
    p.start()
    q.put(None)
    p.join()
    p.terminate()


def queue_from_elsewhere(q):
    p = Process(target=consume, args=(q,))
    p.start()
    p.terminate()
    p.join()


def stop_politely():
    q = Queue()
    p = Process(target=consume, args=(q,))
    p.start()
    q.put(None)
    p.join()
