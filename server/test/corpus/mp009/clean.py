# MP009 stays silent when the pool is open on every path, or unknown.
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor


def square(x):
    return x * x


def inside_with():
    with mp.Pool(2) as pool:
        return pool.map(square, range(4))


def new_pool_after_the_old_one_closed():
    pool = mp.Pool(2)
    pool.close()
    pool.join()
    pool = mp.Pool(2)
    try:
        return pool.map(square, range(4))
    finally:
        pool.terminate()


def correlated_branches(parallel):
    pool = mp.Pool(2) if parallel else None
    if parallel:
        results = pool.map(square, range(4))
        pool.close()
        pool.join()
    else:
        results = [square(x) for x in range(4)]
    return results


def reopened_by_a_helper(pool):
    pool.close()
    pool.map(square, range(4))


def expected_errors(self):
    pool = mp.Pool(2)
    pool.close()
    with self.assertRaises(ValueError):
        pool.map(square, range(4))
    pool.join()
    executor = ProcessPoolExecutor()
    executor.shutdown()
    try:
        executor.submit(square, 1)
    except RuntimeError:
        pass


def shutdown_twice_is_fine():
    executor = ProcessPoolExecutor()
    executor.shutdown()
    executor.shutdown(wait=True)


def close_twice_is_fine():
    pool = mp.Pool(2)
    pool.close()
    pool.close()
    pool.join()
