# Processes started from Pool workers or daemon processes.
import multiprocessing as mp


def square(x):
    return x * x


def nested_pool(n):
    with mp.Pool(2) as pool:  # expect: MP015
        return sum(pool.map(square, range(n)))


def spawn_child(n):
    child = mp.Process(target=square, args=(n,))  # expect: MP015
    child.start()
    child.join()
    return n


def helper():
    child = mp.Process(target=print)
    child.start()
    child.join()


def through_helper(n):
    helper()  # expect: MP015
    return n


def with_manager(n):
    with mp.Manager() as manager:  # expect: MP015
        return len(manager.list([n]))


def daemon_target():
    helper()  # expect: MP015


def daemon_assigned_target():
    with mp.Pool(2) as pool:  # expect: MP015
        pool.map(square, range(3))


def main():
    with mp.Pool(2) as pool:
        pool.map(nested_pool, [3])
        pool.apply(spawn_child, (1,))
        pool.apply(through_helper, (1,))
        pool.apply(with_manager, (1,))
    daemon = mp.Process(target=daemon_target, daemon=True)
    daemon.start()
    daemon.join()
    assigned = mp.Process(target=daemon_assigned_target)
    assigned.daemon = True
    assigned.start()
    assigned.join()


if __name__ == "__main__":
    main()
