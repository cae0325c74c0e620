# Read-modify-write, augmented assignment, plain dicts and nested proxies all work.
import multiprocessing as mp


def main():
    with mp.Manager() as manager:
        scores = manager.dict()
        scores["a"] = []
        entry = scores["a"]
        entry.append(1)
        scores["a"] = entry
        scores["n"] = 0
        scores["n"] += 1
        scores["a"] += [2]
        scores.update({"b": 1})
        nested = manager.dict()
        nested["inner"] = manager.list()
        nested["inner"].append(1)
        holder = manager.dict({"lst": manager.list()})
        holder["lst"].append(2)
        local = {"a": []}
        local["a"].append(1)
        print(scores, nested, holder, local)


if __name__ == "__main__":
    main()
