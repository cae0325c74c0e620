"""Pipes, Managers and shared memory under fork, spawn and forkserver; exit records of bare os.fork() children."""

from __future__ import annotations

import os
import unittest
from typing import Any, Dict, List

from tests.support import REPORT, START_METHODS, exits_of, hellos, of_kind, report_of
from tests.test_lifecycle import LifecycleCase, line_of

OPTIONS = '{"wait_threshold_ms": 100}'


def last_of(events: List[Dict[str, Any]], kind: str, **fields: Any) -> Dict[int, Dict[str, Any]]:
    """The last event of ``kind`` (matching ``fields``) of each process."""
    found: Dict[int, Dict[str, Any]] = {}
    for event in of_kind(events, kind, **fields):
        found[event["pid"]] = event
    return found


class PipeTest(LifecycleCase):
    def test_counts_and_a_blocked_recv(self) -> None:
        path = self.program("pipes.py", REPORT + '''
import multiprocessing, sys, time

def child(reader, duplex, ready):
    ready.set()
    for _ in range(3):
        reader.recv()  # the first one waits for the parent
    duplex.send("one")
    duplex.send_bytes(b"two")

if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[1])
    reader, writer = ctx.Pipe(duplex=False)  # one-way pipe
    mine, theirs = ctx.Pipe()  # two-way pipe
    ready = ctx.Event()
    process = ctx.Process(target=child, args=(reader, theirs, ready))
    process.start()
    ready.wait()
    time.sleep(0.5)
    for n in range(3):
        writer.send(n)
    got = [mine.recv(), mine.recv_bytes().decode()]
    process.join()
    report(child=process.pid, got=got)
''')
        for method in START_METHODS:
            with self.subTest(method=method):
                collector, result = self.run_observed(path, method, MPSCOPE_OPTIONS=OPTIONS)
                report = report_of(result.stdout)
                self.assertEqual(report["got"], ["one", "two"])
                child = report["child"]
                events = self.settle(collector, [child], selves=[child])
                main = [h["pid"] for h in hellos(events, role="main")][0]
                pipes = {e["site"]["line"]: e for e in of_kind(events, "pipe.created")}
                self.assertEqual(len(pipes), 2, pipes)
                one_way = pipes[line_of(path, "# one-way pipe")]
                two_way = pipes[line_of(path, "# two-way pipe")]
                self.assertEqual((one_way["duplex"], two_way["duplex"]), (False, True))
                reader, writer = one_way["ends"]
                mine, theirs = two_way["ends"]
                self.assertEqual(len({reader, writer, mine, theirs}), 4)
                counters = {}
                for event in of_kind(events, "pipe.counters"):
                    counters[(event["pid"], event["conn"])] = (event["sends"], event["recvs"])
                self.assertEqual(counters, {(main, writer): (3, 0), (child, reader): (0, 3),
                                            (child, theirs): (2, 0), (main, mine): (0, 2)})
                blocked = of_kind(events, "pipe.blocked")
                self.assertEqual([(b["pid"], b["conn"], b["op"]) for b in blocked], [(child, reader, "recv")])
                self.assertGreaterEqual(blocked[0]["waited"], 0.1)
                self.assertEqual(blocked[0]["site"]["line"], line_of(path, "reader.recv()"))


class ManagerTest(LifecycleCase):
    def test_manager_queue_dict_and_server(self) -> None:
        path = self.program("manager.py", REPORT + '''
import multiprocessing, sys, time

def child(items, shared):
    shared["child"] = True
    time.sleep(0.5)  # the parent waits in items.get() meanwhile
    items.put(1)
    items.put(2)

if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[1])
    with ctx.Manager() as manager:  # the manager
        items = manager.Queue()  # manager queue
        shared = manager.dict()  # manager dict
        process = ctx.Process(target=child, args=(items, shared))
        process.start()
        got = [items.get(), items.get()]
        process.join()
        report(child=process.pid, server=manager._process.pid, got=got, shared=dict(shared))
''')
        for method in START_METHODS:
            with self.subTest(method=method):
                collector, result = self.run_observed(path, method, MPSCOPE_OPTIONS=OPTIONS)
                report = report_of(result.stdout)
                self.assertEqual((report["got"], report["shared"]), ([1, 2], {"child": True}))
                child, server = report["child"], report["server"]
                events = self.settle(collector, [child, server], selves=[child], hello_from=[server])
                main = [h["pid"] for h in hellos(events, role="main")][0]
                self.assertEqual(hellos(events, pid=server)[0]["role"], "manager")
                self.assertEqual(self.created_for(events, server)["role"], "manager")
                managers = of_kind(events, "manager.created")
                self.assertEqual(len(managers), 1)
                self.assertEqual((managers[0]["pid"], managers[0]["server_pid"], managers[0]["class"]),
                                 (main, server, "multiprocessing.managers.SyncManager"))
                self.assertEqual(managers[0]["site"]["line"], line_of(path, "# the manager"))
                queue = of_kind(events, "queue.created")
                self.assertEqual(len(queue), 1)
                self.assertEqual((queue[0]["queue_kind"], queue[0]["manager_address"]),
                                 ("manager-queue", managers[0]["address"]))
                self.assertEqual(queue[0]["site"]["line"], line_of(path, "# manager queue"))
                shared = of_kind(events, "shared.created")
                self.assertEqual([(s["shared_kind"], s["typeid"]) for s in shared], [("manager", "dict")])
                self.assertEqual(shared[0]["site"]["line"], line_of(path, "# manager dict"))
                counts = last_of(events, "queue.counters", queue=queue[0]["queue"])
                self.assertEqual((counts[child]["puts"], counts[child]["gets"]), (2, 0))
                self.assertEqual((counts[main]["puts"], counts[main]["gets"]), (0, 2))
                blocked = of_kind(events, "queue.blocked", queue=queue[0]["queue"])
                self.assertEqual([(b["pid"], b["op"], b["outcome"]) for b in blocked][:1], [(main, "get", "ok")])
                self.assertEqual(blocked[0]["site"]["line"], line_of(path, "got = [items.get()"))


