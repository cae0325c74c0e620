# A Process target is pickled only by spawn and forkserver.
import multiprocessing as mp
from multiprocessing.context import ForkProcess, SpawnProcess


def main():
    def local():
        print("local")

    processes = [
        mp.get_context("spawn").Process(target=local),  # expect: MP007
        mp.get_context("forkserver").Process(target=lambda: None),  # expect: MP007
        SpawnProcess(target=local),  # expect: MP007
        mp.Process(target=local),  # expect: MP007
        mp.Process(None, lambda: None),  # expect: MP007
        mp.get_context("fork").Process(target=local),  # expect: MP019
        ForkProcess(target=lambda: None),
        mp.Process(target=print),
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()


if __name__ == "__main__":
    main()
