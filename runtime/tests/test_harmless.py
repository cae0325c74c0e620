"""mpscope never changes the program: same stdout, stderr and exit code, whatever happens to the collector."""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import unittest

from tests.support import (
    BOOTSTRAP,
    START_METHODS,
    EventCollector,
    TempDir,
    clean_env,
    hellos,
    hooked_env,
    run,
    sample,
)

SAMPLES = ("guarded_process.py", "crashing_child.py", "killed_child.py", "pool_map.py", "exit_codes.py")


def free_tcp_port() -> int:
    probe = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there any more: connecting is refused
    return port


def without_addresses(text: bytes) -> bytes:
    """Object addresses in reprs (``<function <lambda> at 0x7f...>``) differ from run to run anyway."""
    return re.sub(rb"0x[0-9a-f]+", b"0x?", text)


class SameOutputTest(unittest.TestCase):
    def assertSameRun(self, args, env, plain_env=None, cwd=None, python=None):
        plain = run(args, plain_env or clean_env(), cwd=cwd, python=python)
        hooked = run(args, env, cwd=cwd, python=python)
        self.assertEqual(hooked.stdout, plain.stdout)
        self.assertEqual(without_addresses(hooked.stderr), without_addresses(plain.stderr))
        self.assertEqual(hooked.returncode, plain.returncode)
        return plain

    def test_samples_with_a_collector(self) -> None:
        for name in SAMPLES:
            for method in START_METHODS:
                with self.subTest(sample=name, method=method), EventCollector() as collector:
                    self.assertSameRun([sample(name), method], hooked_env(collector))

    def test_development_mode_and_warnings_as_errors(self) -> None:
        # -X dev shows ResourceWarnings and more; -W error turns any warning mpscope caused into a crash.
        for name in ("pool_map.py", "exit_codes.py"):
            for method in START_METHODS:
                with self.subTest(sample=name, method=method), EventCollector() as collector:
                    self.assertSameRun(["-X", "dev", "-W", "error", sample(name), method], hooked_env(collector))

    def test_samples_when_the_collector_is_absent_or_refuses(self) -> None:
        cases = {
            "no socket": lambda: hooked_env(address="unix:" + os.path.join(BOOTSTRAP, "no-such.sock")),
            "refused tcp": lambda: hooked_env(address="tcp:127.0.0.1:%d" % free_tcp_port()),
            "malformed address": lambda: hooked_env(address="bogus"),
            "non-loopback address": lambda: hooked_env(address="tcp:192.0.2.1:9"),
        }
        for case, make_env in cases.items():
            for name in ("crashing_child.py", "pool_map.py"):
                with self.subTest(case=case, sample=name):
                    self.assertSameRun([sample(name), START_METHODS[-1]], make_env())

    def test_wrong_token_and_a_collector_that_dies(self) -> None:
        for name in ("crashing_child.py", "pool_map.py"):
            for method in START_METHODS:
                with self.subTest(case="wrong token", sample=name, method=method):
                    with EventCollector(accept_token=secrets.token_hex(32)) as collector:
                        self.assertSameRun([sample(name), method], hooked_env(collector))
                        self.assertEqual(collector.events(), [], "every stream was rejected")
                with self.subTest(case="collector hangs up", sample=name, method=method):
                    with EventCollector(close_after_hello=True) as collector:
                        self.assertSameRun([sample(name), method], hooked_env(collector))

    def test_tracebacks_through_multiprocessing_calls_are_unchanged(self) -> None:
        # mpscope wraps no method the user calls, so an error raised inside start()
        # or a Ctrl-C inside join() shows exactly the traceback Python shows.
        tmp = TempDir()
        self.addCleanup(tmp.cleanup)
        pickling = tmp.write("pickling.py", '''
            import multiprocessing, sys

            if __name__ == "__main__":
                ctx = multiprocessing.get_context(sys.argv[1])
                ctx.Process(target=lambda: None).start()
        ''')
        interrupted = tmp.write("interrupted.py", '''
            import multiprocessing, signal, sys, time

            def sleep(ready):
                ready.set()
                time.sleep(60)

            def interrupt(signum, frame):
                raise KeyboardInterrupt

            if __name__ == "__main__":
                ctx = multiprocessing.get_context(sys.argv[1])
                ready = ctx.Event()
                p = ctx.Process(target=sleep, args=(ready,), daemon=True)
                p.start()
                ready.wait(30)
                signal.signal(signal.SIGALRM, interrupt)
                signal.setitimer(signal.ITIMER_REAL, 0.2)
                p.join()
        ''')
        for method in [m for m in START_METHODS if m != "fork"]:
            with self.subTest(program="pickling", method=method), EventCollector() as collector:
                plain = self.assertSameRun([pickling, method], hooked_env(collector))
                self.assertIn(b"Traceback", plain.stderr)
        if hasattr(signal, "setitimer"):
            for method in START_METHODS:
                with self.subTest(program="interrupted", method=method), EventCollector() as collector:
                    plain = self.assertSameRun([interrupted, method], hooked_env(collector))
                    self.assertIn(b"KeyboardInterrupt", plain.stderr)

    @unittest.skipUnless(hasattr(os, "fork"), "needs os.fork")
    def test_no_thread_no_fork_warning(self) -> None:
        # Python 3.12+ warns when a multi-threaded process forks; mpscope adds no thread.
        tmp = TempDir()
        self.addCleanup(tmp.cleanup)
        path = tmp.write("forker.py", '''
            import multiprocessing, os, sys, threading

            if __name__ == "__main__":
                p = multiprocessing.get_context(sys.argv[1]).Process(target=print, args=("child",))
                p.start()
                p.join()
                pid = os.fork()
                if pid == 0:
                    os._exit(0)
                os.waitpid(pid, 0)
                print("threads:", threading.active_count())
        ''')
        for method in START_METHODS:
            with self.subTest(method=method), EventCollector() as collector:
                plain = self.assertSameRun(["-W", "default", path, method], hooked_env(collector),
                                           plain_env=clean_env())
                self.assertIn(b"threads: 1", plain.stdout)


