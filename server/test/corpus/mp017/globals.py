# Globals changed in a child process stay changed only there.
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor

counter = 0
results = []
totals = {}
seen = set()


def count_up():
    global counter
    counter += 1  # expect: MP017


def collect(x):
    results.append(x * x)  # expect: MP017
    totals[x] = x  # expect: MP017
    return x


def remember(x):
    global seen
    seen = seen | {x}  # expect: MP017
    return x


def rebind_twice(x):
    global counter
    counter = x  # expect: MP017
    counter = x + 1
    return x


class Worker(mp.Process):
    def run(self):
        global counter
        counter = 10  # expect: MP017


def main():
    process = mp.Process(target=count_up)
    process.start()
    process.join()
    with mp.Pool(2) as pool:
        pool.map(collect, range(3))
    with ProcessPoolExecutor() as executor:
        executor.submit(remember, 1).result()
        executor.submit(rebind_twice, 1).result()
    worker = Worker()
    worker.start()
    worker.join()
    print(counter, results, totals, seen)


if __name__ == "__main__":
    main()
