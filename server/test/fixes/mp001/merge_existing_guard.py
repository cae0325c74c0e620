import multiprocessing as mp


def work():
    pass


proc = mp.Process(target=work)
proc.start()

if __name__ == "__main__":
    # wait for the child
    proc.join()
    print(proc.exitcode)
