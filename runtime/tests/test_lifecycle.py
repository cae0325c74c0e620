"""Real programs under fork, spawn and forkserver, observed through a test collector.

Each program reports what its parent saw (pids, ``p.exitcode``) on stdout; the
tests check the events against that and against the schema.
"""

from __future__ import annotations

import os
import unittest
from typing import Any, Dict, List, Sequence

from tests.support import (
    REPORT,
    START_METHODS,
    VALIDATOR,
    EventCollector,
    TempDirCase,
    exits_of,
    hellos,
    hooked_env,
    of_kind,
    report_of,
    run,
    sample,
)



def line_of(path: str, fragment: str) -> int:
    with open(path, encoding="utf-8") as handle:
        for number, text in enumerate(handle, 1):
            if fragment in text:
                return number
    raise AssertionError("%r not in %s" % (fragment, path))


class LifecycleCase(TempDirCase):

    def program(self, name: str, body: str) -> str:
        return self.tmp.write(name, REPORT + body)

    def run_observed(self, path: str, method: str, *args: str, expect_rc: int = 0, **env: str):
        collector = EventCollector()
        self.addCleanup(collector.close)
        result = run([path, method] + list(args), hooked_env(collector, **env))
        self.assertEqual(result.returncode, expect_rc, result.stderr.decode())

        def main_stream_read(c: EventCollector) -> bool:
            # The program has exited, but the collector's threads may not have read all of it yet.
            return any(s.closed and s.events and s.events[0].get("role") == "main" for s in c.streams)

        collector.wait_for(main_stream_read, "the main process's whole stream")
        return collector, result

    def settle(self, collector: EventCollector, child_pids: List[int], selves: Sequence[int] = (),
               hello_from: Sequence[int] = ()) -> List[Dict[str, Any]]:
        """Wait until every child has its parent's exit record and every accepted stream is closed.

        A child's own stream may still sit in the listen backlog when its parent has
        already reported it, so what a test reads from a child's own stream (its
        hello, its own exit record) is waited for explicitly.
        """

        def settled(c: EventCollector) -> bool:
            events = c._unlocked_events()
            return (
                all("parent" in exits_of(events, pid) for pid in child_pids)
                and all("self" in exits_of(events, pid) for pid in selves)
                and all(hellos(events, pid=pid) for pid in hello_from)
                and all(s.closed for s in c.streams)
            )

        collector.wait_for(settled, "exit records of %s and closed streams" % child_pids)
        events = collector.events()
        self.check_streams(collector)
        return events

    def check_streams(self, collector: EventCollector) -> None:
        for stream in collector.accepted():
            if not stream.events:  # a process killed between connecting and its hello
                self.assertTrue(stream.closed)
                continue
            self.assertEqual(stream.events[0]["kind"], "hello", stream.events)
            self.assertEqual([e["seq"] for e in stream.events], list(range(len(stream.events))))
            self.assertEqual({e["pid"] for e in stream.events}, {stream.pid}, "one process per stream")
            for event in stream.events:
                VALIDATOR.check(event)
        self.assertEqual(collector.bad_lines, [])

    def started(self, events: List[Dict[str, Any]], *roles: str) -> List[int]:
        """Pids of children started with one of ``roles`` (default: plain processes, not helpers)."""
        roles = roles or ("process",)
        created = {e["proc"]: e for e in of_kind(events, "process.created")}
        return [e["child_pid"] for e in of_kind(events, "process.started")
                if created.get(e["proc"], {}).get("role") in roles]

    def created_for(self, events: List[Dict[str, Any]], child_pid: int) -> Dict[str, Any]:
        started = of_kind(events, "process.started", child_pid=child_pid)
        self.assertEqual(len(started), 1, started)
        created = of_kind(events, "process.created", proc=started[0]["proc"])
        self.assertEqual(len(created), 1, created)
        self.assertEqual(created[0]["pid"], started[0]["pid"])
        return created[0]


