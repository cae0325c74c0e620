# run() on a Process object runs the target in the current process.
import multiprocessing as mp
from multiprocessing import Process


def work():
    print("work")


class Worker(mp.Process):
    def run(self):
        print("worker")


class Inline(mp.Process):
    def run(self):
        super().run()

    def run_here(self):
        self.run()


def main(unknown):
    process = Process(target=work)
    process.run()  # expect: MP011
    mp.get_context("spawn").Process(target=work).run()  # expect: MP011
    worker = Worker()
    worker.run()  # expect: MP011
    with mp.Manager() as manager:
        print(manager)
    unknown.run()
    Inline().run_here()
    Process.run(process)


if __name__ == "__main__":
    main(None)
