# fork does not re-import the main module, so an explicit fork context needs no guard.
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import ForkProcess


def work():
    pass


fork_ctx = mp.get_context("fork")  # expect: MP019
proc = fork_ctx.Process(target=work)
proc.start()
pool = mp.get_context("fork").Pool(2)  # expect: MP019
executor = ProcessPoolExecutor(mp_context=fork_ctx)
forked = ForkProcess(target=work)
