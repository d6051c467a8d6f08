"""Machine-readable test reports: ask the runner for one when specrail runs it, then read it.

| runner                         | how the report is asked for                                   |
|--------------------------------|---------------------------------------------------------------|
| pytest                         | `--junitxml=FILE` appended                                    |
| `python -m unittest`           | run through `unittest_report.py`, which writes JUnit XML      |
| `node --test` (also via npm)   | `NODE_OPTIONS` adds the junit reporter next to the spec one    |
| jest / vitest (also via npm)   | `--json --outputFile=FILE` / `--reporter=json --outputFile.json` |
| `cargo test`                   | libtest's own lines in the output (`test x ... ok`)           |
| `go test`                      | `-json` added, its event stream read from the output          |
| any runner                     | `commands.NAME.report: FILE` (JUnit XML the command writes)   |

FILE is a fresh temporary file outside the project; a configured report counts only when the run
wrote it. A run whose report cannot be read has `tests: None`: its evidence is "not measured".
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shlex
import shutil
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from specrail.models.spec_driven import ReportFormat, TestCaseResult, TestReport

MAX_REPORT_BYTES = 64 * 1024 * 1024
MAX_CASES = 5000
UNITTEST_SCRIPT = Path(__file__).resolve().parent / "unittest_report.py"
SHELL_JOIN = re.compile(r"&&|\|\||[;|`]|\$\(")
PYTEST = re.compile(r"(?:^|\s|/)(?:py\.test|pytest)(?:\s|$)")
UNITTEST = re.compile(r"^(?P<python>\S*python[0-9.]*)\s+-m\s+unittest(?P<args>(?:\s.*)?)$")
NODE_TEST = re.compile(r"\bnode\b[^|;&]*\s--test\b")
JEST = re.compile(r"(?:^|\s|/)jest(?:\s|$)")
VITEST = re.compile(r"(?:^|\s|/)vitest(?:\s|$)")
CARGO_TEST = re.compile(r"^cargo\s+(?:\+\S+\s+)?test\b")
GO_TEST = re.compile(r"^go\s+test\b")
PATH_LIKE = re.compile(r"\.(?:[cm]?[jt]sx?|py|rs|go)$")
NPM_TEST = re.compile(r"^(?:npm|pnpm|yarn)\s+(?:run\s+)?test\b")


@dataclass
class Prepared:
    """The command as it runs (with its report asked for), its extra environment, and its reader."""

    command: str
    env: dict[str, str] = field(default_factory=dict)
    read: Callable[[str, float], TestReport | None] = lambda output, started: None
    folder: str | None = None

    def cleanup(self) -> None:
        if self.folder:
            shutil.rmtree(self.folder, ignore_errors=True)


def _status(element: ET.Element) -> str:
    tags = {child.tag for child in element}
    if tags & {"failure", "error"}:
        return "failed"
    if "skipped" in tags:
        return "skipped"
    return "passed"


def report_of(fmt: ReportFormat, cases: Iterable[tuple[str, str]]) -> TestReport:
    items = [TestCaseResult(id=name[:500] or "?", status=status) for name, status in cases]  # type: ignore[arg-type]
    return TestReport(
        format=fmt,
        passed=sum(c.status == "passed" for c in items),
        failed=sum(c.status == "failed" for c in items),
        skipped=sum(c.status == "skipped" for c in items),
        cases=items[:MAX_CASES],
        truncated=len(items) > MAX_CASES,
    )


def parse_junit(data: bytes) -> TestReport | None:
    """JUnit XML: `classname.name` when the case has a class name that is not the runner's
    placeholder, else `::suite > name` (node's reporter names no file)."""
    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        return None  # no entity expansion from a file a test may have written
    try:
        top = ET.fromstring(data)
    except ET.ParseError:
        return None
    cases: list[tuple[str, str]] = []

    def walk(node: ET.Element, suites: list[str]) -> None:
        for child in node:
            if child.tag == "testsuite":
                walk(child, [*suites, child.get("name", "")])
            elif child.tag == "testcase":
                cases.append((_case_id(child, suites), _status(child)))

    if top.tag == "testsuites":
        walk(top, [])
    elif top.tag == "testsuite":
        walk(top, [top.get("name", "")])
    else:
        return None
    return report_of("junit", cases)


def _case_id(case: ET.Element, suites: list[str]) -> str:
    name, klass, file = case.get("name", ""), case.get("classname", ""), case.get("file")
    named = [s for s in suites if s and s not in ("pytest", "root")]
    if "/" in klass or PATH_LIKE.search(klass):  # vitest: the class name is the file
        return f"{klass}::{name}"
    if klass and klass not in ("test", "pytest"):  # pytest, unittest: dotted module and class
        return f"{klass}.{name}"
    if file:
        return f"{file}::{' > '.join([*named, name])}"
    return "::" + " > ".join([*named, name])  # node: no file in the report


def parse_jest(data: bytes, root: Path) -> TestReport | None:
    """jest's `--json` (vitest's json reporter writes the same shape)."""
    try:
        doc = json.loads(data)
    except ValueError:
        return None
    if not isinstance(doc, dict) or not isinstance(doc.get("testResults"), list):
        return None
    cases = []
    for suite in doc["testResults"]:
        file = str(suite.get("name") or suite.get("testFilePath") or "")
        with contextlib.suppress(ValueError, OSError):
            file = Path(file).resolve().relative_to(root.resolve()).as_posix()
        for test in suite.get("assertionResults") or suite.get("testResults") or []:
            path = [*(test.get("ancestorTitles") or []), test.get("title", "")]
            status = {"passed": "passed", "failed": "failed"}.get(test.get("status"), "skipped")
            cases.append((f"{file}::{' > '.join(str(p) for p in path)}", status))
    return report_of("jest-json", cases)


LIBTEST_RUNNING = re.compile(r"^\s*Running (?:unittests |tests )?(\S+\.rs)\b|^\s*Running ")
LIBTEST_LINE = re.compile(r"^test (\S+) \.\.\. (ok|FAILED|ignored)\b")


def parse_libtest(output: str) -> TestReport | None:
    """`cargo test` output: the binary's source after each `Running`, then `test NAME ... ok`."""
    cases = []
    file = None
    seen = False
    for line in output.splitlines():
        running = LIBTEST_RUNNING.match(line)
        if running:
            file, seen = running.group(1), True
            continue
        match = LIBTEST_LINE.match(line)
        if match:
            status = {"ok": "passed", "FAILED": "failed"}.get(match.group(2), "skipped")
            cases.append((f"{file or ''}::{match.group(1)}", status))
    return report_of("libtest", cases) if seen or cases else None


def parse_go(output: str) -> TestReport | None:
    """`go test -json`: one event per line; the final `pass`/`fail`/`skip` of each test."""
    final: dict[str, str] = {}
    seen = False
    for line in output.splitlines():
        if not line.startswith("{"):
            continue
        try:
            event = json.loads(line)
        except ValueError:
            continue
        seen = True
        action, test = event.get("Action"), event.get("Test")
        if test and action in ("pass", "fail", "skip"):
            final[f"::{test}"] = {"pass": "passed", "fail": "failed"}.get(action, "skipped")
    return report_of("go-json", final.items()) if seen else None


def _read_file(path: Path, started: float, parse: Callable[[bytes], TestReport | None]) -> TestReport | None:
    try:
        info = path.stat()
        if info.st_mtime < started - 1 or info.st_size > MAX_REPORT_BYTES or not path.is_file():
            return None  # left over from an earlier run, or not a report
        return parse(path.read_bytes())
    except OSError:
        return None


def _npm_script(root: Path) -> str:
    try:
        scripts = json.loads((root / "package.json").read_text(encoding="utf-8")).get("scripts") or {}
        return str(scripts.get("test") or "")
    except (OSError, ValueError, AttributeError):
        return ""


def prepare(command: str, root: Path, report: str | None = None) -> Prepared:
    """`command` with its report asked for, and how to read the report after the run."""
    if report:  # the configuration names the file: the command writes it itself
        target = root / report
        return Prepared(command, read=lambda output, started: _read_file(target, started, parse_junit))
    plain = command.strip()
    if SHELL_JOIN.search(plain):
        return Prepared(command)  # several commands: which one's report would it be?
    if CARGO_TEST.match(plain):
        return Prepared(command, read=lambda output, started: parse_libtest(output))
    if GO_TEST.match(plain):
        return Prepared(
            re.sub(r"^go\s+test\b", "go test -json", plain),
            read=lambda output, started: parse_go(output),
        )
    folder = tempfile.mkdtemp(prefix="specrail-report-")
    out = Path(folder) / "report"
    junit = lambda output, started: _read_file(out, started, parse_junit)  # noqa: E731
    jest = lambda output, started: _read_file(out, started, lambda d: parse_jest(d, root))  # noqa: E731
    script = _npm_script(root) if NPM_TEST.match(plain) else plain
    extra = " -- " if NPM_TEST.match(plain) and not plain.startswith("yarn") else " "
    quoted = shlex.quote(str(out))
    unittest = UNITTEST.match(plain)
    if unittest:
        run = f"{unittest['python']} {shlex.quote(str(UNITTEST_SCRIPT))} {quoted}{unittest['args']}"
        return Prepared(run, read=junit, folder=folder)
    if PYTEST.search(plain) and "--junitxml" not in plain:  # the user's own report stays theirs
        return Prepared(f"{plain} --junitxml={quoted}", read=junit, folder=folder)
    if NODE_TEST.search(script):
        options = (
            "--test-reporter=spec --test-reporter-destination=stdout "
            f"--test-reporter=junit --test-reporter-destination={out}"
        )
        given = os.environ.get("NODE_OPTIONS", "")
        return Prepared(command, {"NODE_OPTIONS": f"{given} {options}".strip()}, junit, folder)
    if JEST.search(script):
        return Prepared(f"{plain}{extra}--json --outputFile={quoted}", read=jest, folder=folder)
    if VITEST.search(script):
        return Prepared(
            f"{plain}{extra}--reporter=default --reporter=json --outputFile.json={quoted}",
            read=jest,
            folder=folder,
        )
    shutil.rmtree(folder, ignore_errors=True)
    return Prepared(command)
