import json
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

    def test_json_dump_after_and_color(self):
        options = parse_run(["--json", "--dump-after", "2.5", "--color", "never", "x.py"])
        self.assertEqual((options.json, options.json_file, options.dump_after, options.color), (True, None, 2.5, "never"))
        options = parse_run(["--json=s.json", "--dump-after=0", "--color=always", "-m", "test", "test_x"])
        self.assertEqual((options.json_file, options.dump_after, options.color, options.module, options.args),
                         ("s.json", 0.0, "always", "test", ["test_x"]))
        self.assertEqual(parse_run(["x.py"]).color, "auto")

    def test_errors(self):
        bad: List[List[str]] = [[], ["--bogus", "x.py"], ["-m"], ["--output"], ["--output=", "x.py"],
                                ["--json=", "x.py"], ["--dump-after", "soon", "x.py"], ["--dump-after", "-1", "x.py"],
                                ["--dump-after=nan", "x.py"], ["--dump-after"], ["--color", "blue", "x.py"], ["--color"]]
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
        self.assertNotIn("MPSCOPE_OPTIONS", env)

    def test_launcher_options_join_the_users(self):
        env = program.child_environment({"MPSCOPE_OPTIONS": '{"capture_args": true, "stacks_dir": "/mine"}'}, "unix:/s",
                                        "tok", {"stacks_dir": "/private", "stacks_on_sigquit": True})
        self.assertEqual(json.loads(env["MPSCOPE_OPTIONS"]),
                         {"capture_args": True, "stacks_dir": "/private", "stacks_on_sigquit": True})
        env = program.child_environment({"MPSCOPE_OPTIONS": "not json"}, "unix:/s", "tok", {"stacks_dir": "/p"})
        self.assertEqual(json.loads(env["MPSCOPE_OPTIONS"]), {"stacks_dir": "/p"})

    def test_command(self):
        self.assertEqual(program.child_command("x.py", None, ["a"])[-2:], ["x.py", "a"])
        self.assertEqual(program.child_command(None, "m", [])[-2:], ["-m", "m"])


if __name__ == "__main__":
    unittest.main()
