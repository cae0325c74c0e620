import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor


def work():
    pass


spawned = mp.get_context("spawn").Process(target=work)  # expect: MP001
ctx = mp.get_context("forkserver")
pool = ctx.Pool(2)  # expect: MP001
default_ctx = mp.get_context()
manager = default_ctx.Manager()  # expect: MP001
executor = ProcessPoolExecutor(mp_context=ctx)  # expect: MP001
keyword_ctx = mp.get_context(method="spawn")
proc = keyword_ctx.Process(target=work)  # expect: MP001
