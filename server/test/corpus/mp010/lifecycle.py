# MP010: start() twice, join() before start(), `daemon` set after start().
import multiprocessing as mp
from multiprocessing import Process


def work(n=0):
    return n


class Worker(mp.Process):
    def run(self):
        work()


def started_twice():
    p = mp.Process(target=work)
    p.start()
    p.start()  # expect: MP010
    p.join()


def restarted_after_join():
    p = Process(target=work)
    p.start()
    p.join()
    p.start()  # expect: MP010
    p.join()


def started_in_a_loop():
    p = Process(target=work)
    for _ in range(3):
        p.start()  # expect: MP010
    p.join()


def one_object_per_iteration():
    for n in range(3):
        p = Process(target=work, args=(n,))
        p.start()
        p.join()


def joined_before_start():
    p = Process(target=work)
    p.join()  # expect: MP010
    p.start()
    p.join()


def started_on_one_branch(flag):
    p = Process(target=work)
    if flag:
        p.start()
    p.join()  # expect: MP010


def same_condition_twice(flag):
    p = Process(target=work)
    if flag:
        p.start()
    print("meanwhile")
    if flag:
        p.join()


def condition_changed_in_between(flag):
    p = Process(target=work)
    if flag:
        p.start()
    flag = not flag
    if flag:
        p.join()  # expect: MP010


def daemon_after_start():
    p = Process(target=work)
    p.start()
    p.daemon = True  # expect: MP010
    p.join()


def daemon_before_start():
    p = Process(target=work)
    p.daemon = True
    p.start()
    p.join()


def subclass_objects_too():
    w = Worker()
    w.start()
    w.daemon = False  # expect: MP010
    w.join()


def start_in_try_join_in_finally():
    p = Process(target=work)
    try:
        p.start()
        work(1)
    finally:
        p.join()


def started_inside_with_guard(lock):
    p = Process(target=work)
    with lock:
        p.start()
    p.join()


def expected_errors(self):
    p = Process(target=work)
    with self.assertRaises(AssertionError):
        p.join()
    p.start()
    with self.assertRaises(AssertionError):
        p.start()
    try:
        p.daemon = True
    except AssertionError:
        pass
    p.join()


def unknown_processes(p, processes):
    p.start()
    p.start()
    for q in processes:
        q.join()


def handed_to_a_helper():
    p = Process(target=work)
    launch(p)
    p.start()
    p.join()


def launch(p):
    p.start()


class Restartable(mp.Process):
    def start(self):
        if not self.is_alive():
            super().start()


def own_start_method():
    r = Restartable()
    r.start()
    r.start()
    r.join()
