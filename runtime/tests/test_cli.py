import os
import unittest
from typing import List

from mpscope.launcher import program
from mpscope.launcher.cli import UsageError, parse_run


class ParseRunTest(unittest.TestCase):
    def test_script_and_arguments(self):
        options = parse_run(["--output", "o.jsonl", "--no-summary", "x.py", "--output", "-v"])
        self.assertEqual((options.output, options.summary, options.script, options.args),
                         ("o.jsonl", False, "x.py", ["--output", "-v"]))

    def test_module(self):
        for argv in (["-m", "pkg.mod", "a"], ["-mpkg.mod", "a"], ["--", "-m", "pkg.mod", "a"]):
            with self.subTest(argv=argv):
                options = parse_run(argv)
                self.assertEqual((options.module, options.script, options.args), ("pkg.mod", None, ["a"]))

    def test_double_dash_ends_options(self):
        options = parse_run(["--no-summary", "--", "--weird-name.py"])
        self.assertEqual(options.script, "--weird-name.py")

    def test_errors(self):
        bad: List[List[str]] = [[], ["--bogus", "x.py"], ["-m"], ["--output"], ["--output=", "x.py"]]
        for argv in bad:
            with self.subTest(argv=argv):
                with self.assertRaises(UsageError):
                    parse_run(argv)


class ChildEnvironmentTest(unittest.TestCase):
    def test_pythonpath(self):
        user = os.path.join(os.sep, "some", "where")
        path = program.child_pythonpath(os.pathsep.join([program.RUNTIME_DIR, user, "", program.BOOTSTRAP_DIR]))
        self.assertEqual(path.split(os.pathsep), [program.BOOTSTRAP_DIR, user])
        self.assertEqual(program.child_pythonpath(None), program.BOOTSTRAP_DIR)

    def test_environment(self):
        env = program.child_environment({"HOME": "/h"}, "unix:/s", "tok")
        self.assertEqual(env["MPSCOPE_ADDR"], "unix:/s")
        self.assertEqual(env["MPSCOPE_TOKEN"], "tok")
        self.assertEqual(env["HOME"], "/h")

    def test_command(self):
        self.assertEqual(program.child_command("x.py", None, ["a"])[-2:], ["x.py", "a"])
        self.assertEqual(program.child_command(None, "m", [])[-2:], ["-m", "m"])


if __name__ == "__main__":
    unittest.main()
