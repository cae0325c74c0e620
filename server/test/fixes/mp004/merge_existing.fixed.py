import multiprocessing as mp


def work(*args, **kwargs):
    print(args, kwargs)


def main(more_args, more_kwargs):
    processes = [
        mp.Process(target=work, args=(1, 2, 3)),
        mp.Process(target=work, args=(1, *more_args)),
        mp.Process(target=work, kwargs={"key": 1, "other": 2}),
        mp.Process(target=work, kwargs={"key": 1, **more_kwargs}),
        mp.Process(kwargs={"a": 1, "b": 2}, target=work, args=[3]),
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()


if __name__ == "__main__":
    main((), {})
