"""``python -m mpscope run``: the program runs unchanged, then the tree is printed; ``--output`` keeps every event."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import subprocess
import sys
import unittest
from typing import Any, Dict, List

from tests.support import (
    PYTHON,
    RUNTIME,
    START_METHODS,
    VALIDATOR,
    EventCollector,
    TempDirCase,
    clean_env,
    exits_of,
    hellos,
    launcher_env,
    of_kind,
    parse_jsonl,
    run,
    sample,
)

LAUNCH = ["-m", "mpscope", "run"]


class LauncherCase(TempDirCase):

    def output_path(self, name: str) -> str:
        return os.path.join(self.tmp.path, name)


class SameProgramTest(LauncherCase):
    def test_samples_keep_stdout_stderr_and_exit_code(self) -> None:
        for name in ("guarded_process.py", "crashing_child.py", "killed_child.py", "pool_map.py", "exit_codes.py"):
            for method in START_METHODS:
                with self.subTest(sample=name, method=method):
                    plain = run([sample(name), method], clean_env())
                    quiet = run(LAUNCH + ["--no-summary", sample(name), method], launcher_env())
                    self.assertEqual(quiet.stdout, plain.stdout)
                    self.assertEqual(quiet.stderr, plain.stderr)
                    self.assertEqual(quiet.returncode, plain.returncode)
                    loud = run(LAUNCH + [sample(name), method], launcher_env())
                    self.assertEqual(loud.stdout, plain.stdout)
                    self.assertTrue(loud.stderr.startswith(plain.stderr), loud.stderr)
                    self.assertIn(b"mpscope: ", loud.stderr[len(plain.stderr):])
                    self.assertEqual(loud.returncode, plain.returncode)

    @unittest.skipUnless(multiprocessing.get_start_method() == "fork", "the default start method is not fork here")
    def test_missing_guard_sample_runs_under_fork(self) -> None:
        plain = run([sample("missing_guard.py")], clean_env())
        self.assertEqual((plain.stdout, plain.returncode), (b"working\n", 0))
        result = run(LAUNCH + [sample("missing_guard.py")], launcher_env())
        self.assertEqual((result.stdout, result.returncode), (plain.stdout, 0))
        self.assertRegex(result.stderr.decode(), r"Process-1 \[process, fork\] __main__\.work exit 0")

    def test_exit_code_stdin_and_arguments(self) -> None:
        path = self.tmp.write("echo.py", '''
            import sys
            line = input()
            print("got", line, sys.argv[1:])
            sys.exit(3)
        ''')
        result = run(LAUNCH + ["--no-summary", path, "--output", "-x"], launcher_env(), stdin=b"typed text\n")
        self.assertEqual(result.stdout, b"got typed text ['--output', '-x']\n")
        self.assertEqual(result.returncode, 3)
        self.assertEqual(result.stderr, b"")

    @unittest.skipIf(sys.platform == "win32", "POSIX signals")
    def test_a_program_killed_by_a_signal_kills_the_launcher_the_same_way(self) -> None:
        path = self.tmp.write("suicide.py", '''
            import os, signal
            print("before", flush=True)
            os.kill(os.getpid(), signal.SIGTERM)
        ''')
        plain = run([path], clean_env())
        self.assertEqual(plain.returncode, -signal.SIGTERM)
        result = run(LAUNCH + [path], launcher_env())
        self.assertEqual(result.returncode, -signal.SIGTERM)
        self.assertEqual(result.stdout, b"before\n")
        self.assertIn(b"killed by SIGTERM (-15)", result.stderr)

    @unittest.skipIf(sys.platform == "win32", "POSIX process groups")
    def test_ctrl_c_reaches_the_program_and_the_launcher_ends_like_it(self) -> None:
        path = self.tmp.write("waits.py", '''
            import time
            try:
                print("ready", flush=True)
                time.sleep(60)
            except KeyboardInterrupt:
                print("interrupted", flush=True)
                raise
        ''')
        # Like a terminal: Ctrl-C sends SIGINT to the whole foreground process group.
        launcher = subprocess.Popen([PYTHON] + LAUNCH + [path], env=launcher_env(), stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, start_new_session=True)
        try:
            self.assertEqual(launcher.stdout.readline(), b"ready\n")
            os.killpg(launcher.pid, signal.SIGINT)
            stdout, stderr = launcher.communicate(timeout=60)
        finally:
            if launcher.poll() is None:
                os.killpg(launcher.pid, signal.SIGKILL)
                launcher.wait()
        self.assertEqual(stdout, b"interrupted\n")
        self.assertIn(b"KeyboardInterrupt", stderr)
        self.assertIn(b"waits.py [main] killed by SIGINT (-2)", stderr)
        self.assertEqual(launcher.returncode, -signal.SIGINT)

    def test_module_mode(self) -> None:
        self.tmp.write("pkg/__init__.py", "")
        self.tmp.write("pkg/tool.py", '''
            import sys
            print("module", __name__, sys.argv[1:])
        ''')
        env = launcher_env(PYTHONPATH=RUNTIME + os.pathsep + self.tmp.path)
        result = run(LAUNCH + ["-m", "pkg.tool", "a", "b"], env)
        self.assertEqual(result.stdout, b"module __main__ ['a', 'b']\n")
        self.assertIn(b"-m pkg.tool [main] exit 0", result.stderr)

    def test_pythonpath_keeps_the_users_entries_and_drops_the_runtime(self) -> None:
        code = self.tmp.write("paths.py", '''
            import os, sys
            print(os.environ["PYTHONPATH"].split(os.pathsep))
        ''')
        env = launcher_env(PYTHONPATH=os.pathsep.join([RUNTIME, self.tmp.path]))
        result = run(LAUNCH + ["--no-summary", code], env)
        entries = eval(result.stdout)  # a list literal printed by the program
        self.assertEqual(entries, [os.path.join(RUNTIME, "bootstrap"), self.tmp.path])


class SummaryAndOutputTest(LauncherCase):
    def test_summary_tree(self) -> None:
        result = run(LAUNCH + [sample("crashing_child.py"), "fork"], launcher_env())
        lines = result.stderr.decode().splitlines()
        start = lines.index("mpscope: 2 processes")
        main, child = lines[start + 1], lines[start + 2]
        self.assertRegex(main, r"^\d+ crashing_child\.py \[main\] exit 0 after \d+(ms|\.\d\ds)$")
        self.assertRegex(child, r"^└── \d+ ForkProcess-1 \[process, fork\] __main__\.fail exit 1 after \S+ · ValueError: boom$")

    def test_killed_child_in_summary(self) -> None:
        for method in START_METHODS:
            with self.subTest(method=method):
                result = run(LAUNCH + [sample("killed_child.py"), method], launcher_env())
                self.assertRegex(result.stderr.decode(),
                                 r"\d+ \w+-1 \[process, %s\] __main__\.sleep_forever killed by SIGKILL \(-9\)" % method)

    def test_every_kind_of_ending(self) -> None:
        for method in START_METHODS:
            with self.subTest(method=method):
                result = run(LAUNCH + [sample("exit_codes.py"), method], launcher_env())
                self.assertEqual(result.stdout, b"finishes 0\nexits-3 3\ncrashes 1\nterminated -15\n")
                summary = result.stderr.decode()
                self.assertRegex(summary, r"\d+ finishes \[process, %s\] __main__\.finish exit 0 after \S+\n" % method)
                self.assertRegex(summary, r"\d+ exits-3 \[process, %s\] __main__\.leave exit 3 after \S+\n" % method)
                self.assertRegex(summary, r"\d+ crashes \[process, %s\] __main__\.crash exit 1 after \S+ · "
                                          r"ValueError: bad input\n" % method)
                self.assertRegex(summary, r"\d+ terminated \[process, %s\] __main__\.wait_forever "
                                          r"killed by SIGTERM \(-15\) after \S+\n" % method)

    def test_output_holds_every_event_and_they_match_the_schema(self) -> None:
        for method in START_METHODS:
            with self.subTest(method=method):
                path = self.output_path("run-%s.jsonl" % method)
                result = run(LAUNCH + ["--output", path, "--no-summary", sample("pool_map.py"), method], launcher_env())
                self.assertEqual(result.returncode, 0, result.stderr)
                with open(path, "rb") as handle:
                    events = parse_jsonl(handle.read())
                for event in events:
                    VALIDATOR.check(event)
                launcher = hellos(events, role="launcher")
                main = hellos(events, role="main")
                self.assertEqual((len(launcher), len(main)), (1, 1))
                self.assertEqual({h["token"] for h in hellos(events)}, {"mpscope:redacted"})
                self.assertEqual(main[0]["ppid"], launcher[0]["pid"])
                main_exit = exits_of(events, main[0]["pid"])["launcher"]
                self.assertEqual((main_exit["pid"], main_exit["exitcode"]), (launcher[0]["pid"], 0))
                roles = {e["proc"]: e["role"] for e in of_kind(events, "process.created")}
                for started in of_kind(events, "process.started"):
                    exits = exits_of(events, started["child_pid"])
                    expected = "self" if roles[started["proc"]] in ("resource-tracker", "forkserver") else "parent"
                    self.assertIn(expected, exits, started)
                streams: Dict[int, List[Dict[str, Any]]] = {}
                for event in events:
                    streams.setdefault(event["pid"], []).append(event)
                for pid, stream in streams.items():
                    self.assertEqual(stream[0]["kind"], "hello", pid)
                    self.assertEqual([e["seq"] for e in stream], list(range(len(stream))), pid)

    def test_lost_process_gets_a_collector_record(self) -> None:
        # A grandchild that ends with os._exit while its parent vanishes without
        # joining it: nobody reports its exit, its stream closes, the collector says "lost".
        path = self.tmp.write("orphan.py", '''
            import multiprocessing, os

            def grandchild():
                os._exit(4)  # no exit record of its own

            def child():
                p = multiprocessing.get_context("fork").Process(target=grandchild)
                p.start()
                os._exit(0)  # no join: nobody observes the grandchild's exit status

            if __name__ == "__main__":
                p = multiprocessing.get_context("fork").Process(target=child)
                p.start()
                p.join()
        ''')
        if "fork" not in START_METHODS:
            self.skipTest("needs fork")
        out = self.output_path("orphan.jsonl")
        result = run(LAUNCH + ["--output", out, path], launcher_env())
        self.assertEqual(result.returncode, 0, result.stderr)
        with open(out, "rb") as handle:
            events = parse_jsonl(handle.read())
        lost = [e for e in of_kind(events, "process.exited") if e["reporter"] == "collector"]
        self.assertEqual(len(lost), 1, events)
        self.assertIsNone(lost[0]["exitcode"])
        self.assertIn(b"lost (no exit status)", result.stderr)


class JsonAndColorTest(LauncherCase):
    def test_json_summary_on_stderr_instead_of_the_tree(self) -> None:
        method = START_METHODS[0]
        plain = run([sample("exit_codes.py"), method], clean_env())
        result = run(LAUNCH + ["--json", sample("exit_codes.py"), method], launcher_env())
        self.assertEqual((result.stdout, result.returncode), (plain.stdout, plain.returncode))
        self.assertTrue(result.stderr.startswith(plain.stderr))
        document = json.loads(result.stderr[len(plain.stderr):])
        self.assertEqual(document["program"]["exitcode"], 0)
        self.assertEqual(document["program"]["command"], [sample("exit_codes.py"), method])
        names = {p["name"]: p for p in document["processes"] if p["role"] == "process"}
        self.assertEqual({n: p["exit"]["exitcode"] for n, p in names.items()},
                         {"finishes": 0, "exits-3": 3, "crashes": 1, "terminated": -15})
        self.assertEqual(names["crashes"]["exit"]["exception"]["message"], "bad input")
        self.assertNotIn(b"mpscope: ", result.stderr[len(plain.stderr):])

    def test_colors(self) -> None:
        path = sample("crashing_child.py")
        method = START_METHODS[0]
        always = run(LAUNCH + ["--color", "always", path, method], launcher_env())
        self.assertIn(b"\033[31mexit 1", always.stderr)
        # Not a terminal (a pipe): no colors; NO_COLOR wins over a terminal too (checked in test_summary).
        auto = run(LAUNCH + [path, method], launcher_env())
        self.assertNotIn(b"\033[", auto.stderr)


class ExtensionModeTest(LauncherCase):
    def test_reports_to_the_extensions_collector(self) -> None:
        with EventCollector() as collector:
            env = launcher_env(**collector.env())
            plain = run([sample("crashing_child.py"), "spawn" if "spawn" in START_METHODS else "fork"], clean_env())
            result = run(LAUNCH + ["--no-summary", "--", sample("crashing_child.py"),
                                   "spawn" if "spawn" in START_METHODS else "fork"], env)
            self.assertEqual((result.stdout, result.stderr, result.returncode),
                             (plain.stdout, plain.stderr, plain.returncode))

            def main_exit_reported(c: EventCollector) -> bool:
                events = c._unlocked_events()
                mains = hellos(events, role="main")
                return bool(mains) and "launcher" in exits_of(events, mains[0]["pid"])

            collector.wait_for(main_exit_reported, "the launcher's record of the main process")
            events = collector.events()
            launcher = hellos(events, role="launcher")
            self.assertEqual(len(launcher), 1)
            main = hellos(events, role="main")[0]
            self.assertEqual(main["ppid"], launcher[0]["pid"])
            record = exits_of(events, main["pid"])["launcher"]
            self.assertEqual((record["pid"], record["exitcode"]), (launcher[0]["pid"], 0))
            for event in events:
                VALIDATOR.check(event)

    def test_launcher_only_options_are_refused(self) -> None:
        env = launcher_env(MPSCOPE_ADDR="unix:/nonexistent/mpscope.sock", MPSCOPE_TOKEN="t" * 32)
        for option in (["--json"], ["--dump-after", "1"], ["--output", "x.jsonl"]):
            with self.subTest(option=option):
                result = run(LAUNCH + option + [sample("guarded_process.py")], env)
                self.assertEqual((result.returncode, result.stdout), (2, b""))
                self.assertIn(b"needs the launcher's own collector", result.stderr)

    def test_unreachable_extension_collector_changes_nothing(self) -> None:
        env = launcher_env(MPSCOPE_ADDR="unix:/nonexistent/mpscope.sock", MPSCOPE_TOKEN="t" * 32)
        plain = run([sample("guarded_process.py")], clean_env())
        result = run(LAUNCH + ["--no-summary", sample("guarded_process.py")], env)
        self.assertEqual((result.stdout, result.stderr, result.returncode),
                         (plain.stdout, plain.stderr, plain.returncode))


class CommandLineTest(LauncherCase):
    def test_help(self) -> None:
        for args in (["--help"], ["run", "--help"]):
            with self.subTest(args=args):
                result = run(["-m", "mpscope"] + args, launcher_env())
                self.assertEqual(result.returncode, 0)
                self.assertIn(b"python -m mpscope run", result.stdout)
                for documented in (b"--output", b"--json", b"--dump-after", b"--color", b"--no-summary", b"-m MODULE",
                                   b"MPSCOPE_OPTIONS", b"NO_COLOR", b"Ctrl-\\", b"examples"):
                    self.assertIn(documented, result.stdout)

    def test_usage_errors(self) -> None:
        usage_errors: List[List[str]] = [[], ["frobnicate"], ["run"], ["run", "--bogus", "x.py"], ["run", "-m"], ["run", "--output"]]
        for args in usage_errors:
            with self.subTest(args=args):
                result = run(["-m", "mpscope"] + args, launcher_env())
                self.assertEqual(result.returncode, 2, result)

    def test_unwritable_output(self) -> None:
        result = run(LAUNCH + ["--output", os.path.join(self.tmp.path, "no", "such", "dir.jsonl"),
                               sample("guarded_process.py")], launcher_env())
        self.assertEqual(result.returncode, 2)
        self.assertIn(b"cannot write", result.stderr)
        self.assertEqual(result.stdout, b"")

    def test_launcher_uses_the_same_interpreter(self) -> None:
        path = self.tmp.write("which.py", "import sys; print(sys.executable)\n")
        result = run(LAUNCH + ["--no-summary", path], launcher_env())
        self.assertEqual(result.stdout.decode().strip(), PYTHON)


if __name__ == "__main__":
    unittest.main()
