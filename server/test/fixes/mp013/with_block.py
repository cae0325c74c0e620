import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor


def square(x):
    return x * x


def synchronous(items):
    pool = mp.Pool(
        processes=4,
    )  # four workers
    results = pool.map(square, items)
    if not results:
        return None
    total = sum(results)
    print("""done:
%d""" % total)
    return total


def closed_and_joined_at_the_end(items):
    pool = mp.Pool(4)
    handles = [pool.apply_async(square, (item,)) for item in items]
    if not handles:
        return []

    pool.close()
    pool.join()
    return [handle.get() for handle in handles]


def executor(items):
    executor = ProcessPoolExecutor()
    futures = [executor.submit(square, item) for item in items]
    return [future.result() for future in futures]
