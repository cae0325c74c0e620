# Mentions of fork that do not fork.
import multiprocessing as mp
import os

from helpers import fork

HAS_FORK = hasattr(os, "fork")
METHODS = mp.get_all_start_methods()


def main(method):
    fork()
    print(HAS_FORK, METHODS, mp.get_context(method), "fork" in METHODS)


if __name__ == "__main__":
    main("spawn")
