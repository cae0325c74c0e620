import multiprocessing as mp


def work(*args, **kwargs):
    print(args, kwargs)


def main(more_args, more_kwargs):
    processes = [
        mp.Process(target=work(1), args=(2, 3)),
        mp.Process(target=work(1), args=more_args),
        mp.Process(target=work(key=1), kwargs={"other": 2}),
        mp.Process(target=work(key=1), kwargs=more_kwargs),
        mp.Process(kwargs={"b": 2}, target=work(a=1), args=[3]),
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()


if __name__ == "__main__":
    main((), {})
