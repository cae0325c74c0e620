"""The terminal summary: colors, durations, per-worker tasks, and the --json document."""

from __future__ import annotations

import io
import json
import unittest

from mpscope.launcher.summary import (
    PLAIN,
    Style,
    describe,
    format_duration,
    render,
    summary_json,
    wants_color,
)
from tests.test_runmodel import created, exited, hello, model_of, started


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def counters(pid: int, done: int, failed: int) -> dict:
    return {"v": 1, "kind": "task.counters", "t": 1.0, "pid": pid, "done": done, "failed": failed, "time": 0.5,
            "max": 0.1}


class SummaryTest(unittest.TestCase):
    def model(self):
        return model_of(
            hello(9, 1, "launcher"),
            hello(10, 9, "main", argv=["/x/prog.py"]),
            created(10, "10-1", "ForkPoolWorker-1", role="pool-worker", target="multiprocessing.pool.worker"),
            started(10, "10-1", 11),
            created(10, "10-2", "Process-2", target="__main__.work"),
            started(10, "10-2", 12),
            counters(11, 5, 1),
            counters(11, 12, 2),  # cumulative: the latest wins
            exited(12, "self", 1, exception={"type": "KeyError", "message": "'k'"}, t=12.5),
            exited(10, "parent", 1, child=12, t=13.0),
            exited(10, "parent", -15, child=11, signal="SIGTERM", t=14.0),
            exited(9, "launcher", 0, child=10, t=20.0),
        )

    def test_workers_show_their_tasks(self) -> None:
        model = self.model()
        self.assertEqual(describe(model.processes[11]),
                         "11 ForkPoolWorker-1 [pool-worker, fork] killed by SIGTERM (-15) after 3.00s · "
                         "12 tasks done, 2 failed")
        self.assertEqual(describe(model.processes[12]),
                         "12 Process-2 [process, fork] __main__.work exit 1 after 500ms · KeyError: 'k'")

    def test_colors_only_when_asked(self) -> None:
        model = self.model()
        plain = render(model)
        colored = render(model, style=Style(True))
        self.assertFalse(any("\033[" in line for line in plain))
        self.assertIn("\033[32mexit 0 after 10.00s\033[0m", colored[1])  # the main process: green
        self.assertIn("\033[31mexit 1 after 500ms\033[0m", colored[3])  # a failure: red
        strip = [line.replace("\033[0m", "") for line in colored]
        for code in ("\033[1m", "\033[2m", "\033[31m", "\033[32m", "\033[33m"):
            strip = [line.replace(code, "") for line in strip]
        self.assertEqual(strip, plain)

    def test_wants_color(self) -> None:
        self.assertTrue(wants_color(Tty(), {}))
        self.assertFalse(wants_color(io.StringIO(), {}))
        self.assertFalse(wants_color(Tty(), {"NO_COLOR": "1"}))
        self.assertTrue(wants_color(Tty(), {"NO_COLOR": ""}), "an empty NO_COLOR does not count")
        self.assertFalse(wants_color(Tty(), {"TERM": "dumb"}))
        self.assertTrue(wants_color(io.StringIO(), {"NO_COLOR": "1"}, "always"))
        self.assertFalse(wants_color(Tty(), {}, "never"))

    def test_durations(self) -> None:
        self.assertEqual([format_duration(s) for s in (0.0004, 0.25, 1.5, 59.994, 61, 3725, None)],
                         ["0ms", "250ms", "1.50s", "59.99s", "1m01s", "1h02m", ""])

    def test_json_document(self) -> None:
        model = self.model()
        document = summary_json(model, {"malformed": 1}, {"command": ["prog.py"], "exitcode": 0})
        json.dumps(document)  # serialisable
        self.assertEqual(document["mpscope_summary"], 1)
        self.assertEqual([p["pid"] for p in document["processes"]], [10, 11, 12])
        main, worker, child = document["processes"]
        self.assertEqual((main["parent"], main["role"], main["label"]), (None, "main", "prog.py"))
        self.assertEqual(main["exit"], {"reporter": "launcher", "exitcode": 0, "signal": None})
        self.assertEqual(worker["tasks"], {"done": 12, "failed": 2})
        self.assertEqual(worker["exit"]["signal"], "SIGTERM")
        self.assertEqual((child["parent"], child["target"], child["lifetime"]), (10, "__main__.work", 0.5))
        self.assertEqual(child["exit"]["exception"]["type"], "KeyError")
        self.assertEqual(document["dropped"], {"malformed": 1})
        self.assertIs(PLAIN.enabled, False)


if __name__ == "__main__":
    unittest.main()
