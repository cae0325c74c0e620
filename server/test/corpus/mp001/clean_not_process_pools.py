# Thread pools and process objects that are never created at import time.
import concurrent.futures
import multiprocessing.dummy
from multiprocessing.pool import ThreadPool

threads = ThreadPool(4)
dummy_pool = multiprocessing.dummy.Pool(4)
dummy_process = multiprocessing.dummy.Process(target=print)
thread_executor = concurrent.futures.ThreadPoolExecutor(max_workers=2)

make_pool = lambda: multiprocessing.Pool(2)
cpu_total = multiprocessing.cpu_count()
queue_type = multiprocessing.Queue


def later():
    return multiprocessing.Pool(2)


def never_called():
    def inner():
        return multiprocessing.Pool(2)

    return inner
