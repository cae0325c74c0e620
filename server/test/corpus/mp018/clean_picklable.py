# Paths instead of files, lists instead of generators, sockets (multiprocessing reduces them).
import multiprocessing as mp
import socket


def work(*args):
    return len(args)


def numbers():
    yield 1


def main(path, handle_from_caller):
    values = list(numbers())
    connection = socket.socket()
    with mp.Pool(2) as pool:
        pool.apply(work, (path,))
        pool.apply(work, (values,))
        pool.apply(work, (connection,))
        pool.apply(work, (handle_from_caller,))
        pool.map(work, numbers())
    process = mp.Process(target=work, args=(x for x in values))
    process.start()
    process.join()
    connection.close()


if __name__ == "__main__":
    main(__file__, None)
