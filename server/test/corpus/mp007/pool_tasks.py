# Lambdas and local functions given to Pool and executor tasks fail under every start method.
import functools
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor

square = lambda x: x * x


def module_level(x):
    return x


def main():
    def local(x):
        return x

    class Helper:
        def method(self, x):
            return x

    def outer():
        def deeper(x):
            return x

        return deeper

    double = lambda x: 2 * x
    with mp.Pool(2) as pool:
        pool.map(lambda x: x + 1, range(3))  # expect: MP007
        pool.map(local, range(3))  # expect: MP007
        pool.apply_async(double, (1,)).get()  # expect: MP007
        pool.map(square, range(3))  # expect: MP007
        pool.starmap(functools.partial(local, 1), [(2,)])  # expect: MP007
        pool.map(func=local, iterable=range(3))  # expect: MP007
        pool.map(module_level, range(3))
        pool.map(functools.partial(module_level), range(3))
        pool.map(outer(), range(3))
        pool.map(print, range(3))
        pool.map(Helper().method, range(3))
    with ProcessPoolExecutor() as executor:
        executor.submit(lambda: 1).result()  # expect: MP007
        list(executor.map(local, range(3)))  # expect: MP007
        executor.submit(module_level, 1).result()


if __name__ == "__main__":
    main()
