"""The drop-in API: ``from mpscope import Process, Pool, Queue`` is multiprocessing's own.

Without a collector it is exactly multiprocessing (same objects, same output);
with one, importing it turns the hooks on in a program that was started without
the bootstrap on its path, and in every process the program starts.
"""

from __future__ import annotations

import unittest

from tests.support import (
    RUNTIME,
    START_METHODS,
    VALIDATOR,
    EventCollector,
    TempDirCase,
    clean_env,
    exits_of,
    hellos,
    of_kind,
    run,
)

PROGRAM = '''
import multiprocessing, sys, threading
from mpscope import Pool, Process, Queue
import mpscope

def square(n):
    return n * n

def put(q):
    q.put("from the child")

if __name__ == "__main__":
    multiprocessing.set_start_method(sys.argv[1])
    print(Process is multiprocessing.Process, Pool == multiprocessing.Pool, Queue == multiprocessing.Queue)
    import mpscope.agent
    print("agent", mpscope.agent.current() is not None)
    q = Queue()
    p = Process(target=put, args=(q,))
    p.start()
    print(q.get(timeout=60))
    p.join()
    with Pool(2) as pool:
        print(pool.map(square, range(5)))
    print("exit", p.exitcode, "threads", threading.active_count(), flush=True)
'''


class DropInTest(TempDirCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.path = cls.tmp.write("dropin.py", PROGRAM)

    def test_without_a_collector_it_is_multiprocessing(self) -> None:
        for method in START_METHODS:
            with self.subTest(method=method):
                result = run([self.path, method], clean_env(PYTHONPATH=RUNTIME))
                self.assertEqual(result.returncode, 0, result.stderr.decode())
                self.assertEqual(result.stderr, b"")
                self.assertEqual(result.stdout.decode().splitlines(), [
                    "True True True", "agent False", "from the child", "[0, 1, 4, 9, 16]", "exit 0 threads 1"])

    def test_names_and_errors(self) -> None:
        result = run(["-c", "import mpscope, multiprocessing\n"
                            "print(sorted(set(dir(mpscope)) & {'Pool', 'Process', 'Queue', 'Pipe', 'Manager', 'Lock'}))\n"
                            "print(mpscope.get_context is multiprocessing.get_context)\n"
                            "try:\n    mpscope.Nothing\nexcept AttributeError as e:\n    print(e)\n"],
                     clean_env(PYTHONPATH=RUNTIME))
        self.assertEqual(result.stdout.decode().splitlines(), [
            "['Manager', 'Pipe', 'Pool', 'Process', 'Queue']",
            "True",
            "module 'mpscope' has no attribute 'Nothing'",
        ])

    def test_with_a_collector_it_turns_the_hooks_on(self) -> None:
        for method in START_METHODS:
            with self.subTest(method=method):
                with EventCollector() as collector:
                    # No bootstrap on the path: only the drop-in import can turn mpscope on.
                    env = clean_env(PYTHONPATH=RUNTIME, **collector.env())
                    result = run([self.path, method], env)
                    self.assertEqual(result.returncode, 0, result.stderr.decode())
                    lines = result.stdout.decode().splitlines()
                    self.assertEqual(lines[0], "True True True")
                    self.assertEqual(lines[1], "agent True")
                    self.assertEqual(lines[-1], "exit 0 threads 1")

                    def settled(c: EventCollector) -> bool:
                        events = c._unlocked_events()
                        roles = {e["proc"]: e["role"] for e in of_kind(events, "process.created")}
                        ours = [e["child_pid"] for e in of_kind(events, "process.started")
                                if roles.get(e["proc"]) in ("process", "pool-worker")]
                        return (len(ours) == 3 and all("parent" in exits_of(events, pid) for pid in ours)
                                and bool(hellos(events, role="pool-worker")) and bool(hellos(events, role="process"))
                                and all(s.closed for s in c.streams))

                    collector.wait_for(settled, "the run's events")
                    events = collector.events()
                    for event in events:
                        VALIDATOR.check(event)
                    main = hellos(events, role="main")
                    self.assertEqual(len(main), 1)
                    created = of_kind(events, "process.created", role="process")
                    self.assertEqual(len(created), 1)
                    self.assertEqual(created[0]["target"], "__main__.put")
                    self.assertEqual(created[0]["site"]["file"], self.path)
                    self.assertEqual(len(of_kind(events, "process.created", role="pool-worker")), 2)
                    child = hellos(events, role="process")
                    self.assertEqual(len(child), 1)
                    if method != "fork":
                        self.assertEqual(child[0]["start_method"], method)


if __name__ == "__main__":
    unittest.main()
