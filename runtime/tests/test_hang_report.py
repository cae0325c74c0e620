"""The launcher's hang report: Ctrl-\\ (SIGQUIT to the foreground process group) and --dump-after.

The program is the one of test_stacks (a deadlocked child, a main process blocked
reading stdin); the test releases it through stdin once the report is printed,
so the run ends normally and its exit code shows that nothing died.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import unittest
from typing import List, Tuple

from tests.support import (
    PYTHON,
    START_METHODS,
    VALIDATOR,
    WAIT,
    TempDirCase,
    launcher_env,
    of_kind,
    parse_jsonl,
)
from tests.test_stacks import BLOCKED

LAUNCH = ["-m", "mpscope", "run"]


class StderrLines:
    """The launcher's stderr, read as it comes."""

    def __init__(self, stream: "subprocess.IO[bytes]") -> None:  # type: ignore[name-defined]
        self.lines: List[str] = []
        self._cond = threading.Condition()
        self._thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._thread.start()

    def _read(self, stream: "subprocess.IO[bytes]") -> None:  # type: ignore[name-defined]
        for raw in stream:
            with self._cond:
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self._cond.notify_all()
        with self._cond:
            self.lines.append("<EOF>")
            self._cond.notify_all()

    def wait_for(self, pattern: str) -> int:
        regex = re.compile(pattern)
        with self._cond:
            found = self._cond.wait_for(lambda: any(regex.search(l) for l in self.lines) or "<EOF>" in self.lines, WAIT)
            if not found or not any(regex.search(l) for l in self.lines):
                raise AssertionError("no %r in the launcher's stderr:\n%s" % (pattern, "\n".join(self.lines)))
            return [i for i, l in enumerate(self.lines) if regex.search(l)][0]

    def text(self) -> str:
        self._thread.join(WAIT)
        with self._cond:
            return "\n".join(self.lines)


def wait_until_hooked(pgid: int) -> None:
    """Until every process of the group but the launcher has mpscope's handlers (Linux: /proc).

    A process that Ctrl-\\ reaches while it is still starting up, before its
    hooks are installed, ends as it would without mpscope; the test waits
    that moment out.
    """
    if not os.path.exists("/proc/self/status"):
        return
    urg_bit = 1 << (signal.SIGURG - 1)

    def caught(pid: str) -> bool:
        try:
            with open("/proc/%s/status" % pid) as handle:
                fields = dict(line.split(":", 1) for line in handle if ":" in line)
            return bool(int(fields["SigCgt"].strip(), 16) & urg_bit)
        except (OSError, KeyError, ValueError):
            return True  # gone

    def members() -> List[str]:
        found = []
        for name in os.listdir("/proc"):
            if name.isdigit() and int(name) != pgid:
                try:
                    if os.getpgid(int(name)) == pgid:
                        found.append(name)
                except OSError:
                    pass
        return found

    deadline = time.monotonic() + WAIT
    while not all(caught(pid) for pid in members()):
        if time.monotonic() > deadline:
            raise AssertionError("processes of group %d never installed mpscope's handlers" % pgid)
        time.sleep(0.05)


def wait_for_hello(output: str, role: str) -> None:
    """Until the launcher has written the ``hello`` of a process with ``role`` to ``output``.

    A helper's SIGURG handler is installed before it knows its role and says
    hello; Ctrl-\\ in that window finds a process the launcher cannot name yet.
    """
    deadline = time.monotonic() + WAIT
    pattern = ('"role":"%s"' % role).encode()
    while time.monotonic() < deadline:
        try:
            with open(output, "rb") as handle:
                if pattern in handle.read():
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise AssertionError("no hello from a %s in %s" % (role, output))


def section(lines: List[str], header: str) -> List[str]:
    """The lines of one process in a stacks report, from its header to the next process."""
    start = [i for i, l in enumerate(lines) if l.startswith(header)][0]
    end = start + 1
    while end < len(lines) and lines[end].startswith("  "):
        end += 1
    return lines[start:end]


