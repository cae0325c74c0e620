import functools
import multiprocessing as mp


def run():
    with mp.Pool(2) as pool:
        pool.map(print, range(3))


@functools.lru_cache(maxsize=None)
def cached_run():
    return run()


def builds_a_factory():
    def start_later():
        return mp.Process(target=print)

    return start_later


class Holder:
    def start_pool(self):
        return mp.Pool(2)


factory = builds_a_factory()
holder = Holder()

# Decorated functions may be replaced by their decorator: not followed.
cached_run()

if __name__ == "__main__":
    run()
    holder.start_pool()
