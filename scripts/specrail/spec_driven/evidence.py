"""Requirement evidence: which tests prove which spec section, and what the session's last run says.

A section names its tests on a `**Tests:**` line (test ids or files in backticks:
`tests/test_core.py::test_filter_by_tag`, `tests/test_core.py`), or a test names its section with a
marker `spec: specs/notes.md#3.4` in its name, its docstring or a comment (a marker above or inside
a test links that test; one before any test links the whole file).

A link's result comes from the runner's machine-readable report (`testreports`): passed, failed,
skipped, "not run" (the report does not have it) or "not measured" (no report was read). A
changed section is proven when a linked test passed and none failed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from specrail.fileio import read_text
from specrail.models.session import SpecDrivenSession
from specrail.models.spec_driven import (
    CommandResult,
    DiffRecord,
    LinkedTest,
    PendingDecision,
    SectionEvidence,
    TestCaseResult,
)
from specrail.spec_driven import gitops, specdoc

TESTS_LINE = re.compile(r"^\s*(?:[-*>]\s*)?[*_]*tests?[*_]*\s*:[*_]*\s*(.+)$", re.IGNORECASE)
BACKTICKED = re.compile(r"`([^`\n]+)`")
MARKER = re.compile(r"spec:\s*(?P<spec>[^\s#\"'`]+\.md)#(?P<section>[0-9]+(?:\.[0-9]+)*|[^\"'`)\n]+)")
TEST_FILE = re.compile(
    r"(?:^|/)(?:tests?|__tests__|spec)/|(?:^|/)test_[^/]*\.py$|_test\.(?:py|go)$"
    r"|\.(?:test|spec)\.[cm]?[jt]sx?$"
)
SOURCE_EXT = re.compile(r"\.(?:py|[cm]?[jt]sx?|rs|go)$")
MAX_TEST_FILES = 5000
# A test's definition line, per language: (indent, name).
PY_DEF = re.compile(r"^(\s*)(?:async\s+)?def\s+(test\w*)")
PY_CLASS = re.compile(r"^(\s*)class\s+(\w+)")
JS_TEST = re.compile(r"^(\s*)(?:test|it)(?:\.\w+)?\s*\(\s*(['\"`])(.+?)\2")
RS_GO_TEST = re.compile(r"^(\s*)(?:pub\s+)?(?:fn|func)\s+(\w+)")
COMMENTISH = re.compile(r"^\s*(?:#|//|/\*|\*|@|\"\"\"|'''|$)")


@dataclass(frozen=True)
class Link:
    test: str
    source: str  # "spec" or "test"
    where: str | None = None


# --- links -----------------------------------------------------------------------------------


def spec_links(body: str) -> list[str]:
    """The tests a section's `**Tests:**` lines name (backticked ids or files); the list may go on
    over the following lines, up to a blank one."""
    found: list[str] = []
    listing = False
    for line in body.splitlines():
        match = TESTS_LINE.match(line)
        if match or (listing and line.strip()):
            text = match.group(1) if match else line
            found += [t.strip().removeprefix("./") for t in BACKTICKED.findall(text) if t.strip()]
            listing = True
        else:
            listing = False
    return list(dict.fromkeys(found))


def _test_at(lines: list[str], index: int, path: str) -> str:
    """The test a marker on line `index` belongs to: the test right below its comment block, else
    the test whose body holds it, else the whole file."""
    python = path.endswith(".py")
    pattern = PY_DEF if python else JS_TEST if re.search(r"\.[cm]?[jt]sx?$", path) else RS_GO_TEST

    def name_of(i: int) -> tuple[int, str] | None:
        match = pattern.match(lines[i])
        if not match:
            return None
        return len(match.group(1)), match.group(match.lastindex or 2)

    below = index if name_of(index) else index + 1  # on the test's own line: in its name
    while below < len(lines) and COMMENTISH.match(lines[below]) and not name_of(below):
        below += 1
    hit = name_of(below) if below < len(lines) else None
    at = below
    if hit is None:
        indent = len(lines[index]) - len(lines[index].lstrip())
        for i in range(index, -1, -1):
            found = name_of(i)
            if found and found[0] < indent:
                hit, at = found, i
                break
    if hit is None:
        return path
    parts = [hit[1]]
    if python:
        for i in range(at - 1, -1, -1):
            klass = PY_CLASS.match(lines[i])
            if klass and len(klass.group(1)) < hit[0]:
                parts.insert(0, klass.group(2))
                break
    return "::".join([path, *parts])


def test_files(root: Path) -> list[str]:
    """The project's test files: tracked ones when under git, else a walk that skips hidden
    folders and dependencies."""
    if gitops.is_repo(root):
        listed = gitops.git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard").stdout
        names = [n for n in listed.split("\0") if n]
    else:
        names = [
            p.relative_to(root).as_posix()
            for p in root.rglob("*")
            if p.is_file()
            and not any(
                part.startswith(".") or part in ("node_modules", "target", "venv") for part in p.parts
            )
        ]
    return [n for n in names if SOURCE_EXT.search(n) and TEST_FILE.search(n)][:MAX_TEST_FILES]


def marker_links(root: Path) -> dict[tuple[str, str], list[Link]]:
    """Links the tests make: `spec: SPEC#SECTION` in a test's name, docstring or comment."""
    out: dict[tuple[str, str], list[Link]] = {}
    for path in test_files(root):
        try:
            text = read_text(root / path, path, errors="replace")
        except Exception:
            continue
        if "spec:" not in text:
            continue
        lines = text.splitlines()
        for index, line in enumerate(lines):
            for match in MARKER.finditer(line):
                key = (match["spec"].removeprefix("./"), match["section"].strip())
                out.setdefault(key, []).append(Link(_test_at(lines, index, path), "test", path))
    return out


