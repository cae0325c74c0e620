"""Who the collector asks for stacks, and what it makes of the answers (launcher/stackrequest.py).

Real processes stand in for a program's: one that registered faulthandler like
the hooks do, and witnesses that print when SIGURG reaches them. Only a process
whose hello advertised a dump file in the collector's own directory, and whose
stream is still open, may be signalled; every other running process is listed
with the reason it cannot be asked.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import unittest
from typing import Any, Dict, List

from mpscope.launcher.collector import Collector
from mpscope.launcher.runmodel import RunModel
from mpscope.launcher.stackrequest import StackRequester
from tests.support import PYTHON, VALIDATOR, WAIT, clean_env

WITNESS = textwrap.dedent('''
    import signal, sys, time
    signal.signal(signal.SIGURG, lambda *args: print("GOT SIGURG", flush=True))
    print("ready", flush=True)
    sys.stdin.readline()
''')

DUMPER = textwrap.dedent('''
    import faulthandler, os, signal, sys
    fd = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    faulthandler.register(signal.SIGURG, fd, all_threads=True, chain=False)
    def waiting_for_stdin():
        print("ready", flush=True)
        sys.stdin.readline()
    waiting_for_stdin()
''')


@unittest.skipIf(sys.platform == "win32", "the signal path is POSIX")
class StackRequesterTest(unittest.TestCase):
    def setUp(self) -> None:
        self.model = RunModel()
        self.emitted: List[Dict[str, Any]] = []
        self.collector = Collector("t" * 64, lambda event, line: self.model.add(event), self.model.stream_closed)
        self.collector.start()
        self.addCleanup(self.collector.stop)
        self.requester = StackRequester(self.collector, self.model, self.emit)

    def emit(self, kind: str, fields: Dict[str, Any]) -> None:
        event = dict(fields, v=1, kind=kind, t=1.0, pid=os.getpid())
        VALIDATOR.check(event)
        self.emitted.append(event)

    def start(self, code: str, *args: str) -> "subprocess.Popen[bytes]":
        process = subprocess.Popen([PYTHON, "-c", code] + list(args), env=clean_env(), stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE)
        assert process.stdout is not None

        def stop() -> None:
            process.kill()
            process.wait()
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()

        self.addCleanup(stop)
        self.assertEqual(process.stdout.readline(), b"ready\n")
        return process

    def deliver(self, event: Dict[str, Any]) -> None:
        event = dict(event, v=1, t=1.0)
        self.collector.deliver(event, b"")

    def hello(self, pid: int, stacks: Any = None) -> None:
        event: Dict[str, Any] = {"kind": "hello", "pid": pid, "ppid": os.getpid(), "role": "process", "token": "t" * 32,
                                 "python": "3", "runtime": "0"}
        if stacks is not None:
            event["stacks"] = stacks
        self.deliver(event)

    def test_only_processes_that_can_answer_are_asked(self) -> None:
        directory = self.collector.directory
        assert directory is not None
        dump_file = os.path.join(directory, "stacks-dumper.txt")
        dumper = self.start(DUMPER, dump_file)
        never_said_hello = self.start(WITNESS)
        no_stacks = self.start(WITNESS)
        foreign_file = self.start(WITNESS)
        closed = self.start(WITNESS)
        exited = self.start(WITNESS)
        self.hello(os.getpid())  # the parent: says hello, offers no stacks
        self.deliver({"kind": "process.created", "pid": os.getpid(), "proc": "x-1", "name": "p", "role": "process",
                      "start_method": "spawn"})
        self.deliver({"kind": "process.started", "pid": os.getpid(), "proc": "x-1", "child_pid": never_said_hello.pid})
        self.hello(no_stacks.pid)
        self.hello(foreign_file.pid, {"via": "signal", "signal": "SIGURG", "file": "/tmp/elsewhere.txt"})
        for witness in (closed, exited):
            self.hello(witness.pid, {"via": "signal", "signal": "SIGURG",
                                     "file": os.path.join(directory, "stacks-%d.txt" % witness.pid)})
        self.collector.call_locked(lambda: self.model.stream_closed(closed.pid))
        self.deliver({"kind": "process.exited", "pid": os.getpid(), "reporter": "parent", "exitcode": 0,
                      "child_pid": exited.pid})
        self.hello(dumper.pid, {"via": "signal", "signal": "SIGURG", "file": dump_file, "sigquit": False})

        answers = dict((record.pid, event) for record, event in self.requester.request("request"))
        # Only the dumper is signalled; every other running process is listed with the reason.
        reasons = {
            never_said_hello.pid: "without mpscope's hooks",
            no_stacks.pid: "offered no way",
            foreign_file.pid: "not in this run's directory",
            closed.pid: "stream closed",
            os.getpid(): "offered no way",
        }
        self.assertEqual(sorted(answers), sorted([dumper.pid] + list(reasons)), "the exited one is not listed")
        for pid, reason in reasons.items():
            self.assertEqual(answers[pid]["threads"], [])
            self.assertIn(reason, answers[pid]["error"])
        event = answers[dumper.pid]
        self.assertEqual((event["reporter"], event["child_pid"], event["reason"]), ("collector", dumper.pid, "request"))
        self.assertNotIn("error", event)
        main = event["threads"][0]
        self.assertTrue(main["main"])
        self.assertEqual([f["function"] for f in main["frames"]], ["waiting_for_stdin", "<module>"])
        self.assertEqual(sorted(e["child_pid"] for e in self.emitted), sorted(answers))
        for event in self.emitted:
            VALIDATOR.check(dict(event, v=1, kind="stacks", t=0.0, pid=os.getpid()))

        # A second request reads only the new dump.
        again = dict((record.pid, event) for record, event in self.requester.request("timer"))
        self.assertEqual(len(again[dumper.pid]["threads"]), 1)

        for witness in (never_said_hello, no_stacks, foreign_file, closed, exited):
            witness.stdin.close()  # type: ignore[union-attr]
            output = witness.stdout.read()  # type: ignore[union-attr]
            witness.wait(WAIT)
            self.assertEqual(output, b"", "pid %d was signalled" % witness.pid)

    def test_a_process_that_does_not_answer(self) -> None:
        directory = self.collector.directory
        assert directory is not None
        silent = self.start(WITNESS)  # takes SIGURG itself: no dump ever comes
        path = os.path.join(directory, "stacks-%d.txt" % silent.pid)
        open(path, "w").close()
        self.hello(silent.pid, {"via": "signal", "signal": "SIGURG", "file": path})
        answers = self.requester.request("request", timeout=1.0)
        self.assertEqual(len(answers), 1)
        event = answers[0][1]
        self.assertEqual((event["threads"], event["error"]), ([], "no answer within 1.0 s"))
        silent.stdin.close()  # type: ignore[union-attr]
        self.assertEqual(silent.stdout.read(), b"GOT SIGURG\n")  # type: ignore[union-attr]
        silent.wait(WAIT)


if __name__ == "__main__":
    unittest.main()
