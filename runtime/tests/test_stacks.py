"""Hang diagnosis inside real programs: every process answers with the stacks of all its threads.

The programs block in C (a deadlocked multiprocessing Lock in the child, a read of
stdin in the main process) and are released by the test through stdin, so every
run ends normally; its exit code shows that asking changed nothing.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import unittest
from typing import Any, Callable, Dict, List, Optional, Tuple

from mpscope.stackdump import parse_last_dump
from tests.support import (
    PYTHON,
    START_METHODS,
    VALIDATOR,
    WAIT,
    EventCollector,
    TempDir,
    TempDirCase,
    exits_of,
    hellos,
    hooked_env,
    of_kind,
)

POSIX = sys.platform != "win32"

BLOCKED = '''
import json, multiprocessing, signal, sys, threading, time

def blocked(lock, ready):
    lock.acquire()
    ready.set()
    lock.acquire()  # deadlocked child
    lock.release()

def napping(stop):
    stop.wait(120)

if __name__ == "__main__":
    ctx = multiprocessing.get_context(sys.argv[1])
    lock, ready = ctx.Lock(), ctx.Event()
    child = ctx.Process(target=blocked, args=(lock, ready), name="stuck")
    child.start()
    ready.wait(60)
    stop = threading.Event()
    threading.Thread(target=napping, args=(stop,), name="napper", daemon=True).start()
    print(json.dumps({
        "child": child.pid,
        "threads": threading.active_count(),
        "urg": {"default": signal.getsignal(signal.SIGURG) == signal.SIG_DFL,
                "ignored": signal.getsignal(signal.SIGURG) == signal.SIG_IGN} if hasattr(signal, "SIGURG") else None,
        "quit": {"default": signal.getsignal(signal.SIGQUIT) == signal.SIG_DFL,
                 "ignored": signal.getsignal(signal.SIGQUIT) == signal.SIG_IGN} if hasattr(signal, "SIGQUIT") else None,
    }), flush=True)
    sys.stdin.readline()  # main blocked in C until the test is done
    lock.release()
    child.join()
    stop.set()
    print("child exit", child.exitcode, flush=True)
'''

THREADED_STARTS = '''
import json, multiprocessing, os, sys, threading

def waiting(go):
    go.wait(120)

if __name__ == "__main__":
    ctx = multiprocessing.get_context("fork")
    go = ctx.Event()
    children, lock = [], threading.Lock()

    def starter():
        for _ in range(15):
            child = ctx.Process(target=waiting, args=(go,))
            child.start()
            with lock:
                children.append(child)

    threads = [threading.Thread(target=starter) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps([child.pid for child in children]), flush=True)
    sys.stdin.readline()
    go.set()
    for child in children:
        child.join()
    fds = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            fds.append(os.readlink("/proc/self/fd/" + fd))
        except OSError:
            pass
    print(json.dumps({"codes": [child.exitcode for child in children], "fds": fds}), flush=True)
'''

MAIN_LINE = "sys.stdin.readline()  # main blocked"
CHILD_LINE = "lock.acquire()  # deadlocked child"


def read_text(path: str) -> str:
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def line_number(text: str, fragment: str) -> int:
    return [n for n, line in enumerate(text.splitlines(), 1) if fragment in line][0]


def wait_until(condition: Callable[[], Any], what: str, timeout: float = WAIT) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %.0fs waiting for %s" % (timeout, what))
        time.sleep(0.05)


def frames_of(dump: Optional[Dict[str, Any]]) -> List[Dict[str, Any]]:
    return [f for t in (dump or {}).get("threads", []) for f in t["frames"]]


class BlockedProgram:
    """The BLOCKED program under a test collector, released on close()."""

    def __init__(self, case: unittest.TestCase, tmp: TempDir, method: str, options: Dict[str, Any],
                 preexec: Optional[Callable[[], None]] = None) -> None:
        self.path = tmp.write("blocked.py", BLOCKED)
        self.collector = EventCollector()
        case.addCleanup(self.collector.close)
        env = hooked_env(self.collector, MPSCOPE_OPTIONS=json.dumps(options))
        self.process = subprocess.Popen([PYTHON, self.path, method], env=env, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, preexec_fn=preexec)
        self.child = 0
        case.addCleanup(self._kill)
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            self._kill()
            raise AssertionError("the program ended early: %r" % (self.process.communicate()[1],))
        self.report = json.loads(line)
        self.child = self.report["child"]

    def main_pid(self) -> int:
        return self.process.pid

    def hello_of(self, pid: int) -> Dict[str, Any]:
        self.collector.wait_for(lambda c: bool(hellos(c._unlocked_events(), pid=pid)), "the hello of %d" % pid)
        return hellos(self.collector.events(), pid=pid)[0]

    def quiet_start_of(self, pid: int) -> Dict[str, Any]:
        """The parent's ``process.started`` of a quiet child (which says no hello of its own)."""
        self.collector.wait_for(lambda c: bool(of_kind(c._unlocked_events(), "process.started", child_pid=pid)),
                                "the start of %d" % pid)
        started = of_kind(self.collector.events(), "process.started", child_pid=pid)[0]
        assert started.get("quiet") is True, started
        return started

    def release(self) -> Tuple[bytes, bytes, int]:
        stdout, stderr = self.process.communicate(b"\n", timeout=WAIT)
        return stdout, stderr, self.process.returncode

    def _kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            if self.child:
                try:
                    os.kill(self.child, signal.SIGKILL)
                except OSError:
                    pass
        if self.process.returncode is None or not self.process.stdout.closed:  # type: ignore[union-attr]
            self.process.communicate()


