# Paths where the method is not certainly set yet, explicit contexts, and force=True.
import multiprocessing as mp


def one_branch(flag):
    if flag:
        mp.set_start_method("spawn")
    mp.set_start_method("forkserver")


def returns_early(flag):
    if flag:
        mp.set_start_method("spawn")
        return
    mp.set_start_method("forkserver")


def guarded():
    if mp.get_start_method(allow_none=True) is None:
        mp.set_start_method("spawn")


def tolerant():
    try:
        mp.set_start_method("spawn")
    except RuntimeError:
        pass
    mp.set_start_method("spawn", force=True)


def explicit_contexts():
    queue = mp.get_context("spawn").Queue()
    mp.set_start_method("forkserver")
    return queue


def in_loop(methods):
    for method in methods:
        mp.set_start_method(method)


def conditional_expression(flag):
    value = mp.get_start_method() if flag else None
    mp.set_start_method("spawn")
    return value


if __name__ == "__main__":
    one_branch(True)
