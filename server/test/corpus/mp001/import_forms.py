# Every import form resolves to the same multiprocessing and concurrent.futures classes.
import concurrent.futures
import multiprocessing
import multiprocessing as mp
import multiprocessing.pool
from concurrent import futures
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import ProcessPoolExecutor as ProcessExecutor
from multiprocessing import Pool as P
from multiprocessing import Process
from multiprocessing.pool import Pool


def work(x):
    return x * 2


first = multiprocessing.Process(target=work, args=(1,))  # expect: MP001
second = mp.Process(target=work)  # expect: MP001
third = Process(target=work)  # expect: MP001
pool_a = P(2)  # expect: MP001
pool_b = mp.Pool()  # expect: MP001
pool_c = multiprocessing.pool.Pool(processes=2)  # expect: MP001
pool_d = Pool(2)  # expect: MP001
executor_a = concurrent.futures.ProcessPoolExecutor()  # expect: MP001
executor_b = futures.ProcessPoolExecutor(max_workers=2)  # expect: MP001
executor_c = ProcessPoolExecutor()  # expect: MP001
executor_d = ProcessExecutor()  # expect: MP001
