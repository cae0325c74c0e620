import multiprocessing as mp


def work():
    pass


def main(verbose):
    p = mp.Process(target=work)
    p.start()
    if verbose:
        print("started")
    p.daemon = True  # the child must not outlive us
    p.join()

    q = mp.Process(target=work)
    q.start()
    q.daemon = verbose
    q.join()
