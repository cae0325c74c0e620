# Argument tuples given a single value.
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor


def work(*args):
    print(args)


def init(*args):
    print(args)


NAME = "worker"


def main():
    queue = mp.Queue()
    processes = [mp.Process(target=work, args=(i)) for i in range(3)]  # expect: MP005
    processes.append(mp.Process(target=work, args=(5)))  # expect: MP005
    processes.append(mp.Process(target=work, args="abc"))  # expect: MP005
    processes.append(mp.Process(target=work, args=(NAME)))  # expect: MP005
    processes.append(mp.Process(target=work, args=(queue)))  # expect: MP005
    processes.append(mp.Process(target=work, args=None))  # expect: MP005
    processes.append(mp.Process(None, work, "name", -1))  # expect: MP005
    processes.append(mp.Process(target=work, args=(b"data")))  # expect: MP005
    processes.append(mp.Process(target=work, args=(f"{NAME}-1")))  # expect: MP005
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    with mp.Pool(2, initializer=init, initargs=(7)) as pool:  # expect: MP005
        pool.apply(work, ("xyz"))  # expect: MP005
        pool.apply_async(work, args=(3)).get()  # expect: MP005
    with mp.Pool(2, init, "ab") as pool:  # expect: MP005
        pool.apply(work)
    with ProcessPoolExecutor(initializer=init, initargs=(queue)) as executor:  # expect: MP005
        executor.submit(work).result()


if __name__ == "__main__":
    main()
