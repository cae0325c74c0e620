"""Exit accounting: every process that started ends with exactly one merged exit record.

Real programs run under the launcher (``--output`` and ``--json``), under each
start method. Each program prints what its processes observed (``p.exitcode``);
the run model rebuilt from the events, and the JSON summary, must hold one
record per process with the same code. Who reports is checked too: the process
itself, its parent, the launcher, or the collector when nobody could.
"""

from __future__ import annotations

import json
import os
import unittest
from typing import Any, Dict, List, Tuple

from mpscope.launcher.runmodel import RunModel
from tests.support import (
    REPORT,
    START_METHODS,
    VALIDATOR,
    TempDirCase,
    launcher_env,
    parse_jsonl,
    report_of,
    run,
)

LAUNCH = ["-m", "mpscope", "run"]


ENDINGS = REPORT + '''
import ctypes, multiprocessing, os, signal, sys, time

def normal(): pass
def raises(): raise ValueError("bad value")
def exits_3(): sys.exit(3)
def os_exit_7(): os._exit(7)
def sigterm_itself(): os.kill(os.getpid(), signal.SIGTERM)
def segfault(): ctypes.string_at(0)
def sleeps(ready):
    ready.set()
    time.sleep(120)
def hangs(lock, ready):
    lock.acquire()
    ready.set()
    lock.acquire()  # never returns: terminate() ends it

if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[1])
    killed_ready, hung_ready, lock = ctx.Event(), ctx.Event(), ctx.Lock()
    procs = {name: ctx.Process(target=target, name=name) for name, target in [
        ("normal", normal), ("raises", raises), ("exits_3", exits_3), ("os_exit_7", os_exit_7),
        ("sigterm", sigterm_itself), ("segfault", segfault)]}
    procs["killed"] = ctx.Process(target=sleeps, args=(killed_ready,), name="killed")
    procs["hung"] = ctx.Process(target=hangs, args=(lock, hung_ready), name="hung")
    for p in procs.values():
        p.start()
    killed_ready.wait(60)
    hung_ready.wait(60)
    procs["killed"].kill()
    procs["hung"].join(0.1)  # times out: the child is still alive
    alive = procs["hung"].is_alive()
    procs["hung"].terminate()
    for p in procs.values():
        p.join()
    report(children={name: [p.pid, p.exitcode] for name, p in procs.items()}, alive_after_timeout=alive)
'''

ORPHANS = REPORT + '''
import multiprocessing, os, sys, time

def grandchild(ready, go, done, hard):
    ready.set()
    go.wait(60)
    done.set()
    if hard:
        os._exit(5)  # nobody reports this one: its parent is gone and it skips its own record

def parent(method, events, pids):
    ctx = multiprocessing.get_context(method)
    kids = [ctx.Process(target=grandchild, args=events[i] + (i == 1,), name="orphan-%d" % i) for i in range(2)]
    for kid in kids:
        kid.start()
    pids.put([kid.pid for kid in kids])
    time.sleep(120)  # killed by the main process

def daemon_sleeper():
    time.sleep(120)

def with_daemon(method, started):
    ctx = multiprocessing.get_context(method)
    d = ctx.Process(target=daemon_sleeper, daemon=True, name="daemon-of-child")
    d.start()
    started.put(d.pid)
    # returning ends this process: multiprocessing terminates its daemonic child first

if __name__ == "__main__":
    method = sys.argv[1]
    ctx = multiprocessing.get_context(method)
    events = [(ctx.Event(), ctx.Event(), ctx.Event()) for _ in range(2)]
    pids = ctx.Queue()
    p = ctx.Process(target=parent, args=(method, events, pids), name="parent")
    p.start()
    grandchildren = pids.get(timeout=60)
    events[0][0].wait(60)
    events[1][0].wait(60)
    p.kill()  # the parent dies before its children
    p.join()
    for ready, go, done in events:
        go.set()
    for ready, go, done in events:
        done.wait(60)
    started = ctx.Queue()
    q = ctx.Process(target=with_daemon, args=(method, started), name="with-daemon")
    q.start()
    daemon_pid = started.get(timeout=60)
    q.join()
    report(parent=[p.pid, p.exitcode], with_daemon=[q.pid, q.exitcode], daemon=daemon_pid, grandchildren=grandchildren)
'''


