import multiprocessing as mp


def square(x):
    return x * x


def main(flag):
    pool = mp.Pool(2)
    results = pool.map(square, range(4))
    pool.join()
    if flag:
        other = mp.Pool(2)
        other.map(square, range(4))
        if results: other.join()
        other.terminate()
    return results


class Runner:
    def run(self):
        self.pool = mp.Pool(2)
        try:
            return self.pool.map(square, range(4))
        finally:
            self.pool.join()  # wait for the workers
