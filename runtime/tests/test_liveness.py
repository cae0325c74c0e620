"""Asking the OS whether a process is gone (launcher/liveness.py), with real processes."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import unittest

from mpscope.launcher.liveness import process_gone
from tests.support import WAIT


@unittest.skipIf(os.name != "posix", "Windows answers False: os.kill(pid, 0) would terminate the process")
class ProcessGoneTest(unittest.TestCase):
    def test_running_zombie_and_reaped(self) -> None:
        child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
        self.addCleanup(child.wait)
        self.assertFalse(process_gone(child.pid))
        assert child.stdin is not None
        child.stdin.close()  # it exits; not reaped yet, it is a zombie
        if sys.platform.startswith("linux"):  # /proc tells a zombie apart
            deadline = time.monotonic() + WAIT
            while not process_gone(child.pid):
                self.assertLess(time.monotonic(), deadline, "never seen as gone while a zombie")
                time.sleep(0.02)
        self.assertEqual(child.wait(WAIT), 0)  # reaped: no such process at all
        self.assertTrue(process_gone(child.pid))

    def test_this_process_and_nonsense(self) -> None:
        self.assertFalse(process_gone(os.getpid()))
        self.assertFalse(process_gone(0))
        self.assertFalse(process_gone(-1))


if __name__ == "__main__":
    unittest.main()