def report_links(cases: Iterable[TestCaseResult]) -> dict[tuple[str, str], list[Link]]:
    """Links in the tests' own names (`filters by tag (spec: specs/notes.md#3.4)`)."""
    out: dict[tuple[str, str], list[Link]] = {}
    for case in cases:
        for match in MARKER.finditer(case.id):
            key = (match["spec"].removeprefix("./"), match["section"].strip())
            out.setdefault(key, []).append(Link(case.id.removeprefix("::"), "test"))
    return out


# --- results ---------------------------------------------------------------------------------


def canon(test_id: str) -> str:
    """A test id in one spelling: `tests/test_core.py::A::b` and `tests.test_core.A.b` agree."""
    file, sep, rest = test_id.strip().removeprefix("./").partition("::")
    out = SOURCE_EXT.sub("", file).replace("/", ".")
    return f"{out}.{rest.replace('::', '.')}" if sep else out


def matches(link: str, case: str) -> bool:
    if case.startswith("::"):  # the report names no file (node, go): match by the test's name
        name = case.removeprefix("::")
        wanted = link.partition("::")[2] if "::" in link else link
        return bool(wanted) and (
            name == wanted
            or name.endswith(" > " + wanted)
            or name.startswith(wanted + " > ")
            or name == link.removeprefix("::")
        )
    c, w = canon(case), canon(link)
    if c == w or c.startswith((w + ".", w + "[", w + " > ")):
        return True
    if "::" in case and "::" in link:  # jest: same file, the title with or without its suites
        (cf, _, cn), (lf, _, ln) = case.partition("::"), link.partition("::")
        return canon(cf) == canon(lf) and (cn == ln or cn.endswith(" > " + ln))
    return False


def result_of(link: str, cases: Sequence[TestCaseResult] | None) -> tuple[str, int]:
    """(result, tests matched) of one link in a report; "not measured" without a report."""
    if cases is None:
        return "not measured", 0
    hit = [c for c in cases if matches(link, c.id)]
    if not hit:
        return "not run", 0
    statuses = {c.status for c in hit}
    result = "failed" if "failed" in statuses else "passed" if "passed" in statuses else "skipped"
    return result, len(hit)


def last_report(session: SpecDrivenSession) -> tuple[str | None, list[TestCaseResult] | None]:
    """The cases of the session's last test run: the validations' reports, else the verification's."""
    for runs in (session.validations, session.verification):
        measured: list[CommandResult] = [r for r in runs if r.tests is not None]
        if measured:
            cases = [c for r in measured if r.tests for c in r.tests.cases]
            return ", ".join(r.name for r in measured), cases
    return None, None


def status_of(tests: Sequence[LinkedTest], measured: bool) -> str:
    results = {t.result for t in tests}
    if not tests:
        return "unproven"
    if not measured:
        return "not measured"
    if "failed" in results:
        return "failed"
    return "proven" if "passed" in results else "unproven"


