# The right ways to share these objects with workers, and things that only look alike.
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from multiprocessing.pool import ThreadPool

_queue = None


def init(q):
    global _queue
    _queue = q


def work(x):
    return x


def main():
    shared = mp.Queue()
    with mp.Pool(2, initializer=init, initargs=(shared,)) as pool:
        pool.map(work, range(4))
    with ProcessPoolExecutor(initializer=init, initargs=(shared,)) as executor:
        executor.submit(work, 1).result()
    with mp.Manager() as manager:
        proxy_queue = manager.Queue()
        proxy_lock = manager.Lock()
        proxy_value = manager.Value("i", 0)
        with mp.Pool(2) as pool:
            pool.apply(work, (proxy_queue,))
            pool.map(work, [proxy_lock, proxy_value])
    # Threads share memory: nothing is pickled.
    with ThreadPool(2) as threads:
        threads.map(work, [shared])
    with ThreadPoolExecutor() as threads:
        threads.submit(work, shared).result()
    # A Process receives it when it is created (inheritance): allowed.
    process = mp.Process(target=work, args=(shared,))
    process.start()
    process.join()


if __name__ == "__main__":
    main()
