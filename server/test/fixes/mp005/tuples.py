import multiprocessing as mp


def work(*args):
    print(args)


def main():
    queue = mp.Queue()
    processes = [mp.Process(target=work, args=(n)) for n in range(2)]
    processes.append(mp.Process(target=work, args="abc"))
    processes.append(mp.Process(target=work, args=( queue )))
    processes.append(mp.Process(target=work, args=5))
    processes.append(mp.Process(target=work, args=(
        "a long value"
    )))
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    with mp.Pool(2, initializer=work, initargs=(7)) as pool:
        pool.apply(work, ("xyz"))


if __name__ == "__main__":
    main()