class SamplesTest(LifecycleCase):
    def test_guarded_process(self) -> None:
        path = sample("guarded_process.py")
        for method in START_METHODS:
            with self.subTest(method=method):
                collector, result = self.run_observed(path, method)
                self.assertEqual(result.stdout, b"hello from the child\nchild exit code: 0\n")
                main = hellos(collector.events(), role="main")
                self.assertEqual(len(main), 1)
                started = self.started(collector.events())
                self.assertEqual(len(started), 1)
                child = started[0]
                events = self.settle(collector, [child])
                created = self.created_for(events, child)
                self.assertEqual(created["pid"], main[0]["pid"])
                self.assertEqual(created["target"], "__main__.greet")
                self.assertEqual(created["role"], "process")
                self.assertEqual(created["start_method"], method)
                self.assertEqual(created["site"]["file"], path)
                self.assertEqual(created["site"]["line"], line_of(path, "context.Process("))
                # A quiet child: announced by its parent, says nothing itself, its exit status from its parent.
                self.assertEqual(hellos(events, pid=child), [])
                self.assertEqual(of_kind(events, "process.started", child_pid=child)[0].get("quiet"), True)
                exits = exits_of(events, child)
                self.assertEqual(exits["parent"]["exitcode"], 0)
                self.assertNotIn("self", exits)
                self.assertEqual(len(of_kind(events, "process.joined", child_pid=child)), 1)

    def test_crashing_child_reports_its_exception(self) -> None:
        path = sample("crashing_child.py")
        for method in START_METHODS:
            with self.subTest(method=method):
                collector, result = self.run_observed(path, method)
                self.assertEqual(result.stdout, b"child exit code: 1\n")
                child = self.started(collector.events())[0]
                events = self.settle(collector, [child], selves=[child])
                exits = exits_of(events, child)
                self.assertEqual(exits["parent"]["exitcode"], 1)
                self.assertEqual(exits["self"]["exitcode"], 1)
                exception = exits["self"]["exception"]
                self.assertEqual((exception["type"], exception["message"]), ("ValueError", "boom"))
                self.assertTrue(exception["traceback"].endswith("ValueError: boom\n"))
                self.assertIn(exception["traceback"], result.stderr.decode(), "the same traceback the user saw")
                self.assertEqual(exception["site"]["file"], path)
                self.assertEqual(exception["site"]["line"], line_of(path, 'raise ValueError("boom")'))

    def test_killed_child_gets_an_exit_record_with_the_signal(self) -> None:
        path = sample("killed_child.py")
        for method in START_METHODS:
            with self.subTest(method=method):
                collector, result = self.run_observed(path, method)
                self.assertEqual(result.stdout, b"child exit code: -9\n")
                child = self.started(collector.events())[0]
                events = self.settle(collector, [child])
                exits = exits_of(events, child)
                self.assertEqual((exits["parent"]["exitcode"], exits["parent"]["signal"]), (-9, "SIGKILL"))
                self.assertNotIn("self", exits)
                signalled = of_kind(events, "process.signalled", child_pid=child)
                self.assertEqual([(s["method"], s["signal"]) for s in signalled], [("kill", "SIGKILL")])

    def test_pool_workers(self) -> None:
        path = sample("pool_map.py")
        for method in START_METHODS:
            with self.subTest(method=method):
                collector, result = self.run_observed(path, method)
                self.assertEqual(result.stdout, b"[0, 1, 4, 9]\n")
                workers = self.started(collector.events(), "pool-worker")
                self.assertEqual(len(workers), 2)
                events = self.settle(collector, workers)
                for worker in workers:
                    created = self.created_for(events, worker)
                    self.assertEqual(created["role"], "pool-worker")
                    self.assertEqual(created["target"], "multiprocessing.pool.worker")
                    self.assertEqual(created["site"]["line"], line_of(path, "context.Pool(2)"))
                    exits = exits_of(events, worker)
                    # A worker may end by itself or be terminated by the pool, even after its
                    # run() ended (while a spawned interpreter shuts down): only a status
                    # that is not a signal must agree with the worker's own record.
                    if "self" in exits and exits["parent"]["exitcode"] >= 0:
                        self.assertEqual(exits["self"]["exitcode"], exits["parent"]["exitcode"])
                    for hello in hellos(events, pid=worker):  # a worker may be terminated before it says hello
                        self.assertEqual(hello["role"], "pool-worker")


