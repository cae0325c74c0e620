import multiprocessing as mp


def square(x):
    return x * x


pool = mp.Pool(4)
print(pool.map(square, range(10)))
