# Per-process caches, initializers, and functions that never run in a child.
import multiprocessing as mp

_model = None
_cache = {}
_connection = None
counter = 0


def load():
    return {"weights": 1}


def init(value):
    global _connection
    _connection = value


def predict(x):
    global _model
    if _model is None:
        _model = load()
    return _model["weights"] * x


def memoised(x):
    if x in _cache:
        return _cache[x]
    _cache[x] = x * x
    return _cache[x]


def lazy(x):
    global _connection
    if not _connection:
        _connection = object()
    return x


def parent_only():
    global counter
    counter += 1


def local_state(x):
    results = []
    results.append(x)
    return results


def main():
    with mp.Pool(2, initializer=init, initargs=(1,)) as pool:
        pool.map(predict, range(3))
        pool.map(memoised, range(3))
        pool.map(lazy, range(3))
        pool.map(local_state, range(3))
    parent_only()


if __name__ == "__main__":
    main()
