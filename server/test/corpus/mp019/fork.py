# Forking by hand, or selecting the fork start method.
import multiprocessing as mp
import os
from os import fork as fork_now


def main():
    pid = os.fork()  # expect: MP019
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    pid, fd = os.forkpty()  # expect: MP019
    if pid == 0:
        os._exit(0)
    os.close(fd)
    second = fork_now()  # expect: MP019
    if second == 0:
        os._exit(0)
    ctx = mp.get_context("fork")  # expect: MP019
    keyword = mp.get_context(method="fork")  # expect: MP019
    print(ctx, keyword, mp.get_context("spawn"), mp.get_context())


if __name__ == "__main__":
    mp.set_start_method("fork")  # expect: MP019
    main()
