# The idiomatic layout: definitions at module level, process creation under the guard.
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor


def square(x):
    return x * x


def main():
    with mp.Pool(2) as pool:
        print(pool.map(square, range(4)))
    with ProcessPoolExecutor() as executor:
        print(list(executor.map(square, range(4))))
    manager = mp.Manager()
    proc = mp.Process(target=square, args=(3,))
    proc.start()
    proc.join()
    manager.shutdown()


if __name__ == "__main__":
    mp.freeze_support()
    mp.set_start_method("spawn")
    main()
