# The module selects spawn for every default-context process.
import multiprocessing as mp


def main():
    def local():
        print("local")

    process = mp.Process(target=local)  # expect: MP007
    process.start()
    process.join()


if __name__ == "__main__":
    mp.set_start_method("spawn")
    main()
