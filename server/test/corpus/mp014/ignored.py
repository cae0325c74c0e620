# MP014: an async submission whose result is dropped, so a failure in the task is never seen.
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.pool import ThreadPool


def work(x):
    return 1 / x


def dropped_results(items):
    pool = mp.Pool(2)
    pool.apply_async(work, (0,))  # expect: MP014
    pool.map_async(work, items)  # expect: MP014
    pool.starmap_async(pow, [(2, 3)], callback=print)  # expect: MP014
    pool.apply_async(work, (0,), error_callback=print)
    kept = pool.apply_async(work, (1,))
    pool.close()
    pool.join()
    return kept.get()


def executor_submit():
    with ProcessPoolExecutor() as executor:
        executor.submit(work, 0)  # expect: MP014
        future = executor.submit(work, 1)
        futures = [executor.submit(work, n) for n in (1, 2)]
        executor.map(work, [1, 2])
    return future.result(), futures


def pool_from_a_with_block():
    with mp.Pool(2) as pool:
        pool.apply_async(work, (0,))  # expect: MP014
        pool.close()
        pool.join()


def thread_pool():
    pool = ThreadPool(2)
    pool.apply_async(work, (0,))  # expect: MP014
    pool.close()
    pool.join()


def results_kept_in_a_list(items):
    with mp.Pool(2) as pool:
        results = []
        for item in items:
            results.append(pool.apply_async(work, (item,)))
        return [result.get() for result in results]


def keyword_arguments_passed_through(options):
    with mp.Pool(2) as pool:
        pool.apply_async(work, (1,), **options)
        pool.close()
        pool.join()


def unknown_receiver(pool, executor):
    pool.apply_async(work, (0,))
    executor.submit(work, 0)


def not_a_pool(scheduler):
    scheduler.apply_async(work, (0,))


GLOBAL_POOL = mp.Pool(2)  # expect: MP001


def module_level_pool():
    GLOBAL_POOL.apply_async(work, (0,))  # expect: MP014
