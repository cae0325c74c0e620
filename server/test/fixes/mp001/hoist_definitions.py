"""Squares numbers in a pool."""
import multiprocessing as mp

mp.set_start_method("spawn")

# The pool is created first, before the worker is even defined.
pool = mp.Pool(2)


# Workers must stay importable by the children.
def square(x):
    return x * x


import functools


@functools.lru_cache(maxsize=None)
def cube(x):
    return x * x * x


class Result:
    """Holds one result."""

    def __init__(self, value):
        self.value = value


results = [Result(v) for v in pool.map(square, range(4))]  # keep this comment
print(results)
pool.close()
pool.join()


def helper_after_last_statement():
    return None
