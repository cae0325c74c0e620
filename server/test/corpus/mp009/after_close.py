# MP009: work given to a pool or executor after close()/terminate()/shutdown() or its `with` block.
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.pool import ThreadPool


def square(x):
    return x * x


def map_after_close():
    pool = mp.Pool(2)
    pool.close()
    pool.map(square, range(4))  # expect: MP009
    pool.join()


def every_task_method_after_terminate(items):
    pool = mp.Pool(2)
    pool.terminate()
    pool.apply(square, (1,))  # expect: MP009
    result = pool.apply_async(square, (1,))  # expect: MP009
    pool.map_async(square, items, error_callback=print)  # expect: MP009
    for value in pool.imap(square, items):  # expect: MP009
        print(value, result)
    list(pool.imap_unordered(square, items))  # expect: MP009
    pool.starmap(pow, [(2, 3)])  # expect: MP009
    kept = pool.starmap_async(pow, [(2, 3)])  # expect: MP009
    return kept


def used_after_its_with_block():
    with mp.Pool(2) as pool:
        first = pool.map(square, range(4))
    second = pool.map(square, range(4))  # expect: MP009
    return first, second


def entered_again_after_close():
    pool = mp.Pool(2)
    pool.close()
    with pool:  # expect: MP009
        pass


def executor_after_shutdown():
    executor = ProcessPoolExecutor(2)
    executor.shutdown()
    future = executor.submit(square, 2)  # expect: MP009
    return future.result()


def executor_after_with_block():
    with ProcessPoolExecutor(2) as executor:
        first = list(executor.map(square, range(3)))
    second = list(executor.map(square, range(3)))  # expect: MP009
    return first, second


def thread_pool_after_close():
    pool = ThreadPool(2)
    pool.close()
    pool.map(square, range(4))  # expect: MP009
    pool.join()


def closed_on_one_path(flag):
    pool = mp.Pool(2)
    if flag:
        pool.close()
    pool.map(square, range(4))  # expect: MP009
    pool.terminate()


def closed_at_the_end_of_each_iteration(batches):
    for batch in batches:
        pool = mp.Pool(2)
        pool.map(square, batch)
        pool.close()
        pool.join()


def closed_after_the_loop(batches):
    pool = mp.Pool(2)
    for batch in batches:
        pool.map(square, batch)
    pool.close()
    pool.join()


def closed_inside_the_loop(batches):
    pool = mp.Pool(2)
    for batch in batches:
        pool.map(square, batch)  # expect: MP009
        pool.close()
    pool.terminate()