class ExitPathsTest(LifecycleCase):
    def test_exit_codes_match_what_the_parent_observes(self) -> None:
        path = self.program("exits.py", '''
import multiprocessing, os, sys, time

def by_exit(code): sys.exit(code)
def by_os_exit(code): os._exit(code)
def normally(): pass
def by_error(): raise KeyError("missing")
def sleeping(ready):
    ready.set()
    time.sleep(60)

if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[1])
    ready = ctx.Event()
    procs = {
        "exit3": ctx.Process(target=by_exit, args=(3,)),
        "os_exit7": ctx.Process(target=by_os_exit, args=(7,)),
        "normal": ctx.Process(target=normally),
        "error": ctx.Process(target=by_error),
        "terminated": ctx.Process(target=sleeping, args=(ready,)),
    }
    for p in procs.values():
        p.start()
    ready.wait(30)
    procs["terminated"].terminate()
    for p in procs.values():
        p.join()
    report(children={name: [p.pid, p.exitcode] for name, p in procs.items()})
''')
        # Quiet children report themselves only when run() raised; their parent reports every status.
        expected_self = {"exit3": None, "os_exit7": None, "normal": None, "error": 1, "terminated": None}
        for method in START_METHODS:
            with self.subTest(method=method):
                collector, result = self.run_observed(path, method)
                children = report_of(result.stdout)["children"]
                self.assertEqual({k: v[1] for k, v in children.items()},
                                 {"exit3": 3, "os_exit7": 7, "normal": 0, "error": 1, "terminated": -15})
                selves = [children[name][0] for name, code in expected_self.items() if code is not None]
                events = self.settle(collector, [pid for pid, _ in children.values()], selves=selves)
                for name, (pid, exitcode) in children.items():
                    exits = exits_of(events, pid)
                    self.assertEqual(exits["parent"]["exitcode"], exitcode, name)
                    if expected_self[name] is None:
                        self.assertNotIn("self", exits, name)
                    else:
                        self.assertEqual(exits["self"]["exitcode"], expected_self[name], name)
                for name in ("exit3", "os_exit7", "normal"):
                    self.assertEqual(hellos(events, pid=children[name][0]), [], "%s stayed quiet" % name)
                    self.assertEqual([s.get("quiet") for s in of_kind(events, "process.started", child_pid=children[name][0])],
                                     [True], name)
                self.assertEqual([h["role"] for h in hellos(events, pid=children["error"][0])], ["process"],
                                 "a quiet child says hello to report the exception run() raised")
                error = exits_of(events, children["error"][0])["self"]["exception"]
                self.assertEqual((error["type"], error["message"]), ("KeyError", "'missing'"))
                terminated = children["terminated"][0]
                self.assertEqual(exits_of(events, terminated)["parent"]["signal"], "SIGTERM")
                self.assertEqual([s["method"] for s in of_kind(events, "process.signalled", child_pid=terminated)],
                                 ["terminate"])

    def test_daemon_child_terminated_at_exit_still_has_a_record(self) -> None:
        # multiprocessing terminates daemonic children in its atexit handler;
        # mpscope's own exit flush must run after it to send that record.
        path = self.program("daemon.py", '''
import multiprocessing, sys, time

def sleeping(ready):
    ready.set()
    time.sleep(60)

if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[1])
    ready = ctx.Event()
    p = ctx.Process(target=sleeping, args=(ready,), daemon=True)
    p.start()
    ready.wait(30)
    report(pid=p.pid)
''')
        for method in START_METHODS:
            with self.subTest(method=method):
                collector, result = self.run_observed(path, method)
                pid = report_of(result.stdout)["pid"]
                events = self.settle(collector, [pid])
                self.assertEqual(exits_of(events, pid)["parent"]["exitcode"], -15)
                created = self.created_for(events, pid)
                self.assertTrue(created["daemon"])


