from multiprocessing import *


def work():
    pass


proc = Process(target=work)  # expect: MP001
pool = Pool(4)  # expect: MP001
