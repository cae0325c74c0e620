import multiprocessing as mp


def work(x, scale=3):
    return x * scale


if __name__ == "__main__":
    pool = mp.Pool(2)
    SIZE = pool._processes

    class Batch:
        size = SIZE

    print(pool.map(work, range(Batch.size)))