class StartupTest(unittest.TestCase):
    def test_sys_path_is_as_without_mpscope(self) -> None:
        # The bootstrap directory is on sys.path only because PYTHONPATH put it there for
        # mpscope: the program sees the path it would see without it, its own entries kept.
        tmp = TempDir()
        self.addCleanup(tmp.cleanup)
        code = "import sys; print(sys.path)"
        with EventCollector() as collector:
            plain = run(["-c", code], clean_env(PYTHONPATH=tmp.path))
            hooked = run(["-c", code], hooked_env(collector, pythonpath=tmp.path))
            self.assertEqual(hooked.stdout, plain.stdout)
            self.assertIn(tmp.path, hooked.stdout.decode())
            collector.wait_for(lambda c: bool(hellos(c.events(), role="main")), "the hello")
        inactive = run(["-c", code], clean_env(PYTHONPATH=BOOTSTRAP + os.pathsep + tmp.path))
        self.assertEqual(inactive.stdout, plain.stdout)

    def test_users_sitecustomize_still_runs(self) -> None:
        tmp = TempDir()
        self.addCleanup(tmp.cleanup)
        own = tmp.write("sitecustomize.py", '''
            import sys
            sys.stderr.write("user sitecustomize ran\\n")
            MARK = "user"
        ''')
        code = "import sitecustomize, sys; print(sitecustomize.MARK, sitecustomize.__file__, 'mpscope' in sys.modules)"
        with EventCollector() as collector:
            result = run(["-c", code], hooked_env(collector, pythonpath=tmp.path))
            self.assertEqual(result.stderr, b"user sitecustomize ran\n")
            self.assertEqual(result.stdout.decode().split(), ["user", own, "True"])
            collector.wait_for(lambda c: bool(hellos(c.events(), role="main")), "the hello")
        without = run(["-c", code], clean_env(PYTHONPATH=BOOTSTRAP + os.pathsep + tmp.path))
        self.assertEqual(without.stderr, b"user sitecustomize ran\n")
        self.assertEqual(without.stdout.decode().split(), ["user", own, "False"])

    def test_the_bootstrap_under_another_spelling_is_skipped_too(self) -> None:
        # The bootstrap directory twice on the path, once through a symlink: the user's
        # sitecustomize behind both still runs, and ours runs once.
        tmp = TempDir()
        self.addCleanup(tmp.cleanup)
        own = tmp.write("user/sitecustomize.py", "import sys\nsys.stderr.write('user sitecustomize ran\\n')\n")
        alias = os.path.join(tmp.path, "alias")
        os.symlink(BOOTSTRAP, alias)
        code = "import sitecustomize; print(sitecustomize.__file__)"
        with EventCollector() as collector:
            env = hooked_env(collector)
            env["PYTHONPATH"] = os.pathsep.join([BOOTSTRAP, alias, os.path.dirname(own)])
            result = run(["-c", code], env)
            self.assertEqual((result.stderr, result.stdout.decode().strip()), (b"user sitecustomize ran\n", own))
            collector.wait_for(lambda c: len(hellos(c.events(), role="main")) == 1, "one hello")

    def test_a_failing_user_sitecustomize_is_reported_as_usual(self) -> None:
        tmp = TempDir()
        self.addCleanup(tmp.cleanup)
        tmp.write("sitecustomize.py", "raise RuntimeError('broken customize')\n")
        plain = run(["-c", "print('ran')"], clean_env(PYTHONPATH=tmp.path))
        with EventCollector() as collector:
            hooked = run(["-c", "print('ran')"], hooked_env(collector, pythonpath=tmp.path))
        self.assertEqual((hooked.stdout, hooked.stderr, hooked.returncode),
                         (plain.stdout, plain.stderr, plain.returncode))
        self.assertIn(b"broken customize", plain.stderr)

    def test_shadowed_sitecustomize_of_this_interpreter_is_chained(self) -> None:
        # On Debian's python3 this is the apport hook in /usr/lib/python3.X.
        code = "import sys\ntry:\n import sitecustomize as s; print(getattr(s, '__file__', None))\nexcept ImportError:\n print('none')"
        plain = run(["-c", code], clean_env())
        with EventCollector() as collector:
            hooked = run(["-c", code], hooked_env(collector))
        expected = plain.stdout.strip()
        if expected == b"none":  # no sitecustomize of its own: ours remains
            self.assertEqual(hooked.stdout.strip(), os.path.join(BOOTSTRAP, "sitecustomize.py").encode())
        else:
            self.assertEqual(hooked.stdout.strip(), expected)

    def test_a_broken_runtime_leaves_the_program_alone(self) -> None:
        tmp = TempDir()
        self.addCleanup(tmp.cleanup)
        with open(os.path.join(BOOTSTRAP, "sitecustomize.py"), encoding="utf-8") as handle:
            tmp.write("bootstrap/sitecustomize.py", handle.read())
        tmp.write("mpscope/__init__.py", "raise RuntimeError('broken runtime')\n")
        code = "import sys; print('mpscope' in sys.modules); print('hi')"
        with EventCollector() as collector:
            env = hooked_env(collector)
            env["PYTHONPATH"] = os.path.join(tmp.path, "bootstrap")
            result = run(["-c", code], env)
            self.assertEqual((result.stdout, result.stderr, result.returncode), (b"False\nhi\n", b"", 0))
            self.assertEqual(collector.streams, [])

    def test_isolated_and_ignore_environment_modes_have_no_hooks(self) -> None:
        code = "import sys; print('mpscope' in sys.modules)"
        for flag in ("-I", "-E"):
            with self.subTest(flag=flag), EventCollector() as collector:
                result = run([flag, "-c", code], hooked_env(collector))
                self.assertEqual(result.stdout, b"False\n")
                self.assertEqual(result.stderr, b"")
        with EventCollector() as collector:
            result = run(["-c", code], hooked_env(collector))
            self.assertEqual(result.stdout, b"True\n")

    def test_no_collector_address_means_nothing_is_loaded(self) -> None:
        code = "import sys; print(sorted(m for m in sys.modules if m.startswith('mpscope')))"
        result = run(["-c", code], clean_env(PYTHONPATH=BOOTSTRAP))
        self.assertEqual(result.stdout, b"[]\n")

    def test_multiprocessing_is_imported_lazily(self) -> None:
        code = "import sys; print('multiprocessing' in sys.modules)"
        with EventCollector() as collector:
            self.assertEqual(run(["-c", code], hooked_env(collector)).stdout, b"False\n")


if __name__ == "__main__":
    unittest.main()
