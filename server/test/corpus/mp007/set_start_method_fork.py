# The module selects fork: the target is never pickled.
import multiprocessing as mp


def main():
    def local():
        print("local")

    process = mp.Process(target=local)
    process.start()
    process.join()


if __name__ == "__main__":
    mp.set_start_method("fork")  # expect: MP019
    main()
