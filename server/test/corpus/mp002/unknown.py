# MP002 needs the pool's creation in the same function: anything else is unknown, not guessed.
import multiprocessing as mp
from multiprocessing import Pool


def square(x):
    return x * x


def parameter(pool):
    pool.join()


class Runner:
    def __init__(self):
        self.pool = Pool(2)

    def stop(self):
        self.pool.join()

    def restart(self):
        self.pool = Pool(2)
        self.shutdown()
        self.pool.join()

    def shutdown(self):
        self.pool.close()


def handed_to_a_helper():
    pool = Pool(2)
    finish(pool)
    pool.join()


def finish(pool):
    pool.close()


def closed_by_a_nested_function():
    pool = Pool(2)

    def cleanup():
        pool.close()

    cleanup()
    pool.join()


def rebound_on_one_path(flag, other):
    pool = Pool(2)
    pool.close()
    if flag:
        pool = other
    pool.join()


def not_a_pool(queue):
    queue.join()


def none_guarded():
    pool = None
    try:
        pool = Pool(2)
        pool.map(square, range(4))
    finally:
        if pool is not None:
            pool.close()
            pool.join()


def expected_error(self):
    pool = mp.Pool(2)
    with self.assertRaises(ValueError):
        pool.join()
    try:
        pool.join()
    except ValueError:
        pass
    pool.terminate()
    pool.join()


def unresolved_pool_class():
    pool = make_pool()
    pool.join()


def make_pool():
    return Pool(2)


def closed_later_by_a_timer(timer_class):
    pool = Pool(2)
    timer = timer_class(5.0, pool.close)
    timer.start()
    timer.join()
    pool.join()
