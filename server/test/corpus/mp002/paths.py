# MP002: join() reached on some path from the pool's creation without close()/terminate().
import multiprocessing as mp
from multiprocessing import Pool
from multiprocessing.pool import ThreadPool


def square(x):
    return x * x


def join_without_close():
    pool = mp.Pool(2)
    pool.map(square, range(4))
    pool.join()  # expect: MP002
    pool.terminate()


def close_then_join():
    pool = mp.Pool(2)
    pool.map(square, range(4))
    pool.close()
    pool.join()


def terminate_then_join():
    pool = Pool(2)
    pool.terminate()
    pool.join()


def closed_on_one_branch_only(flag):
    pool = Pool(2)
    if flag:
        pool.close()
    pool.join()  # expect: MP002
    pool.terminate()


def closed_or_terminated_on_every_branch(flag):
    pool = Pool(2)
    if flag:
        pool.close()
    elif flag is None:
        pool.terminate()
    else:
        pool.close()
    pool.join()


def early_return_skips_the_join(flag):
    pool = Pool(2)
    try:
        if flag:
            return None
        pool.close()
        pool.join()
    finally:
        pool.terminate()
    return flag


def return_inside_try_does_not_reach_join(flag):
    pool = Pool(2)  # expect: MP013
    try:
        if flag:
            return 1
        pool.close()
    finally:
        print("cleanup")
    pool.join()
    return 0


def exception_swallowed_before_close():
    pool = Pool(2)
    try:
        pool.map(square, range(4))
        pool.close()
    except Exception:
        print("failed")
    pool.join()  # expect: MP002
    pool.terminate()


def close_in_finally():
    pool = Pool(2)
    try:
        pool.map(square, range(4))
    finally:
        pool.close()
        pool.join()


def loop_that_may_not_close(items):
    pool = Pool(2)
    for item in items:
        if item:
            pool.close()
            break
    pool.join()  # expect: MP002
    pool.terminate()


def while_true_always_closes():
    pool = Pool(2)
    while True:
        pool.close()
        break
    pool.join()


def thread_pool_too():
    pool = ThreadPool(2)
    pool.join()  # expect: MP002
    pool.terminate()


def after_with_block_the_pool_is_terminated():
    with Pool(2) as pool:
        pool.map(square, range(4))
    pool.join()


def attribute_created_here(self):
    self.pool = Pool(2)
    self.pool.join()  # expect: MP002
    self.pool.terminate()


def alias_follows_the_object():
    pool = Pool(2)
    other = pool
    other.close()
    pool.join()


def inline_suite(flag):
    pool = Pool(2)
    if flag: pool.join()  # expect: MP002
    pool.terminate()


def only_keyboard_interrupt_terminates(items):
    pool = Pool(2)
    try:
        result = pool.map_async(square, items).get(timeout=60)
    except KeyboardInterrupt:
        pool.terminate()
        raise
    else:
        pool.close()
    finally:
        pool.join()  # expect: MP002
    return result


def every_way_out_closes_first(items):
    pool = Pool(2)
    try:
        result = pool.map_async(square, items).get(timeout=60)
    except BaseException:
        pool.terminate()
        raise
    else:
        pool.close()
    finally:
        pool.join()
    return result


def local_import_under_another_name():
    from multiprocessing import (
        Pool as LocalPool,
    )

    pool = LocalPool(2)
    pool.join()  # expect: MP002
    pool.terminate()
