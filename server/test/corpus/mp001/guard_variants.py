import multiprocessing as mp


def work():
    pass


if __name__ != "__main__":
    mp.Process(target=work).start()  # expect: MP001
else:
    mp.Process(target=work).start()

if __name__ == "__main__":
    pass
else:
    helper_pool = mp.Pool(2)  # expect: MP001

if __name__ == "__main__" or mp.cpu_count() > 4:
    either_pool = mp.Pool(2)  # expect: MP001

if __name__ == "__mp_main__":
    child_pool = mp.Pool(2)  # expect: MP001

if "__main__" == __name__:
    reversed_pool = mp.Pool(2)

if __name__ == "__main__" and mp.cpu_count() > 1:
    conjunct_pool = mp.Pool(2)

if not __name__ != "__main__":
    negated_pool = mp.Pool(2)

if mp.cpu_count() > 64:
    pass
elif __name__ == "__main__":
    elif_pool = mp.Pool(2)
else:
    fallback_pool = mp.Pool(2)  # expect: MP001
