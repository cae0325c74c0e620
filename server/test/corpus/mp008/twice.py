# A second set_start_method without force=True, once the method is set or fixed.
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor


def twice():
    mp.set_start_method("spawn")
    mp.set_start_method("forkserver")  # expect: MP008


def after_queue():
    queue = mp.Queue()
    mp.set_start_method("spawn")  # expect: MP008
    return queue


def after_get_start_method():
    print(mp.get_start_method())
    mp.set_start_method("spawn")  # expect: MP008


def after_executor():
    with ProcessPoolExecutor() as executor:
        executor.submit(print).result()
    mp.set_start_method("spawn")  # expect: MP008


def both_branches(flag):
    if flag:
        mp.set_start_method("spawn")
    else:
        mp.set_start_method("forkserver")
    mp.set_start_method("spawn")  # expect: MP008


def inside_branch(flag):
    mp.set_start_method("spawn")
    if flag:
        mp.set_start_method("forkserver")  # expect: MP008


def in_handler():
    mp.set_start_method("spawn")
    try:
        print("work")
    except RuntimeError:
        mp.set_start_method("spawn")  # expect: MP008


if __name__ == "__main__":
    mp.set_start_method("spawn")
    twice()
    mp.set_start_method("forkserver")  # expect: MP008
