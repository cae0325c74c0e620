import multiprocessing as mp


class Worker(mp.Process):
    def run(self):
        print("worker")


def main():
    process = mp.Process(target=print, args=("child",))
    process.run()
    process.join()
    worker = Worker()
    worker . run ()  # spaces kept
    worker.join()


if __name__ == "__main__":
    main()
