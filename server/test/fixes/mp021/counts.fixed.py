import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor


def work(x):
    return x


def main():
    with mp.Pool(1) as pool:
        pool.map(work, range(3))
    with mp.Pool(processes=1) as pool:
        pool.map(work, range(3))
    with ProcessPoolExecutor(max_workers=1) as executor:
        executor.submit(work, 1).result()
    with ProcessPoolExecutor(max_workers=61) as executor:
        executor.submit(work, 1).result()


if __name__ == "__main__":
    main()
