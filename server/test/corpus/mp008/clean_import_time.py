# Not reported at import time: fork does not re-import, force=True tolerates the repeat, the
# main guard runs once, and a method computed at run time may be fork.
import multiprocessing as mp
import sys

mp.set_start_method("fork")  # expect: MP019
mp.set_start_method("spawn", force=True)
if len(sys.argv) > 2:
    mp.set_start_method(sys.argv[2], force=True)


def main():
    mp.set_start_method(sys.argv[1], force=True)


if __name__ == "__main__":
    mp.set_start_method("spawn", force=True)
    main()
