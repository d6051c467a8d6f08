"""Layout rules of the spec-driven session's Markdown files, beyond their headings (stdlib only).

`md_rules` runs these, through the rule registry, after the required-headings check; the
generators in `reports.py` write files that pass them, and a test holds both to that.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from specrail.spec_driven import proposal_doc
from specrail.validation.markdown import Section, sections
from specrail.validation.report import Issue

Rule = Callable[[str, str, Path], list[Issue]]
SECTION_NUMBER = re.compile(r"^[0-9]+(?:\.[0-9]+)*$")
# An unnumbered spec (a README, a CLAUDE.md, a docs page) keys its sections by heading path.
HEADING_PATH = re.compile(r"^[^/\s](?:[^/]*[^/\s])?(?:/[^/\s](?:[^/]*[^/\s])?)*$")


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


def table(secs: list[Section], heading: str) -> tuple[int, list[str], list[tuple[int, list[str]]]] | None:
    """(line, header, rows) of the first table under the first heading starting with `heading`."""
    for sec in secs:
        if not sec.title.lower().startswith(heading.lower()):
            continue
        rows = [(sec.line + i, ln) for i, ln in enumerate(sec.body, start=1) if ln.strip().startswith("|")]
        if len(rows) < 2:
            return None
        body = [(n, _cells(ln)) for n, ln in rows[2:]]
        return rows[0][0], _cells(rows[0][1]), body
    return None


def table_issues(
    file: str,
    secs: list[Section],
    heading: str,
    columns: tuple[str, ...],
    allowed: dict[str, set[str]] | None = None,
) -> list[Issue]:
    """The table under `heading` has `columns` first, and cells of `allowed` columns take listed values."""
    found = table(secs, heading)
    if not any(s.title.lower().startswith(heading.lower()) for s in secs):
        return []  # the required-headings rule reports the missing section
    if found is None:
        return [
            Issue(file, f"section '{heading}'", "no table", hint=f"add a table: | {' | '.join(columns)} |")
        ]
    line, header, rows = found
    if [h.lower() for h in header[: len(columns)]] != [c.lower() for c in columns]:
        return [Issue(file, f"line {line}", f"table columns are {header}; expected {list(columns)}")]
    issues = []
    for number, cells in rows:
        if len(cells) != len(header):
            issues.append(
                Issue(file, f"line {number}", f"row has {len(cells)} cells; the header has {len(header)}")
            )
            continue
        for column, values in (allowed or {}).items():
            value = cells[[c.lower() for c in header].index(column.lower())].strip("*` ")
            if value not in values:
                issues.append(
                    Issue(
                        file,
                        f"line {number}",
                        f"{column} {value!r} is not one of {', '.join(sorted(values))}",
                    )
                )
    return issues


def proposal(file: str, text: str, path: Path) -> list[Issue]:
    doc = proposal_doc.parse(text)
    return [Issue(file, where, message) for where, message in doc.problems if "Proposal Summary" not in where]


def diff_record(file: str, text: str, path: Path) -> list[Issue]:
    secs = sections(text)
    issues = []
    if not re.search(r"^\*\*Version:\*\*\s*\S+\s*→\s*\S+", text, re.MULTILINE):
        issues.append(Issue(file, "", "missing '**Version:** {old} → {new}' line"))
    issues += table_issues(
        file,
        secs,
        "Sections Changed",
        ("Section", "Change Type", "Summary"),
        {"Change Type": {"ADDED", "MODIFIED", "DEPRECATED"}},
    )
    found = table(secs, "Sections Changed")
    for number, cells in found[2] if found else []:
        if cells and not (
            SECTION_NUMBER.match(cells[0]) or (HEADING_PATH.match(cells[0]) and cells[0] != "-")
        ):
            issues.append(
                Issue(
                    file,
                    f"line {number}",
                    f"section {cells[0]!r} is neither a section number like 3.2 nor a heading path "
                    "like Usage/Subtracting",
                )
            )
    return issues


FINAL_STATES = {"CONVERGED", "ACCEPTED_PARTIAL", "STALLED", "MAX_ROUNDS", "IN_PROGRESS"}
SEVERITIES = {"CRITICAL", "MEDIUM", "LOW"}
TASK_STATUSES = {"OK", "FAILED", "ROLLED_BACK", "SKIPPED", "PENDING", "IN_PROGRESS"}
RESULT_STATUSES = {"PASS", "FAIL", "TIMEOUT", "NOT_CONFIGURED", "SKIPPED"}


def _rule(heading: str, columns: tuple[str, ...], allowed: dict[str, set[str]]) -> Rule:
    def check(file: str, text: str, path: Path) -> list[Issue]:
        return table_issues(file, sections(text), heading, columns, allowed)

    return check


RULES: dict[str, Rule] = {
    "proposal": proposal,
    "diff-record": diff_record,
    "refinement-summary": _rule(
        "Refinement Summary",
        ("Spec", "Rounds", "Gaps Found", "Gaps Resolved", "Final State"),
        {"Final State": FINAL_STATES},
    ),
    "alignment-report": _rule(
        "Findings", ("Severity", "Category", "Location", "Finding"), {"Severity": SEVERITIES}
    ),
    "implementation-log": _rule(
        "Tasks Completed", ("Task", "Files Changed", "Lines", "Status"), {"Status": TASK_STATUSES}
    ),
    "validation-report": _rule(
        "Results Summary", ("Validation", "Status", "Findings", "Actionable"), {"Status": RESULT_STATUSES}
    ),
}
