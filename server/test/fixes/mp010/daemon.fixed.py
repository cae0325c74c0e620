import multiprocessing as mp


def work():
    pass


def main(verbose):
    p = mp.Process(target=work)
    p.daemon = True  # the child must not outlive us
    p.start()
    if verbose:
        print("started")
    p.join()

    q = mp.Process(target=work)
    q.daemon = verbose
    q.start()
    q.join()
