# Non-daemonic processes may start children; thread pools and executors are fine.
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.pool import ThreadPool


def square(x):
    return x * x


def nested_pool(n):
    with mp.Pool(2) as pool:
        return sum(pool.map(square, range(n)))


def executor_task(n):
    with mp.Pool(2) as pool:
        return sum(pool.map(square, range(n)))


def main():
    parent = mp.Process(target=nested_pool, args=(3,))
    parent.start()
    parent.join()
    not_daemon = mp.Process(target=nested_pool, args=(3,), daemon=False)
    not_daemon.start()
    not_daemon.join()
    with ThreadPool(2) as threads:
        threads.map(nested_pool, [3])
    with ProcessPoolExecutor() as executor:
        executor.submit(executor_task, 3).result()


if __name__ == "__main__":
    main()