class StructureTest(LifecycleCase):
    def test_subclass_and_grandchild(self) -> None:
        path = self.program("nested.py", '''
import multiprocessing, sys

def leaf():
    pass

class Worker(multiprocessing.Process):
    def __init__(self, method):
        super().__init__(name="worker-of-" + method)
        self.method = method

    def run(self):
        ctx = multiprocessing.get_context(self.method)
        grandchild = ctx.Process(target=leaf)
        grandchild.start()
        grandchild.join()
        print("grandchild", grandchild.pid, grandchild.exitcode, flush=True)

if __name__ == "__main__":
    multiprocessing.set_start_method(sys.argv[1])
    worker = Worker(sys.argv[1])  # construction site
    worker.start()
    worker.join()
    report(worker=worker.pid, exitcode=worker.exitcode)
''')
        for method in START_METHODS:
            with self.subTest(method=method):
                collector, result = self.run_observed(path, method)
                worker = report_of(result.stdout)["worker"]
                grandchild_line = [l for l in result.stdout.decode().splitlines() if l.startswith("grandchild")][0]
                grandchild, code = int(grandchild_line.split()[1]), int(grandchild_line.split()[2])
                self.assertEqual(code, 0)
                events = self.settle(collector, [worker, grandchild])
                created = self.created_for(events, worker)
                self.assertEqual(created["class"], "__main__.Worker")
                self.assertEqual(created["target"], "__main__.Worker.run")
                self.assertEqual(created["name"], "worker-of-" + method)
                self.assertEqual(created["start_method"], method)
                self.assertEqual(created["site"]["line"], line_of(path, "# construction site"))
                inner = self.created_for(events, grandchild)
                self.assertEqual(inner["pid"], worker, "the grandchild's creator is the worker")
                self.assertTrue(inner["target"].endswith(".leaf"))
                self.assertEqual(exits_of(events, grandchild)["parent"]["pid"], worker)

    def test_helper_processes_have_their_roles(self) -> None:
        path = sample("guarded_process.py")
        helpers = {"spawn": {"resource-tracker"}, "forkserver": {"resource-tracker", "forkserver"}}
        for method in [m for m in START_METHODS if m in helpers]:
            with self.subTest(method=method):
                collector, _ = self.run_observed(path, method)

                def helpers_done(c: EventCollector) -> bool:
                    events = c._unlocked_events()
                    done = {h["role"] for h in hellos(events) if "self" in exits_of(events, h["pid"])}
                    return helpers[method] <= done

                collector.wait_for(helpers_done, "%s to say hello and exit" % helpers[method])
                events = collector.events()
                main = hellos(events, role="main")[0]["pid"]
                for role in helpers[method]:
                    helper = hellos(events, role=role)
                    self.assertEqual(len(helper), 1, role)
                    pid = helper[0]["pid"]
                    self.assertEqual(self.started(events, role), [pid], "announced by its starter")
                    self.assertEqual(self.created_for(events, pid)["pid"], main)
                    self.assertEqual(exits_of(events, pid)["self"]["exitcode"], 0)

    def test_manager_server_role(self) -> None:
        path = self.program("manager.py", '''
import multiprocessing, sys

if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[1])
    with ctx.Manager() as manager:
        shared = manager.dict()
        shared["a"] = 1
        report(value=shared["a"], pid=manager._process.pid)
''')
        for method in START_METHODS:
            with self.subTest(method=method):
                collector, result = self.run_observed(path, method)
                report = report_of(result.stdout)
                self.assertEqual(report["value"], 1)
                events = self.settle(collector, [report["pid"]], hello_from=[report["pid"]])
                created = self.created_for(events, report["pid"])
                self.assertEqual(created["role"], "manager")
                self.assertEqual(created["target"], "multiprocessing.managers.BaseManager._run_server")
                self.assertEqual(hellos(events, pid=report["pid"])[0]["role"], "manager")

    def test_executor_worker_role(self) -> None:
        path = self.program("executor.py", '''
import concurrent.futures, multiprocessing, sys

def double(n):
    return 2 * n

if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[1])
    with concurrent.futures.ProcessPoolExecutor(1, mp_context=ctx) as executor:
        value = executor.submit(double, 21).result()
        pids = [p.pid for p in executor._processes.values()]
    report(value=value, pids=pids)
''')
        for method in START_METHODS:
            with self.subTest(method=method):
                collector, result = self.run_observed(path, method)
                report = report_of(result.stdout)
                self.assertEqual(report["value"], 42)
                events = self.settle(collector, report["pids"])
                for pid in report["pids"]:
                    created = self.created_for(events, pid)
                    self.assertEqual(created["role"], "executor-worker")
                    self.assertEqual(created["site"]["line"], line_of(path, "executor.submit("))  # workers start on demand
                    self.assertEqual(exits_of(events, pid)["parent"]["exitcode"], 0)

    @unittest.skipUnless(hasattr(os, "fork"), "needs os.fork")
    def test_bare_fork_child_and_subprocess_preexec(self) -> None:
        path = self.program("bare_fork.py", '''
import os, subprocess, sys

if __name__ == "__main__":
    subprocess.run(["true"], preexec_fn=lambda: None, check=True)  # forks, then execs: not a "fork" process
    pid = os.fork()
    if pid == 0:
        os._exit(5)
    _, status = os.waitpid(pid, 0)
    report(pid=pid, code=os.WEXITSTATUS(status))
''')
        collector, result = self.run_observed(path, "unused")
        report = report_of(result.stdout)
        self.assertEqual(report["code"], 5)
        collector.wait_for(lambda c: any(s.pid == report["pid"] and s.closed for s in c.accepted()),
                           "the forked child's stream")
        collector.wait_for(lambda c: all(s.closed for s in c.streams), "all streams closed")
        self.check_streams(collector)
        events = collector.events()
        forks = hellos(events, role="fork")
        self.assertEqual([h["pid"] for h in forks], [report["pid"]])
        main = hellos(events, role="main")[0]
        self.assertEqual(forks[0]["ppid"], main["pid"])


    @unittest.skipUnless(hasattr(os, "fork"), "needs os.fork")
    def test_a_debugger_wrapping_os_fork_does_not_turn_processes_into_bare_forks(self) -> None:
        # debugpy (subProcess on) replaces os.fork with a function of its pydevd modules: the frame
        # that calls the real fork is theirs, multiprocessing's fork Popen is one frame further up.
        self.tmp.write("_pydev_bundle/__init__.py", "")
        self.tmp.write("_pydev_bundle/pydev_monkey.py", '''
import os

_original_fork = os.fork


def new_fork():
    return _original_fork()
''')
        path = self.program("debugged_fork.py", '''
import multiprocessing, os, sys
from _pydev_bundle import pydev_monkey

def work():
    raise KeyError("said hello to report this")  # a quiet child that has something to say

if __name__ == "__main__":
    os.fork = pydev_monkey.new_fork
    p = multiprocessing.get_context("fork").Process(target=work)
    p.start()
    p.join()
    pid = os.fork()
    if pid == 0:
        os._exit(4)
    os.waitpid(pid, 0)
    report(process=p.pid, bare=pid)
''')
        collector, result = self.run_observed(path, "fork")
        report = report_of(result.stdout)
        events = self.settle(collector, [report["process"]], hello_from=[report["process"], report["bare"]])
        self.assertEqual([(h["role"], h.get("start_method")) for h in hellos(events, pid=report["process"])],
                         [("process", "fork")])
        self.assertEqual([h["role"] for h in hellos(events, pid=report["bare"])], ["fork"])
        self.assertEqual(exits_of(events, report["bare"])["self"]["exitcode"], 4)