@unittest.skipIf(sys.platform == "win32", "POSIX signals and process groups")
class HangReportTest(TempDirCase):
    @classmethod
    def setUpClass(cls) -> None:
        super().setUpClass()
        cls.program = cls.tmp.write("blocked.py", BLOCKED)

    def launch(self, *options: str, method: str) -> "Tuple[subprocess.Popen[bytes], StderrLines]":
        launcher = subprocess.Popen([PYTHON] + LAUNCH + list(options) + [self.program, method], env=launcher_env(),
                                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    start_new_session=True)  # its own process group, like a terminal's job

        errors = StderrLines(launcher.stderr)  # type: ignore[arg-type]

        def stop() -> None:
            if launcher.poll() is None:
                os.killpg(launcher.pid, signal.SIGKILL)
            launcher.wait()
            errors.text()  # read to the end
            for stream in (launcher.stdin, launcher.stdout, launcher.stderr):
                if stream is not None:
                    stream.close()

        self.addCleanup(stop)
        return launcher, errors

    def finish(self, launcher: "subprocess.Popen[bytes]", errors: StderrLines) -> "Tuple[str, str]":
        assert launcher.stdin is not None and launcher.stdout is not None
        launcher.stdin.write(b"\n")
        launcher.stdin.close()
        stdout = launcher.stdout.read().decode()
        launcher.wait(WAIT)
        return stdout, errors.text()

    def test_ctrl_backslash_prints_every_process_and_kills_nothing(self) -> None:
        for method in START_METHODS:
            with self.subTest(method=method):
                output = os.path.join(self.tmp.path, "quit-%s.jsonl" % method)
                launcher, errors = self.launch("--output", output, method=method)
                assert launcher.stdout is not None
                ready = launcher.stdout.readline()
                self.assertIn(b'"child"', ready)
                child = int(re.search(rb'"child": (\d+)', ready).group(1))  # type: ignore[union-attr]
                wait_until_hooked(launcher.pid)
                if method != "fork":
                    wait_for_hello(output, "resource-tracker")
                os.killpg(launcher.pid, signal.SIGQUIT)  # what Ctrl-\ does in a terminal
                start = errors.wait_for(r"^mpscope: stacks of \d+ process(es)? \(Ctrl-\\\)$")
                stdout, text = self.finish(launcher, errors)
                self.assertEqual(launcher.returncode, 0, text)
                self.assertEqual(stdout.splitlines()[-1], "child exit 0", "the child survived Ctrl-\\ too")
                report = text.splitlines()[start:]
                main_lines = section(report, "%d blocked.py [main]" % self._main_pid(output))
                self.assertRegex("\n".join(main_lines), r'File "%s", line \d+ in <module>' % re.escape(self.program))
                self.assertTrue(any("main thread 0x" in l for l in main_lines))
                self.assertTrue(any("in napping" in l for l in main_lines), "every thread is shown")
                child_lines = section(report, "%d stuck [process, %s]" % (child, method))
                self.assertTrue(any(l.endswith(" in blocked") for l in child_lines), child_lines)
                if method != "fork":
                    helpers = [l for l in report if re.match(r"^\d+ \w+ \[resource-tracker\]$", l)]
                    with open(output, "rb") as handle:
                        tracker = [e for e in parse_jsonl(handle.read()) if e.get("role") == "resource-tracker"]
                    self.assertEqual(len(helpers), 1, (report, tracker))
                self.assertRegex(text, r"\d+ stuck \[process, %s\] __main__\.blocked exit 0" % method)
                with open(output, "rb") as handle:
                    events = parse_jsonl(handle.read())
                stacks = of_kind(events, "stacks")
                self.assertGreaterEqual(len(stacks), 2)
                for event in stacks:
                    VALIDATOR.check(event)
                    self.assertEqual((event["reporter"], event["reason"]), ("collector", "sigquit"))
                self.assertIn(child, [e["child_pid"] for e in stacks])

    def test_dump_after(self) -> None:
        method = START_METHODS[0]
        output = os.path.join(self.tmp.path, "timer.jsonl")
        launcher, errors = self.launch("--dump-after", "2", "--output", output, method=method)
        errors.wait_for(r"^mpscope: stacks of \d+ process(es)? \(--dump-after\)$")
        stdout, text = self.finish(launcher, errors)
        self.assertEqual(launcher.returncode, 0, text)
        main_pid = self._main_pid(output)
        self.assertRegex(text, r"%d blocked.py \[main\]\n  main thread 0x[0-9a-f]+ \(most recent call first\):\n"
                         % main_pid)
        self.assertEqual(text.count("(--dump-after)"), 1, "once")
        with open(output, "rb") as handle:
            events = parse_jsonl(handle.read())
        main_stacks = of_kind(events, "stacks", child_pid=main_pid)
        self.assertEqual(len(main_stacks), 1)
        VALIDATOR.check(main_stacks[0])
        self.assertEqual(main_stacks[0]["reason"], "timer")
        self.assertTrue(main_stacks[0]["threads"][0]["main"])

    def test_dump_after_a_quick_program_prints_nothing(self) -> None:
        path = self.tmp.write("quick.py", "print('done')\n")
        result = subprocess.run([PYTHON] + LAUNCH + ["--dump-after", "600", path], env=launcher_env(),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=WAIT)
        self.assertEqual((result.stdout, result.returncode), (b"done\n", 0))
        self.assertNotIn(b"stacks of", result.stderr)

    def _main_pid(self, output: str) -> int:
        with open(output, "rb") as handle:
            events = parse_jsonl(handle.read())
        return [e for e in events if e["kind"] == "hello" and e["role"] == "main"][0]["pid"]


if __name__ == "__main__":
    unittest.main()
