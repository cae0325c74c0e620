"""Workers share a Manager dict and report through a Manager queue; the Manager's server is a process of its own."""

import multiprocessing
import sys


def count_letters(word, totals, results):
    for letter in word:
        totals[letter] = totals.get(letter, 0) + 1  # not atomic: a Lock would be needed for exact totals
    results.put((word, len(word)))


if __name__ == "__main__":
    context = multiprocessing.get_context(sys.argv[1] if len(sys.argv) > 1 else None)
    with context.Manager() as manager:
        totals = manager.dict()
        results = manager.Queue()
        words = ["process", "queue", "manager"]
        workers = [context.Process(target=count_letters, args=(word, totals, results)) for word in words]
        for worker in workers:
            worker.start()
        lengths = sorted(results.get() for _ in words)
        for worker in workers:
            worker.join()
        print(lengths)
