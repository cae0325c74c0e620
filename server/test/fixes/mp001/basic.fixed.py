import multiprocessing as mp


def square(x):
    return x * x


if __name__ == "__main__":
    pool = mp.Pool(4)
    print(pool.map(square, range(10)))
