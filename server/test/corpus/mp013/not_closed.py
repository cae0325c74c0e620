# MP013: a pool or executor made in a function and not closed on every normal way out of it.
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.pool import ThreadPool


def square(x):
    return x * x


def never_closed():
    pool = mp.Pool(4)  # expect: MP013
    return pool.map(square, range(10))


def closed_on_one_path(flag):
    pool = mp.Pool(4)  # expect: MP013
    results = pool.map(square, range(10))
    if flag:
        return results
    pool.close()
    pool.join()
    return results


def exception_swallowed():
    pool = mp.Pool(4)  # expect: MP013
    try:
        results = pool.map(square, range(10))
    except ValueError:
        return None
    pool.close()
    pool.join()
    return results


def executor_never_shut_down():
    executor = ProcessPoolExecutor()  # expect: MP013
    return executor.submit(square, 3).result()


def thread_pool_too():
    pool = ThreadPool(2)  # expect: MP013
    return pool.map(square, range(3))


def dropped_right_away():
    return mp.Pool(2).map(square, range(3))  # expect: MP013


def rebound_while_open():
    pool = mp.Pool(2)  # expect: MP013
    pool.map(square, range(3))
    pool = None
    return pool


def with_block():
    with mp.Pool(4) as pool:
        return pool.map(square, range(10))


def entered_later():
    pool = mp.Pool(4)
    with pool:
        return pool.map(square, range(10))


def closed_in_finally():
    pool = mp.Pool(4)
    try:
        return pool.map(square, range(10))
    finally:
        pool.close()
        pool.join()


def terminated():
    pool = mp.Pool(4)
    pool.map(square, range(10))
    pool.terminate()


def executor_shut_down():
    executor = ProcessPoolExecutor()
    try:
        return executor.submit(square, 3).result()
    finally:
        executor.shutdown()


def raising_paths_do_not_count(flag):
    pool = mp.Pool(4)
    if flag:
        raise ValueError("bad input")
    pool.close()
    pool.join()


def none_guarded_cleanup():
    pool = None
    try:
        pool = mp.Pool(4)
        return pool.map(square, range(10))
    finally:
        if pool:
            pool.terminate()


def optional_pool(parallel):
    pool = mp.Pool(4) if parallel else None
    if parallel:
        results = pool.map(square, range(10))
        pool.close()
        pool.join()
    else:
        results = list(map(square, range(10)))
    return results


def creation_expected_to_fail(self):
    with self.assertRaises(ValueError):
        mp.Pool(processes=self.bad_worker_count)


class Service:
    def __init__(self):
        self.pool = mp.Pool(4)

    def stop(self):
        self.pool.close()
        self.pool.join()


def returned():
    pool = mp.Pool(4)
    return pool


def handed_over():
    pool = mp.Pool(4)
    register(pool)


def register(pool):
    pool.close()


def used_by_a_callback():
    pool = mp.Pool(4)

    def stop():
        pool.terminate()

    return stop


def stored_in_a_container(pools):
    pool = mp.Pool(4)
    pools.append(pool)


def shared_as_a_global():
    global POOL
    POOL = mp.Pool(4)


if __name__ == "__main__":
    script_pool = mp.Pool(2)
    print(script_pool.map(square, range(4)))


def closed_through_a_loop_variable():
    first = mp.Pool(2)
    second = mp.Pool(2)
    for pool in (first, second):
        pool.close()
        pool.join()
