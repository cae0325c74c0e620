# A guard whose colon is not typed yet still guards what is indented below it.
import multiprocessing as mp


def work():
    pass


if __name__ == "__main__"
    guarded = mp.Pool(2)
    if mp.cpu_count() > 2
        nested = mp.Process(target=work)

outside = mp.Process(target=work)  # expect: MP001
