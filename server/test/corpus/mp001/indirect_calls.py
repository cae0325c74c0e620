# Module-level calls of this module's functions, methods and classes that start processes.
import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor


def square(x):
    return x * x


def run_pool():
    with mp.Pool(2) as pool:
        return pool.map(square, range(4))


def main():
    print(run_pool())


def submit_all():
    with ProcessPoolExecutor() as executor:
        return list(executor.map(square, range(4)))


class Service:
    def __init__(self):
        self.pool = mp.Pool(2)


class App:
    def run(self):
        proc = mp.Process(target=square, args=(2,))
        proc.start()
        proc.join()


main()  # expect: MP001
results = submit_all()  # expect: MP001
service = Service()  # expect: MP001
App().run()  # expect: MP001
app = App()
app.run()  # expect: MP001


def not_a_generator():
    def inner():
        yield 1

    return mp.Process(target=square, args=(list(inner()),))


made = not_a_generator()  # expect: MP001
