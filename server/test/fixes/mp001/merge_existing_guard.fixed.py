import multiprocessing as mp


def work():
    pass


if __name__ == "__main__":
    proc = mp.Process(target=work)
    proc.start()

    # wait for the child
    proc.join()
    print(proc.exitcode)