def changed_sections(root: Path, folder: Path, session: SpecDrivenSession) -> list[tuple[str, str, str]]:
    """(spec, section, title) of every section the session added or modified."""
    out = []
    for spec, summary in session.diffs.items():
        twin = folder / summary.record.replace(".diff.md", ".diff.json")
        try:
            record = DiffRecord.model_validate_json(read_text(twin, str(twin)))
        except Exception:
            continue
        out += [(spec, c.section, c.title) for c in record.sections if c.change != "DEPRECATED"]
    return out


def links_of(root: Path, spec: str, section: str, markers: dict[tuple[str, str], list[Link]]) -> list[Link]:
    """The section's links: its `**Tests:**` lines in the spec as it is now, then the tests' markers."""
    found: list[Link] = []
    path = root / spec
    if path.is_file():
        doc = specdoc.parse(read_text(path, spec, errors="replace"))
        sec = doc.by_number().get(section)
        if sec is not None:
            found += [Link(t, "spec", spec) for t in spec_links(sec.body)]
    found += markers.get((spec, section), [])
    first: dict[str, Link] = {}
    for link in found:
        first.setdefault(link.test, link)
    return list(first.values())


def evaluate(root: Path, folder: Path, session: SpecDrivenSession) -> list[SectionEvidence]:
    """An evidence entry for every section the session changed, from its last test run."""
    run, cases = last_report(session)
    markers = marker_links(root)
    for key, more in report_links(cases or []).items():
        known = markers.setdefault(key, [])
        known += [x for x in more if not any(matches(k.test, "::" + x.test) for k in known)]
    head = gitops.head(root) if gitops.is_repo(root) else None
    out = []
    for spec, section, title in changed_sections(root, folder, session):
        tests = []
        for link in links_of(root, spec, section, markers):
            result, count = result_of(link.test, cases)
            tests.append(
                LinkedTest(test=link.test, source=link.source, where=link.where, result=result, matched=count)  # type: ignore[arg-type]
            )
        out.append(
            SectionEvidence(
                spec=spec,
                section=section,
                title=title,
                tests=tests,
                status=status_of(tests, cases is not None),  # type: ignore[arg-type]
                run=run,
                commit=head if head and re.fullmatch(r"[0-9a-f]{7,64}", head) else None,
            )
        )
    return out


def linked_files(session: SpecDrivenSession) -> list[str]:
    """The test files the session's evidence names (tests added after "Add tests" belong to the
    feature's commit too)."""
    files = [
        t.where if t.source == "test" else t.test.partition("::")[0]
        for e in session.evidence
        for t in e.tests
    ]
    return [f for f in dict.fromkeys(files) if f and SOURCE_EXT.search(f)]


def unproven(entries: Sequence[SectionEvidence]) -> list[SectionEvidence]:
    return [e for e in entries if e.status != "proven" and e.accepted is None]


def describe(entry: SectionEvidence) -> str:
    """`specs/notes.md#3.4 Filter by Tag: proven (tests/test_core.py::test_x passed)`."""
    tests = ", ".join(f"{t.test} {t.result}" for t in entry.tests) or "no linked test"
    return f"{entry.spec}#{entry.section} {entry.title}: {entry.status} ({tests})"


OPTIONS = ["Add tests", "Accept unproven", "Abort"]


def decision(entries: Sequence[SectionEvidence], stamp: str) -> PendingDecision | None:
    """The user's choice when a changed section has no passing linked test (None when all do)."""
    open_ = unproven(entries)
    if not open_:
        return None
    named = "; ".join(describe(e) for e in open_[:6]) + ("; ..." if len(open_) > 6 else "")
    return PendingDecision(
        kind="evidence",
        reason=f"{len(open_)} changed section(s) without a passing linked test: {named}",
        options=OPTIONS,
        raised_at=stamp,
    )


def accept(session: SpecDrivenSession, reason: str) -> None:
    """ "Accept unproven": every unproven entry carries the user's reason, listed as deferred."""
    for entry in unproven(session.evidence):
        entry.accepted = reason
        session.deferred_items.append(f"Unproven: {entry.spec}#{entry.section} {entry.title} ({reason})")
