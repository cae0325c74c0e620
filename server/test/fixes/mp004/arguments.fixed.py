import multiprocessing as mp


def work(a, b=0, *rest, scale=1, **options):
    print(a, b, rest, scale, options)


def main(values, extra):
    processes = [
        mp.Process(target=work, args=(1,)),
        mp.Process(target=work, args=(1, 2), name="pair"),
        mp.Process(target=work, args=(1,), kwargs={"scale": 3}),
        mp.Process(target=work, args=(*values,)),
        mp.Process(target=work, args=(1,), kwargs={**extra}),
        mp.Process(target=work),
        mp.Process(target=(work), args=(5,)),
        mp.Process(
            target=work, args=(1, 2),
            daemon=False,
        ),
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()


if __name__ == "__main__":
    main([1], {})
