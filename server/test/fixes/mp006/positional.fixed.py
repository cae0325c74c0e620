import multiprocessing as mp
from multiprocessing import Process


def work(*args):
    print(args)


def main():
    processes = [
        Process(target=work),
        mp.Process(target=work, args=(1,), daemon=True),
        mp.Process(target=lambda: print("inline"), name="inline"),
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()


if __name__ == "__main__":
    mp.set_start_method("fork")  # noqa: MP019
    main()