class ExitAccountingTest(TempDirCase):

    def launch(self, name: str, body: str, method: str) -> Tuple[Any, List[Dict[str, Any]], RunModel, Dict[str, Any]]:
        path = self.tmp.write(name, body)
        output = os.path.join(self.tmp.path, "%s-%s.jsonl" % (name, method))
        summary = os.path.join(self.tmp.path, "%s-%s.json" % (name, method))
        result = run(LAUNCH + ["--output", output, "--json=" + summary, path, method], launcher_env())
        with open(output, "rb") as handle:
            events = parse_jsonl(handle.read())
        for event in events:
            VALIDATOR.check(event)
        model = RunModel()
        for event in events:
            model.add(event)
        with open(summary, encoding="utf-8") as handle:
            document = json.load(handle)
        return result, events, model, document

    def assert_one_record_each(self, model: RunModel, document: Dict[str, Any]) -> None:
        records = model.exit_records()
        missing = [pid for pid, record in records.items() if record is None]
        self.assertEqual(missing, [], "every process has an exit record")
        self.assertEqual(sorted(p["pid"] for p in document["processes"]), sorted(records))
        for entry in document["processes"]:
            self.assertEqual(entry["exit"], records[entry["pid"]], entry["pid"])

    def test_every_kind_of_ending(self) -> None:
        expected = {"normal": 0, "raises": 1, "exits_3": 3, "os_exit_7": 7, "sigterm": -15, "segfault": -11,
                    "killed": -9, "hung": -15}
        signals = {-15: "SIGTERM", -11: "SIGSEGV", -9: "SIGKILL"}
        for method in START_METHODS:
            with self.subTest(method=method):
                result, events, model, document = self.launch("endings.py", ENDINGS, method)
                self.assertEqual(result.returncode, 0, result.stderr.decode())
                report = report_of(result.stdout)
                children = report["children"]
                self.assertEqual({name: code for name, (_, code) in children.items()}, expected)
                self.assert_one_record_each(model, document)
                by_pid = {entry["pid"]: entry for entry in document["processes"]}
                for name, (pid, code) in children.items():
                    merged = model.processes[pid].merged_exit()
                    assert merged is not None
                    self.assertEqual((merged["exitcode"], merged["reporter"]), (code, "parent"), name)
                    self.assertEqual(merged["signal"], signals.get(code), name)
                    self.assertEqual(by_pid[pid]["exit"]["exitcode"], code)
                self.assertEqual(model.processes[children["raises"][0]].exception["type"], "ValueError")
                self.assertEqual(document["processes"][0]["role"], "main")
                self.assertEqual(document["processes"][0]["exit"]["reporter"], "launcher")
                self.assertEqual(document["program"]["exitcode"], 0)
                # The join(0.1) that timed out while the child was alive.
                self.assertTrue(report["alive_after_timeout"])
                hung = children["hung"][0]
                joins = [(e["alive"], e["timeout"]) for e in events
                         if e["kind"] == "process.joined" and e["child_pid"] == hung]
                self.assertEqual(joins, [(True, 0.1), (False, None)])

    def test_orphans_and_daemon_children(self) -> None:
        for method in START_METHODS:
            with self.subTest(method=method):
                result, events, model, document = self.launch("orphans.py", ORPHANS, method)
                self.assertEqual(result.returncode, 0, result.stderr.decode())
                report = report_of(result.stdout)
                soft, hard = report["grandchildren"]
                self.assert_one_record_each(model, document)
                parent_pid, parent_code = report["parent"]
                self.assertEqual(parent_code, -9)
                self.assertEqual(model.processes[parent_pid].merged_exit()["reporter"], "parent")  # type: ignore[index]
                self.assertEqual(model.processes[soft].merged_exit(),
                                 {"reporter": "self", "exitcode": 0, "signal": None},
                                 "an orphan reports itself, quiet or not: nobody else can")
                self.assertEqual(model.processes[hard].merged_exit(),
                                 {"reporter": "collector", "exitcode": None, "signal": None}, "nobody could: lost")
                self.assertEqual(model.logical_parent(model.processes[soft]), parent_pid)
                with_daemon_pid, with_daemon_code = report["with_daemon"]
                self.assertEqual(with_daemon_code, 0)
                daemon = model.processes[report["daemon"]]
                merged = daemon.merged_exit()
                assert merged is not None
                self.assertEqual((merged["exitcode"], merged["reporter"]), (-15, "parent"))
                self.assertEqual(model.logical_parent(daemon), with_daemon_pid)


if __name__ == "__main__":
    unittest.main()
