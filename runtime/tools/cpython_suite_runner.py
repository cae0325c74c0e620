"""Run one unittest module and write every test's outcome as JSON (used by compare_cpython_suites.py).

    python cpython_suite_runner.py MODULE RESULTS.json

Outcomes: ``ok``, ``fail``, ``error``, ``skip``, ``xfail`` (expected failure),
``xpass`` (unexpected success). A failing subtest is recorded as its own entry
(``<test id> <params>``) and makes its test ``fail``/``error`` as well, so a
difference inside a parameterised test is not hidden. Progress goes to stderr.
"""

from __future__ import annotations

import json
import sys
import time
import unittest
from typing import Any, Dict, Optional, Tuple

ExcInfo = Tuple[Any, Any, Any]


class RecordingResult(unittest.TestResult):
    def __init__(self) -> None:
        super().__init__()
        self.outcomes: Dict[str, str] = {}
        self.details: Dict[str, str] = {}
        self._started = 0.0

    def _set(self, test: unittest.TestCase, outcome: str, detail: Optional[str] = None) -> None:
        key = test.id()
        previous = self.outcomes.get(key)
        # A test whose subtest failed stays failed even if addSuccess is not called or comes later.
        if previous in ("fail", "error") and outcome == "ok":
            return
        self.outcomes[key] = outcome
        if detail:
            self.details[key] = detail[-2000:]

    def startTest(self, test: unittest.TestCase) -> None:
        super().startTest(test)
        self._started = time.monotonic()
        sys.stderr.write("%s ... " % test.id())
        sys.stderr.flush()

    def stopTest(self, test: unittest.TestCase) -> None:
        super().stopTest(test)
        sys.stderr.write("%s (%.1fs)\n" % (self.outcomes.get(test.id(), "?"), time.monotonic() - self._started))
        sys.stderr.flush()

    def addSuccess(self, test: unittest.TestCase) -> None:
        super().addSuccess(test)
        self._set(test, "ok")

    def addFailure(self, test: unittest.TestCase, err: ExcInfo) -> None:
        super().addFailure(test, err)
        self._set(test, "fail", self._exc_info_to_string(err, test))

    def addError(self, test: unittest.TestCase, err: ExcInfo) -> None:
        super().addError(test, err)
        # setUpClass/tearDownModule errors arrive with a placeholder "test"
        key = test.id() if hasattr(test, "id") else str(test)
        self.outcomes[key] = "error"
        self.details[key] = self._exc_info_to_string(err, test)[-2000:]

    def addSkip(self, test: unittest.TestCase, reason: str) -> None:
        super().addSkip(test, reason)
        self._set(test, "skip", reason)

    def addExpectedFailure(self, test: unittest.TestCase, err: ExcInfo) -> None:
        super().addExpectedFailure(test, err)
        self._set(test, "xfail")

    def addUnexpectedSuccess(self, test: unittest.TestCase) -> None:
        super().addUnexpectedSuccess(test)
        self._set(test, "xpass")

    def addSubTest(self, test: unittest.TestCase, subtest: unittest.TestCase, err: Optional[ExcInfo]) -> None:
        super().addSubTest(test, subtest, err)
        if err is None:
            return
        kind = "fail" if issubclass(err[0], test.failureException) else "error"
        detail = self._exc_info_to_string(err, test)[-2000:]
        self.outcomes[subtest.id()] = kind
        self.details[subtest.id()] = detail
        self.outcomes[test.id()] = kind


def main(argv: "list[str]") -> int:
    module, output = argv
    suite = unittest.defaultTestLoader.loadTestsFromName(module)
    result = RecordingResult()
    started = time.monotonic()
    try:
        suite.run(result)
    finally:
        with open(output, "w", encoding="utf-8") as handle:
            json.dump({"module": module, "seconds": time.monotonic() - started,
                       "outcomes": result.outcomes, "details": result.details}, handle, indent=1, sort_keys=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
