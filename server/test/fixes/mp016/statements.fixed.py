import multiprocessing as mp


def main(key):
    with mp.Manager() as manager:
        scores = manager.dict({"a": [], "b": {}})
        rows = manager.list([[0]])
        settings = manager.Namespace()
        settings.items = []
        scores_a = scores["a"]
        scores_a.append(1)
        scores["a"] = scores_a
        scores_key = scores[key]
        scores_key.extend([2, 3])  # keep this comment
        scores[key] = scores_key
        scores_b = scores["b"]
        scores_b["x"] = 1
        scores["b"] = scores_b
        scores_b_2 = scores["b"]
        scores_b_2["x"] += 1
        scores["b"] = scores_b_2
        scores_b_3 = scores["b"]
        del scores_b_3["x"]
        scores["b"] = scores_b_3
        scores_a_2 = scores["a"]
        last = scores_a_2.pop()
        scores["a"] = scores_a_2
        scores_a_3 = scores.get("a", [])
        scores_a_3.append(4)
        scores["a"] = scores_a_3
        rows_0 = rows[0]
        rows_0[0] = 5
        rows[0] = rows_0
        if key:
            settings_items = settings.items
            settings_items.append(last)
            settings.items = settings_items
        print(scores, rows, settings)


if __name__ == "__main__":
    main("a")
