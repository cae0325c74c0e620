# Calling a generator function does not run its body.
import multiprocessing as mp


def pools():
    with mp.Pool(2) as pool:
        yield pool


def results():
    yield from mp.Pool(2).imap(abs, range(3))  # expect: MP013


source = pools()
lazy = results()

if __name__ == "__main__":
    for pool in source:
        print(pool.map(abs, [-1]))
