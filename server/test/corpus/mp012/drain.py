# MP012: the parent joins a child before taking out what the child put on the queue.
import multiprocessing as mp
from multiprocessing import Process, Queue


def produce(results, count):
    for n in range(count):
        results.put(n * n)


def produce_by_keyword(count, results=None):
    results.put_nowait(count)


def only_reads(tasks):
    return tasks.get()


def join_then_get():
    q = mp.Queue()
    p = mp.Process(target=produce, args=(q, 1000))
    p.start()
    p.join()  # expect: MP012
    return [q.get() for _ in range(1000)]


def get_then_join():
    q = Queue()
    p = Process(target=produce, args=(q, 1000))
    p.start()
    results = [q.get() for _ in range(1000)]
    p.join()
    return results


def loop_of_gets_then_join(count):
    q = Queue()
    p = Process(target=produce, args=(q, count))
    p.start()
    results = []
    for _ in range(count):
        results.append(q.get())
    p.join()
    return results


def kwargs_and_simple_queue():
    q = mp.SimpleQueue()
    p = Process(target=produce_by_keyword, kwargs={"count": 3, "results": q})
    p.start()
    p.join()  # expect: MP012
    return q.get()


def joinable_queue_through_a_context():
    ctx = mp.get_context("spawn")
    q = ctx.JoinableQueue()
    p = ctx.Process(target=produce, args=(q, 10))
    p.start()
    p.join()  # expect: MP012
    return q.get()


def join_with_timeout_is_not_a_deadlock():
    q = Queue()
    p = Process(target=produce, args=(q, 1000))
    p.start()
    p.join(timeout=1)
    return q.get()


def child_only_reads():
    q = Queue()
    p = Process(target=only_reads, args=(q,))
    p.start()
    q.put("task")
    p.join()
    return q.get()


def parent_never_reads():
    q = Queue()
    p = Process(target=produce, args=(q, 3))
    p.start()
    p.join()


def drained_by_a_helper():
    q = Queue()
    p = Process(target=produce, args=(q, 3))
    p.start()
    collect(q)
    p.join()
    return q.get()


def collect(q):
    return q.get()


def not_started_yet():
    q = Queue()
    p = Process(target=produce, args=(q, 3))
    q.put(1)
    print(q.get())
    p.start()
    result = q.get()
    p.join()
    return result


def queue_from_elsewhere(q):
    p = Process(target=produce, args=(q, 3))
    p.start()
    p.join()
    return q.get()
