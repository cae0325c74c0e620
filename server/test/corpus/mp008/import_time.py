# set_start_method at import time re-runs in every spawn/forkserver child.
import multiprocessing
import multiprocessing as mp
from multiprocessing import set_start_method

mp.set_start_method("spawn")  # expect: MP008
multiprocessing.set_start_method(method="forkserver")  # expect: MP008


def configure():
    set_start_method("spawn")


if True:
    set_start_method("spawn")  # expect: MP008
else:
    mp.set_start_method("spawn", force=True)

try:
    set_start_method("forkserver", True)
except RuntimeError:
    pass

if __name__ != "__main__":
    mp.set_start_method("spawn")  # expect: MP008
