import multiprocessing as mp


def main()
    with mp.Pool(2) as pool:
        pool.map(print, range(3))


main()  # expect: MP001
