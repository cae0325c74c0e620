"""Where the launcher's private directory goes (launcher/privatedir.py): tmpfs on Linux, else the temp dir."""

from __future__ import annotations

import os
import stat
import tempfile
import unittest

from mpscope.launcher.privatedir import make_private_dir, preferred_parent


class PreferredParentTest(unittest.TestCase):
    def scratch(self, mode: int) -> str:
        path = tempfile.mkdtemp(prefix="mpscope-parent-")
        os.chmod(path, mode)
        self.addCleanup(os.rmdir, path)
        return path

    def test_a_sticky_writable_directory_on_linux(self) -> None:
        sticky = self.scratch(0o1777)
        self.assertEqual(preferred_parent("linux", {}, sticky), sticky)

    def test_otherwise_the_temp_directory(self) -> None:
        plain = self.scratch(0o700)
        self.assertIsNone(preferred_parent("linux", {}, plain))  # not sticky
        self.assertIsNone(preferred_parent("linux", {}, os.path.join(plain, "missing")))
        self.assertIsNone(preferred_parent("linux", {"TMPDIR": "/somewhere"}, "/dev/shm"))
        self.assertIsNone(preferred_parent("darwin", {}, "/dev/shm"))
        self.assertIsNone(preferred_parent("win32", {}, "/dev/shm"))

    def test_the_directory_is_private(self) -> None:
        made = make_private_dir()
        self.addCleanup(os.rmdir, made)
        self.assertEqual(stat.S_IMODE(os.stat(made).st_mode), 0o700)
        parent = preferred_parent()
        self.assertEqual(os.path.dirname(made), parent if parent is not None else tempfile.gettempdir())


if __name__ == "__main__":
    unittest.main()
