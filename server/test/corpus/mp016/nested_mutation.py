# In-place changes to values read out of Manager proxies are lost.
import multiprocessing as mp
from multiprocessing.managers import SyncManager


def fill(shared, key):
    shared[key].append(1)  # expect: MP016


def record(results, key, value):
    results[key].append(value)  # expect: MP016


def main():
    with mp.Manager() as manager:
        scores = manager.dict()
        rows = manager.list([[0, 0]])
        settings = manager.Namespace()
        scores["a"] = []
        scores["a"].append(1)  # expect: MP016
        scores["b"] = {}
        scores["b"]["x"] = 2  # expect: MP016
        scores["b"]["x"] += 1  # expect: MP016
        del scores["b"]["x"]  # expect: MP016
        scores.get("a").extend([2, 3])  # expect: MP016
        rows[0][1] = 5  # expect: MP016
        rows[0].sort()  # expect: MP016
        settings.items = []
        settings.items.append(1)  # expect: MP016
        first, rows[0][0] = 1, 2  # expect: MP016
        removed = scores["a"].pop()  # expect: MP016
        fill(scores, "a")
        with mp.Pool(2) as pool:
            pool.starmap(record, [(scores, "a", n) for n in range(3)])
        print(removed, first)
    server = SyncManager()
    server.start()
    table = server.dict({"k": []})
    table["k"].append(1)  # expect: MP016
    server.shutdown()


if __name__ == "__main__":
    main()
