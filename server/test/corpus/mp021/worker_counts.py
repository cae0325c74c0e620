# Worker counts the constructors refuse.
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.pool import Pool


def work(x):
    return x


def main(workers):
    with mp.Pool(0) as pool:  # expect: MP021
        pool.map(work, range(3))
    with mp.Pool(processes=-1) as pool:  # expect: MP021
        pool.map(work, range(3))
    with Pool(2 - 2) as pool:  # expect: MP021
        pool.map(work, range(3))
    with mp.get_context("spawn").Pool(processes=0x0) as pool:  # expect: MP021
        pool.map(work, range(3))
    with ProcessPoolExecutor(0) as executor:  # expect: MP021
        executor.submit(work, 1).result()
    with ProcessPoolExecutor(max_workers=-(2)) as executor:  # expect: MP021
        executor.submit(work, 1).result()
    with ProcessPoolExecutor(max_workers=64) as executor:  # expect: MP021
        executor.submit(work, 1).result()
    with ProcessPoolExecutor(max_workers=61) as executor:
        executor.submit(work, 1).result()
    with mp.Pool(64) as pool:
        pool.map(work, range(3))
    with mp.Pool(None) as pool:
        pool.map(work, range(3))
    with mp.Pool(workers - 1) as pool:
        pool.map(work, range(3))
    with ProcessPoolExecutor(max_workers=workers) as executor:
        executor.submit(work, 1).result()


if __name__ == "__main__":
    main(2)