class SharedMemoryTest(LifecycleCase):
    def test_values_arrays_and_blocks(self) -> None:
        path = self.program("shared.py", REPORT + '''
import ctypes, multiprocessing, sys
from multiprocessing import shared_memory

if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[1])
    counter = ctx.Value("i", 0)  # a value
    samples = ctx.Array("d", 8, lock=False)  # an array
    raw = ctx.RawValue(ctypes.c_double, 1.5)  # a raw value
    table = ctx.RawArray("b", [1, 2, 3])  # a raw array
    block = shared_memory.SharedMemory(create=True, size=64)  # a block
    listed = shared_memory.ShareableList([1, 2, 3])  # a list
    attached = shared_memory.SharedMemory(name=block.name)  # attaching sends nothing
    attached.close()
    report(block=block.name, size=block.size, listed=listed.shm.name)
    listed.shm.close()
    listed.shm.unlink()
    block.close()
    block.unlink()
''')
        method = START_METHODS[-1]
        collector, result = self.run_observed(path, method)
        report = report_of(result.stdout)
        events = self.settle(collector, [])
        shared = {e["site"]["line"]: e for e in of_kind(events, "shared.created")}
        self.assertEqual(len(shared), 6, shared)

        def fields(marker: str, *names: str) -> List[Any]:
            event = shared[line_of(path, marker)]
            self.assertEqual(event["site"]["file"], path)
            return [event.get(name) for name in names]

        self.assertEqual(fields("# a value", "shared_kind", "typecode", "size", "lock"), ["Value", "i", 4, True])
        self.assertEqual(fields("# an array", "shared_kind", "typecode", "size", "length", "lock"),
                         ["Array", "d", 64, 8, False])
        self.assertEqual(fields("# a raw value", "shared_kind", "typecode", "size"),
                         ["RawValue", "ctypes.c_double", 8])
        self.assertEqual(fields("# a raw array", "shared_kind", "typecode", "length"), ["RawArray", "b", 3])
        self.assertEqual(fields("# a block", "shared_kind", "name", "size"),
                         ["SharedMemory", report["block"], report["size"]])
        self.assertEqual(fields("# a list", "shared_kind", "name"), ["ShareableList", report["listed"]])


@unittest.skipUnless(hasattr(os, "fork"), "needs os.fork")
class BareForkTest(LifecycleCase):
    def test_exit_records_of_forked_children(self) -> None:
        path = self.program("forks.py", REPORT + '''
import os

if __name__ == "__main__":
    quick = os.fork()
    if quick == 0:
        os._exit(5)
    failing = os.fork()
    if failing == 0:
        raise ValueError("failed in the forked child")
    codes = [os.WEXITSTATUS(os.waitpid(pid, 0)[1]) for pid in (quick, failing)]
    report(quick=quick, failing=failing, codes=codes)
''')
        collector, result = self.run_observed(path, "unused")
        report = report_of(result.stdout)
        self.assertEqual(report["codes"], [5, 1])
        quick, failing = report["quick"], report["failing"]
        collector.wait_for(lambda c: all(s.closed for s in c.streams) and
                           all("self" in exits_of(c._unlocked_events(), pid) for pid in (quick, failing)),
                           "the forked children's exit records")
        self.check_streams(collector)
        events = collector.events()
        self.assertEqual(sorted(h["pid"] for h in hellos(events, role="fork")), sorted([quick, failing]))
        self.assertEqual(exits_of(events, quick)["self"]["exitcode"], 5)
        record = exits_of(events, failing)["self"]
        self.assertEqual((record["exitcode"], record["exception"]["type"], record["exception"]["message"]),
                         (1, "ValueError", "failed in the forked child"))
        self.assertIn(record["exception"]["traceback"], result.stderr.decode())


if __name__ == "__main__":
    unittest.main()
