import multiprocessing as mp


def main(key):
    with mp.Manager() as manager:
        scores = manager.dict({"a": [], "b": {}})
        rows = manager.list([[0]])
        settings = manager.Namespace()
        settings.items = []
        scores["a"].append(1)
        scores[key].extend([2, 3])  # keep this comment
        scores["b"]["x"] = 1
        scores["b"]["x"] += 1
        del scores["b"]["x"]
        last = scores["a"].pop()
        scores.get("a", []).append(4)
        rows[0][0] = 5
        if key:
            settings.items.append(last)
        print(scores, rows, settings)


if __name__ == "__main__":
    main("a")
