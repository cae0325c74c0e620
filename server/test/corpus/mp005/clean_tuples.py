# Real tuples, other iterables, and values that cannot be known.
import multiprocessing as mp

from helpers import ARGS


def work(*args):
    print(args)


def main(args_from_caller):
    pair = (1, 2)
    items = [1, 2]
    processes = [
        mp.Process(target=work, args=(1,)),
        mp.Process(target=work, args=(1, 2)),
        mp.Process(target=work, args=((1, 2))),
        mp.Process(target=work, args=()),
        mp.Process(target=work, args=[1, 2]),
        mp.Process(target=work, args=(pair)),
        mp.Process(target=work, args=items),
        mp.Process(target=work, args=(args_from_caller)),
        mp.Process(target=work, args=ARGS),
        mp.Process(target=work, args=(x for x in items)),
        # One character or none unpacks to the same arguments as a tuple would.
        mp.Process(target=work, args="a"),
        mp.Process(target=work, args=""),
        mp.Process(target=work, kwargs=(pair)),
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()


if __name__ == "__main__":
    main((3,))
