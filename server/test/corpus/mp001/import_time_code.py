# Code that runs on import is not only the plain module body.
import multiprocessing as mp
from multiprocessing import Pool, Process


def work():
    pass


class Config:
    pool = Pool(2)  # expect: MP001


def with_default(pool=Pool(1)):  # expect: MP001
    return pool


for _ in range(2):
    Process(target=work).start()  # expect: MP001

try:
    extra = mp.Pool(2)  # expect: MP001
finally:
    pass

processes = [mp.Process(target=work) for _ in range(3)]  # expect: MP001
started = [p.start() for p in [mp.Process(target=work)]]  # expect: MP001
label = f"{mp.Pool(1)}"  # expect: MP001
