import multiprocessing as mp

settings = dict(workers=4, verbose=True


def work():
    pass


pool = mp.Pool(2)  # expect: MP001

if __name__ == "__main__":
    mp.Process(target=work).start()
