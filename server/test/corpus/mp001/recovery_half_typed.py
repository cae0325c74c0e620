# The user is typing `mp.` on a module-level line: the rest of the file still lints.
import multiprocessing as mp


def work():
    pass


mp.
unguarded = mp.Pool(2)  # expect: MP001

if __name__ == "__main__":
    mp.
    guarded = mp.Process(target=work)
    guarded.start()
