import unittest

from mpscope.launcher.runmodel import (
    STATE_EXITED,
    STATE_FAILED,
    STATE_KILLED,
    STATE_LOST,
    STATE_RUNNING,
    RunModel,
)
from mpscope.launcher.summary import render


def hello(pid, ppid, role, **extra):
    event = {"v": 1, "kind": "hello", "t": float(pid), "pid": pid, "ppid": ppid, "role": role, "token": "t" * 32}
    event.update(extra)
    return event


def created(pid, proc, name, role="process", **extra):
    event = {"v": 1, "kind": "process.created", "t": float(pid), "pid": pid, "proc": proc, "name": name,
             "role": role, "start_method": "fork"}
    event.update(extra)
    return event


def started(pid, proc, child, t=None):
    return {"v": 1, "kind": "process.started", "t": float(child if t is None else t), "pid": pid, "proc": proc,
            "child_pid": child}


def exited(pid, reporter, code, child=None, **extra):
    event = {"v": 1, "kind": "process.exited", "t": 1.0, "pid": pid, "reporter": reporter, "exitcode": code}
    if child is not None:
        event["child_pid"] = child
    event.update(extra)
    return event


def model_of(*events):
    model = RunModel()
    for event in events:
        model.add(event)
    return model


class RunModelTest(unittest.TestCase):
    def test_exit_records_merge_parent_first_exception_from_self(self):
        exception = {"type": "ValueError", "message": "boom"}
        model = model_of(
            hello(10, 1, "main"),
            exited(11, "self", 0, exception=exception),  # run() ended, then the pool killed it
            exited(10, "parent", -15, child=11, signal="SIGTERM"),
        )
        child = model.processes[11]
        self.assertEqual((child.exitcode, child.signal, child.state), (-15, "SIGTERM", STATE_KILLED))
        self.assertEqual(child.exception, exception)

    def test_states(self):
        model = model_of(hello(1, 0, "main"), hello(2, 1, "process"), hello(3, 1, "process"), hello(4, 1, "process"))
        model.add(exited(1, "parent", 0, child=2))
        model.add(exited(1, "parent", 2, child=3))
        self.assertEqual(model.processes[2].state, STATE_EXITED)
        self.assertEqual(model.processes[3].state, STATE_FAILED)
        self.assertEqual(model.processes[4].state, STATE_RUNNING)
        model.stream_closed(4)
        self.assertEqual(model.processes[4].state, STATE_LOST)
        self.assertEqual([r.pid for r in model.lost_processes()], [4])
        model.add(exited(99, "collector", None, child=4))
        self.assertEqual(model.processes[4].state, STATE_LOST)
        model.add(exited(1, "parent", -9, child=4, signal="SIGKILL"))  # a later parent record supersedes lost
        self.assertEqual(model.processes[4].state, STATE_KILLED)

    def test_a_process_that_died_before_its_hello_is_settled_and_lost(self):
        # pid 3 is known from its parent only: it never said hello, so no stream will ever close.
        model = model_of(hello(1, 0, "main"), created(1, "p-1", "quiet"), started(1, "p-1", 3), hello(2, 1, "process"))
        model.add(exited(1, "parent", 0, child=2))
        model.stream_closed(1)
        model.stream_closed(2)
        self.assertFalse(model.settled())
        self.assertFalse(model.settled(lambda pid: False), "still running as far as anyone knows")
        self.assertTrue(model.settled(lambda pid: pid == 3))
        self.assertEqual([r.pid for r in model.lost_processes()], [1])
        self.assertEqual([r.pid for r in model.lost_processes(lambda pid: pid == 3)], [1, 3])
        # A process that said hello is settled by its stream, never by the OS's word alone.
        model = model_of(hello(1, 0, "main"))
        self.assertFalse(model.settled(lambda pid: True))

    def test_tree_uses_the_starter_and_hides_the_launcher(self):
        model = model_of(
            hello(5, 1, "launcher"),
            hello(10, 5, "main"),
            created(10, "10-1", "ForkServer", role="forkserver"),
            started(10, "10-1", 11),
            hello(11, 10, "forkserver"),
            created(10, "10-2", "Worker"),
            started(10, "10-2", 12),
            hello(12, 11, "process"),  # OS parent: the forkserver; logical parent: main
        )
        self.assertEqual([r.pid for r in model.roots()], [10])
        self.assertEqual([r.pid for r in model.children(10)], [11, 12])
        self.assertEqual(model.children(11), [])
        self.assertFalse(model.settled())
        model.add(exited(5, "launcher", 0, child=10))
        model.add(exited(11, "self", 0))
        model.add(exited(10, "parent", 0, child=12))
        self.assertTrue(model.settled())

    def test_render(self):
        model = model_of(
            hello(9, 1, "launcher"),
            hello(10, 9, "main", argv=["/x/prog.py"]),
            created(10, "10-1", "Process-1", target="__main__.work"),
            started(10, "10-1", 11),
            created(10, "10-2", "Process-2", target="__main__.work"),
            started(10, "10-2", 12),
            exited(11, "self", 1, exception={"type": "ValueError", "message": "boom\nmore"}, t=11.25),
            exited(10, "parent", 1, child=11, t=11.5),
            exited(10, "parent", -9, child=12, signal="SIGKILL", t=75.0),
            exited(9, "launcher", 0, child=10, t=100.0),
        )
        self.assertEqual(render(model), [
            "mpscope: 3 processes",
            "10 prog.py [main] exit 0 after 1m30s",
            "├── 11 Process-1 [process, fork] __main__.work exit 1 after 250ms · ValueError: boom",
            "└── 12 Process-2 [process, fork] __main__.work killed by SIGKILL (-9) after 1m03s",
        ])
        self.assertEqual(render(model, ascii_only=True, problems={"malformed": 2})[2:], [
            "|-- 11 Process-1 [process, fork] __main__.work exit 1 after 250ms · ValueError: boom",
            "`-- 12 Process-2 [process, fork] __main__.work killed by SIGKILL (-9) after 1m03s",
            "mpscope: dropped collector input: 2 malformed",
        ])

    def test_reused_pid_cycle_does_not_hang(self):
        model = model_of(hello(1, 2, "process"), hello(2, 1, "process"))
        self.assertEqual(len(render(model)), 3)


if __name__ == "__main__":
    unittest.main()
