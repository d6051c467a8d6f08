"""`python -m unittest ARGS` that also writes a JUnit XML report: `python unittest_report.py FILE ARGS`.

Run by the project's own interpreter, so it imports nothing but the standard library. The tests
run exactly as `python -m unittest ARGS` runs them (same discovery, output and exit code).
"""

from __future__ import annotations

import os
import sys
import unittest
import xml.etree.ElementTree as ET
from typing import Any, ClassVar


class Recording(unittest.TextTestResult):
    """The text result, also keeping each test's outcome by its id."""

    outcomes: ClassVar[dict[str, str]] = {}

    def addSuccess(self, test: Any) -> None:
        super().addSuccess(test)
        self.outcomes[test.id()] = "passed"

    def addFailure(self, test: Any, err: Any) -> None:
        super().addFailure(test, err)
        self.outcomes[test.id()] = "failure"

    def addError(self, test: Any, err: Any) -> None:
        super().addError(test, err)
        self.outcomes[test.id()] = "error"

    def addSkip(self, test: Any, reason: str) -> None:
        super().addSkip(test, reason)
        self.outcomes[test.id()] = "skipped"

    def addExpectedFailure(self, test: Any, err: Any) -> None:
        super().addExpectedFailure(test, err)
        self.outcomes[test.id()] = "passed"

    def addUnexpectedSuccess(self, test: Any) -> None:
        super().addUnexpectedSuccess(test)
        self.outcomes[test.id()] = "failure"


def write(path: str, outcomes: dict[str, str]) -> None:
    suites = ET.Element("testsuites")
    suite = ET.SubElement(suites, "testsuite", name="unittest", tests=str(len(outcomes)))
    for test_id, outcome in outcomes.items():
        klass, _, name = test_id.rpartition(".")
        case = ET.SubElement(suite, "testcase", classname=klass, name=name)
        if outcome != "passed":
            ET.SubElement(case, outcome)
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)


def main() -> None:
    report, args = sys.argv[1], sys.argv[2:]
    sys.path[0] = os.getcwd()  # as `python -m unittest` sees it: the current folder first
    runner = unittest.TextTestRunner(resultclass=Recording)  # type: ignore[arg-type]
    try:
        unittest.main(module=None, argv=["python -m unittest", *args], testRunner=runner)
    finally:
        write(report, Recording.outcomes)


if __name__ == "__main__":
    main()
