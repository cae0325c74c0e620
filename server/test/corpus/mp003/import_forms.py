# Queues, locks and shared values sent to Pool and executor tasks, through every import form.
import concurrent.futures
import multiprocessing
import multiprocessing as mp
from multiprocessing import Lock, get_context
from multiprocessing import Queue as Q
from multiprocessing.sharedctypes import RawArray


def work(*args, **kwargs):
    return len(args) + len(kwargs)


def main():
    queue = multiprocessing.Queue()
    lock = Lock()
    aliased = Q()
    counter = mp.Value("i", 0)
    shared = RawArray("d", 10)
    ctx = get_context("spawn")
    event = ctx.Event()
    with mp.Pool(2) as pool:
        pool.apply(work, (queue,))  # expect: MP003
        pool.apply_async(work, args=(lock,)).get()  # expect: MP003
        pool.apply(work, kwds={"q": aliased})  # expect: MP003
        pool.map(work, [counter])  # expect: MP003
        pool.map_async(work, [1, shared]).get()  # expect: MP003
        list(pool.imap(work, [event]))  # expect: MP003
        list(pool.imap_unordered(work, (ctx.Barrier(2),)))  # expect: MP003
        pool.starmap(work, [(1, queue)])  # expect: MP003
        pool.starmap_async(work, [(lock, 2)]).get()  # expect: MP003
    with ctx.Pool(2) as spawn_pool:
        spawn_pool.apply(work, (event,))  # expect: MP003
    with multiprocessing.pool.Pool(2) as class_pool:
        class_pool.apply(work, (mp.SimpleQueue(),))  # expect: MP003
    with concurrent.futures.ProcessPoolExecutor() as executor:
        executor.submit(work, queue).result()  # expect: MP003
        executor.submit(work, q=lock).result()  # expect: MP003
        list(executor.map(work, [counter, counter]))  # expect: MP003


if __name__ == "__main__":
    main()
