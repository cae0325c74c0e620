import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor


def work(x):
    return x


def main():
    with mp.Pool(0) as pool:
        pool.map(work, range(3))
    with mp.Pool(processes=-4) as pool:
        pool.map(work, range(3))
    with ProcessPoolExecutor(max_workers=0) as executor:
        executor.submit(work, 1).result()
    with ProcessPoolExecutor(max_workers=8 * 16) as executor:
        executor.submit(work, 1).result()


if __name__ == "__main__":
    main()