@unittest.skipUnless(POSIX and hasattr(signal, "SIGURG"), "the signal path is POSIX")
class SignalPathTest(TempDirCase):

    def stacks_dir(self, name: str) -> str:
        path = os.path.join(self.tmp.path, name)
        os.makedirs(path, mode=0o700)
        return path

    def read_dump(self, path: str, function: str) -> Dict[str, Any]:
        def dumped() -> Optional[Dict[str, Any]]:
            with open(path, encoding="ascii") as handle:
                dump = parse_last_dump(handle.read())
            return dump if any(f["function"] == function for f in frames_of(dump)) else None

        return wait_until(dumped, "a dump showing %s in %s" % (function, path))

    def dump_at(self, pid: int, path: str, file: str, line: int) -> Dict[str, Any]:
        """Ask ``pid`` (SIGURG) until its main thread's innermost frame in ``file`` is at ``line``.

        The program reports that it is ready just before it blocks: a first
        answer may show it on its way there.
        """
        def answered() -> Optional[Dict[str, Any]]:
            size = os.path.getsize(path)
            os.kill(pid, signal.SIGURG)
            wait_until(lambda: os.path.getsize(path) > size, "an answer from %d" % pid)
            time.sleep(0.2)  # the dump has no end marker: give the writer time to finish (re-checked below)
            with open(path, encoding="ascii") as handle:
                dump = parse_last_dump(handle.read())
            main = (dump or {}).get("threads", [{}])[0]
            mine = [f for f in main.get("frames", []) if f["file"] == file]
            return dump if main.get("main") and mine and mine[0]["line"] == line else None

        return wait_until(answered, "%d's main thread at %s:%d" % (pid, file, line))

    def test_every_process_dumps_all_threads_on_request(self) -> None:
        for method in START_METHODS:
            with self.subTest(method=method):
                directory = self.stacks_dir("all-" + method)
                program = BlockedProgram(self, self.tmp, method, {"stacks_dir": directory, "stacks_on_sigquit": True})
                text = read_text(program.path)
                # What the program sees of its signals is unchanged, and mpscope added no thread.
                self.assertEqual(program.report["urg"], {"default": True, "ignored": False})
                self.assertEqual(program.report["quit"], {"default": True, "ignored": False})
                self.assertEqual(program.report["threads"], 2)
                main_hello = program.hello_of(program.main_pid())
                # The child is quiet: its parent said how to ask it, and it registered that file.
                child_hello = program.quiet_start_of(program.child)
                wait_until(lambda: os.path.exists(child_hello["stacks"]["file"]), "the child's dump file")
                for hello in (main_hello, child_hello):
                    VALIDATOR.check(hello)
                    support = hello["stacks"]
                    self.assertEqual((support["via"], support["signal"], support["sigquit"]), ("signal", "SIGURG", True))
                    self.assertEqual(os.path.dirname(support["file"]), directory)
                self.assertNotEqual(main_hello["stacks"]["file"], child_hello["stacks"]["file"])

                main_dump = self.dump_at(program.main_pid(), main_hello["stacks"]["file"], program.path,
                                         line_number(text, MAIN_LINE))
                child_dump = self.dump_at(program.child, child_hello["stacks"]["file"], program.path,
                                          line_number(text, CHILD_LINE))
                self.assertEqual([f["function"] for f in child_dump["threads"][0]["frames"]
                                  if f["file"] == program.path][0], "blocked")
                napper = [t for t in main_dump["threads"] if any(f["function"] == "napping" for f in t["frames"])]
                self.assertEqual(len(napper), 1, "the other thread is in the dump too")
                self.assertFalse(napper[0].get("main"))

                # Ctrl-\ (SIGQUIT) makes the child dump again instead of dying.
                size = os.path.getsize(child_hello["stacks"]["file"])
                os.kill(program.child, signal.SIGQUIT)
                wait_until(lambda: os.path.getsize(child_hello["stacks"]["file"]) > size, "the SIGQUIT dump")

                stdout, stderr, returncode = program.release()
                self.assertEqual(returncode, 0, stderr)
                self.assertEqual(stdout.splitlines()[-1], b"child exit 0")

    @unittest.skipUnless("fork" in START_METHODS and os.path.isdir("/proc/self/fd"), "fork, and /proc to list descriptors")
    def test_children_started_by_threads_at_once_each_answer_into_their_own_file(self) -> None:
        # Several threads starting quiet children at once: each child still registers a file of
        # its own, the parent's process.started names that file, and the parent opens none of them.
        path = self.tmp.write("threads.py", THREADED_STARTS)
        collector = EventCollector()
        self.addCleanup(collector.close)
        env = hooked_env(collector, MPSCOPE_OPTIONS=json.dumps({"stacks_dir": self.stacks_dir("threads")}))
        process = subprocess.Popen([PYTHON, path], env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                   stderr=subprocess.PIPE)
        self.addCleanup(lambda: process.poll() is None and process.kill())
        assert process.stdout is not None
        pids = json.loads(process.stdout.readline())
        self.assertEqual(len(pids), 4 * 15)
        files = {}
        for pid in pids:
            collector.wait_for(lambda c: bool(of_kind(c._unlocked_events(), "process.started", child_pid=pid)),
                               "the start of %d" % pid)
            started = of_kind(collector.events(), "process.started", child_pid=pid)[0]
            files[pid] = started["stacks"]["file"]
        self.assertEqual(len(set(files.values())), len(pids), "one file per child")
        for pid, file in files.items():
            size = os.path.getsize(file)
            os.kill(pid, signal.SIGURG)
            wait_until(lambda: os.path.getsize(file) > size, "an answer from %d in %s" % (pid, file))
            self.read_dump(file, "waiting")
        stdout, stderr = process.communicate(b"\n", timeout=WAIT)
        self.assertEqual(process.returncode, 0, stderr)
        result = json.loads(stdout.splitlines()[-1])
        self.assertEqual(result["codes"], [0] * len(pids))
        self.assertEqual([f for f in result["fds"] if f in files.values()], [], "the parent keeps no child's file open")
        self.assertEqual(of_kind(collector.events(), "runtime.error"), [])

    def test_a_signal_the_program_inherited_as_ignored_stays_ignored(self) -> None:
        method = START_METHODS[0]

        def ignore_quit() -> None:
            signal.signal(signal.SIGQUIT, signal.SIG_IGN)

        program = BlockedProgram(self, self.tmp, method,
                                 {"stacks_dir": self.stacks_dir("quit-ignored"), "stacks_on_sigquit": True}, ignore_quit)
        self.assertEqual(program.report["quit"], {"default": False, "ignored": True})
        hello = program.hello_of(program.main_pid())
        self.assertFalse(hello["stacks"]["sigquit"])
        os.kill(program.main_pid(), signal.SIGQUIT)  # still ignored: nothing happens
        os.kill(program.main_pid(), signal.SIGURG)
        self.read_dump(hello["stacks"]["file"], "<module>")
        stdout, stderr, returncode = program.release()
        self.assertEqual(returncode, 0, stderr)

        def ignore_both() -> None:
            signal.signal(signal.SIGQUIT, signal.SIG_IGN)
            signal.signal(signal.SIGURG, signal.SIG_IGN)

        program = BlockedProgram(self, self.tmp, method, {"stacks_dir": self.stacks_dir("both-ignored")}, ignore_both)
        self.assertEqual(program.report["urg"], {"default": False, "ignored": True})
        self.assertNotIn("stacks", program.hello_of(program.main_pid()), "the request signal is not ours: no dumps")
        self.assertEqual(os.listdir(os.path.join(self.tmp.path, "both-ignored")), [])
        stdout, stderr, returncode = program.release()
        self.assertEqual(returncode, 0, stderr)

    def test_without_a_stacks_dir_nothing_is_registered(self) -> None:
        program = BlockedProgram(self, self.tmp, START_METHODS[0], {})
        self.assertNotIn("stacks", program.hello_of(program.main_pid()))
        self.assertNotIn("stacks", program.quiet_start_of(program.child))
        stdout, stderr, returncode = program.release()
        self.assertEqual(returncode, 0, stderr)


