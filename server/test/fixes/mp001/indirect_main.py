import multiprocessing as mp


def main():
    with mp.Pool(2) as pool:
        print(pool.map(abs, [-1, -2]))


main()
