# Names whose meaning cannot be known from this file are not guessed at.
import multiprocessing
from mylib import Pool
from .workers import Process

try:
    import multiprocessing as mp
except ImportError:
    import multiprocessing.dummy as mp

pool = Pool(4)
proc = Process(target=print)
maybe_threads = mp.Pool(2)

factory = make_factory()
factory.Process(target=print)

multiprocessing = load_plugin()
multiprocessing.Pool(2)