class RobustnessTest(LifecycleCase):
    def test_a_failing_hook_disables_itself_and_reports_once(self) -> None:
        path = self.program("sabotage.py", '''
import multiprocessing, sys

def work(n):
    print("work", n, flush=True)

if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[1])
    hooks = sys.modules["mpscope.hooks.process"]
    def broken(*args):
        raise RuntimeError("sabotaged")
    hooks.describe_target = broken  # used when a Process is constructed
    pids = []
    for n in range(3):
        p = ctx.Process(target=work, args=(n,))
        p.start()
        p.join()
        pids.append([p.pid, p.exitcode])
    report(children=pids)
''')
        for method in START_METHODS:
            with self.subTest(method=method):
                collector, result = self.run_observed(path, method)
                self.assertEqual([l for l in result.stdout.decode().splitlines() if l.startswith("work")],
                                 ["work 0", "work 1", "work 2"])
                self.assertEqual(result.stderr, b"")
                children = report_of(result.stdout)["children"]
                events = self.settle(collector, [pid for pid, _ in children])
                errors = of_kind(events, "runtime.error")
                self.assertEqual(len(errors), 1, errors)
                self.assertEqual(errors[0]["where"], "process.__init__")
                self.assertIn("sabotaged", errors[0]["message"])
                for pid, exitcode in children:
                    self.assertEqual(exitcode, 0)
                    self.assertEqual(exits_of(events, pid)["parent"]["exitcode"], 0)
                    self.created_for(events, pid)  # the start hook still works

    def test_argument_capture_is_off_by_default_and_bounded_when_on(self) -> None:
        path = self.program("args.py", '''
import multiprocessing, sys

def work(*args, **kwargs):
    pass

if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[1])
    p = ctx.Process(target=work, args=("secret", "x" * 100000), kwargs={"k": 2})
    p.start()
    p.join()
    report(pid=p.pid)
''')
        method = START_METHODS[0]
        collector, result = self.run_observed(path, method)
        events = self.settle(collector, [report_of(result.stdout)["pid"]])
        self.assertNotIn("args", of_kind(events, "process.created")[0])
        collector, result = self.run_observed(path, method, MPSCOPE_OPTIONS='{"capture_args": true}')
        events = self.settle(collector, [report_of(result.stdout)["pid"]])
        args = of_kind(events, "process.created")[0]["args"]
        self.assertTrue(args.startswith("(('secret', "), args)
        self.assertLessEqual(len(args), 4096)


if __name__ == "__main__":
    unittest.main()
