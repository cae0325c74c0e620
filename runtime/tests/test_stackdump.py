"""The faulthandler dump parser: on dumps this interpreter writes, and on the format's edge cases."""

from __future__ import annotations

import faulthandler
import os
import sys
import tempfile
import threading
import unittest

from mpscope.stackdump import format_threads, parse_dumps, parse_last_dump, unescape

THIS_FILE = os.path.abspath(__file__)


def dump_of_this_process() -> str:
    with tempfile.TemporaryFile() as handle:
        faulthandler.dump_traceback(handle, all_threads=True)
        handle.seek(0)
        return handle.read().decode("ascii")


class RealDumpTest(unittest.TestCase):
    def test_all_threads_of_a_real_dump(self) -> None:
        started, release = threading.Event(), threading.Event()

        def parked_in_a_wait() -> None:
            started.set()
            release.wait(60)

        thread = threading.Thread(target=parked_in_a_wait, name="parked")
        thread.start()
        self.addCleanup(thread.join)
        self.addCleanup(release.set)
        self.assertTrue(started.wait(60))
        text = dump_of_this_process()
        dump = parse_last_dump(text)
        assert dump is not None
        threads = dump["threads"]
        self.assertNotIn("threads_truncated", dump)
        idents = [t["ident"] for t in threads]
        self.assertIn(thread.ident, idents)
        self.assertIn(threading.main_thread().ident, idents)
        main = threads[0]
        self.assertTrue(main.get("main"))
        self.assertEqual(main["ident"], threading.main_thread().ident)
        self.assertEqual(sum(1 for t in threads if t.get("main")), 1)
        innermost = main["frames"][0]
        self.assertEqual((innermost["file"], innermost["function"]), (THIS_FILE, "dump_of_this_process"))
        self.assertIsInstance(innermost["line"], int)
        self.assertIn("test_all_threads_of_a_real_dump", [f["function"] for f in main["frames"]])
        parked = [t for t in threads if t["ident"] == thread.ident][0]
        functions = [f["function"] for f in parked["frames"]]
        self.assertIn("parked_in_a_wait", functions)
        self.assertEqual(functions[-1], "_bootstrap")  # outermost last
        self.assertEqual(format_threads([main])[0], "  main thread 0x%x (most recent call first):" % main["ident"])

    def test_non_ascii_names_come_back(self) -> None:
        namespace: dict = {}
        code = compile("def f\u00e9\u4e2d():\n    return dump()\n", "/tmp/caf\u00e9/\U0001f600.py", "exec")
        exec(code, {"dump": dump_of_this_process}, namespace)
        text = namespace["f\u00e9\u4e2d"]()
        self.assertIn("\\xe9", text)
        self.assertIn("\\U0001f600", text)
        dump = parse_last_dump(text)
        assert dump is not None
        frame = dump["threads"][0]["frames"][1]  # [0] is dump_of_this_process
        self.assertEqual(frame["file"], "/tmp/caf\u00e9/\U0001f600.py")
        self.assertEqual(frame["function"], "f\u00e9\u4e2d")

    def test_deep_stack_is_marked_truncated(self) -> None:
        def recurse(depth: int) -> str:
            return dump_of_this_process() if depth == 0 else recurse(depth - 1)

        dump = parse_last_dump(recurse(150))
        assert dump is not None
        main = dump["threads"][0]
        self.assertEqual(len(main["frames"]), 100)
        self.assertTrue(main["frames_truncated"])


SYNTHETIC = (
    "Thread 0x00007f00000000aa (most recent call first):\n"
    '  File "/w/a \\"quoted\\" dir/x.py", line 3 in worker\n'
    "  File ???, line ??? in ???\n"
    "\n"
    "Current thread 0x00007f00000000bb (most recent call first):\n"
    "  Garbage-collecting\n"
    '  File "C:\\x41\\new.py", line 7 in <module>\n'
)


class FormatTest(unittest.TestCase):
    def test_unknown_parts_quotes_and_literal_backslashes(self) -> None:
        dump = parse_last_dump(SYNTHETIC)
        assert dump is not None
        main, other = dump["threads"]
        self.assertEqual((main["ident"], main.get("main")), (0x7F00000000BB, True))
        self.assertEqual(main["frames"], [{"file": "C:\\x41\\new.py", "line": 7, "function": "<module>"}])
        self.assertEqual(other["ident"], 0x7F00000000AA)
        self.assertNotIn("main", other)
        self.assertEqual(other["frames"], [
            {"file": '/w/a \\"quoted\\" dir/x.py', "line": 3, "function": "worker"},
            {"file": "???", "line": None, "function": "???"},
        ])

    def test_appended_dumps_are_told_apart_and_an_unfinished_line_is_ignored(self) -> None:
        second = SYNTHETIC.replace("line 7 in <module>", "line 9 in <module>")
        dumps = parse_dumps(SYNTHETIC + second + "Thread 0x00000000000000cc (most rec")
        self.assertEqual(len(dumps), 2)
        self.assertEqual(dumps[1]["threads"][0]["frames"][0]["line"], 9)
        unfinished = parse_dumps(SYNTHETIC[:-1])  # the last frame line not yet terminated
        self.assertEqual(unfinished[0]["threads"][0]["frames"], [])

    def test_threads_without_python_frames_and_too_many_threads(self) -> None:
        text = ("Thread 0x1 (most recent call first):\n<no Python frame>\n\n"
                "Thread 0x2 (most recent call first):\n  <no Python frame>\n\n"
                "...\n")
        dump = parse_last_dump(text)
        assert dump is not None
        self.assertTrue(dump["threads_truncated"])
        self.assertEqual([(t["ident"], t["frames"]) for t in dump["threads"]], [(1, []), (2, [])])
        self.assertFalse(any(t.get("main") for t in dump["threads"]), "the main thread is unknown when cut")
        self.assertIn("  thread 0x1 (most recent call first):", format_threads(dump["threads"]))

    def test_single_thread_dump_and_noise(self) -> None:
        text = 'Fatal Python error: x\n\nStack (most recent call first):\n  File "a.py", line 1 in f\n'
        dump = parse_last_dump(text)
        assert dump is not None
        self.assertEqual(dump["threads"][0]["frames"], [{"file": "a.py", "line": 1, "function": "f"}])
        self.assertIsNone(parse_last_dump(""))
        self.assertEqual(parse_dumps("garbage\nmore garbage\n"), [])

    def test_unescape(self) -> None:
        self.assertEqual(unescape("a\\x0ab\\u20acc\\U0001f600"), "a\nb\u20acc\U0001f600")
        self.assertEqual(unescape("C:\\x41"), "C:\\x41")  # printable ASCII is never escaped by faulthandler


if __name__ == "__main__":
    unittest.main()