class RequestPathTest(unittest.TestCase):
    """The Windows path (a reader thread answering request lines), exercised here on any platform."""

    def test_request_lines_get_stacks_events_with_thread_names(self) -> None:
        tmp = TempDir()
        self.addCleanup(tmp.cleanup)
        method = START_METHODS[0]
        program = BlockedProgram(self, tmp, method, {"stacks_via": "request"})
        text = read_text(program.path)
        self.assertEqual(program.report["threads"], 2, "the reader thread is not one of threading's")
        numbers = iter(range(1000))

        def ask(pid: int, line: int) -> Optional[Dict[str, Any]]:
            """One request; its answer when the main thread is at ``line`` in the program (else None)."""
            request_id = "r-%d-%d" % (pid, next(numbers))
            program.collector.send_line(pid, b'{"kind": "nonsense"}\n')  # ignored
            program.collector.send_line(pid, json.dumps({"kind": "request.stacks", "id": request_id}).encode() + b"\n")
            program.collector.wait_for(lambda c: bool(of_kind(c._unlocked_events(), "stacks", request=request_id)),
                                       "the answer to " + request_id)
            event = of_kind(program.collector.events(), "stacks", request=request_id)[0]
            mine = [f for f in event["threads"][0]["frames"] if f["file"] == program.path]
            return event if mine and mine[0]["line"] == line else None

        for pid in (program.main_pid(), program.child):
            self.assertEqual(program.hello_of(pid)["stacks"], {"via": "request"})
        main = wait_until(lambda: ask(program.main_pid(), line_number(text, MAIN_LINE)), "the main process at its read")
        child = wait_until(lambda: ask(program.child, line_number(text, CHILD_LINE)), "the child at its lock")
        for event in (main, child):
            VALIDATOR.check(event)
            self.assertEqual((event["reporter"], event["reason"]), ("self", "request"))
        self.assertEqual(main["pid"], program.main_pid())
        names = {t.get("name") for t in main["threads"]}
        self.assertEqual(names, {"MainThread", "napper"}, "the reader thread leaves itself out")
        self.assertTrue(main["threads"][0]["main"])
        self.assertEqual(child["pid"], program.child)
        stdout, stderr, returncode = program.release()
        self.assertEqual(returncode, 0, stderr)
        self.assertEqual(stdout.splitlines()[-1], b"child exit 0")
        program.collector.wait_for(lambda c: "parent" in exits_of(c._unlocked_events(), program.child),
                                   "the child's exit record")


if __name__ == "__main__":
    unittest.main()
