# Objects that cannot be pickled, sent to tasks (errors) and to Process arguments (warnings).
import io
import multiprocessing as mp
import queue
import threading
from concurrent.futures import ProcessPoolExecutor


def work(*args):
    return len(args)


def numbers():
    yield 1


def main(path):
    handle = open(path)
    lock = threading.Lock()
    waiting = queue.Queue()
    with open(path) as opened, mp.Pool(2) as pool:
        pool.apply(work, (handle,))  # expect: MP018
        pool.apply(work, (opened,))  # expect: MP018
        pool.map(work, [lock])  # expect: MP018
        pool.apply(work, (threading.RLock(),))  # expect: MP018
        pool.starmap(work, [(1, waiting)])  # expect: MP018
        pool.apply(work, ((x for x in range(3)),))  # expect: MP018
        pool.apply(work, (numbers(),))  # expect: MP018
        pool.apply(work, (pool,))  # expect: MP018
        pool.apply(work, (io.open(path),))  # expect: MP018
        pool.map(work, (x for x in range(3)))
        pool.map(work, numbers())
    with ProcessPoolExecutor() as executor:
        executor.submit(work, executor).result()  # expect: MP018
        executor.submit(work, lock).result()  # expect: MP018
    process = mp.Process(target=work, args=(handle,))  # expect: MP018
    process.start()
    process.join()
    spawned = mp.get_context("spawn").Process(target=work, kwargs={"lock": lock})  # expect: MP018
    spawned.start()
    spawned.join()
    forked = mp.get_context("fork").Process(target=work, args=(handle, lock))  # expect: MP019
    forked.start()
    forked.join()
    handle.close()


if __name__ == "__main__":
    main(__file__)
