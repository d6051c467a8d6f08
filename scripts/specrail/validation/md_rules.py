"""The engine's check of the Markdown artifacts: required headings, in order, and the diagrams
specrail draws; a workflow adds its own rules through `registry` (stdlib only)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from specrail.validation import registry
from specrail.validation.markdown import Section, sections
from specrail.validation.placeholders import placeholder_issues
from specrail.validation.report import FileResult, Issue
from specrail.validation.spec_words import (
    HEADING_NAMES,
)

# Headings (any level, matched as prefixes, case-insensitive) each kind must contain, in order.
REQUIRED_HEADINGS: dict[str, tuple[str, ...]] = {
    "synthesis-specification": (),
    # SYN-CHANGELOG-HEADINGS
    "synthesis-changelog": (
        "Synthesis Changelog",
        "Enhancements Applied",
        "Clarifications Resolved",
        "Conflicts Resolved",
        "Unresolved Items",
    ),
    "review-report": ("Review Report", "Fixes Applied", "Flags Raised"),
    "proposal": ("Proposal Summary",),
    "diff-record": ("Spec Diff:", "Sections Changed", "Implementation Implications"),
    "refinement-summary": ("Refinement Summary", "Key Decisions", "Deferred Items"),
    "alignment-report": ("Alignment Report", "Findings"),
    "implementation-log": ("Implementation Log", "Tasks Completed", "Verification", "Issues Encountered"),
    "validation-report": ("Validation Report", "Results Summary"),
    "summary": (
        "Feature Complete:",
        "What Changed",
        "Validation Results",
        "Commits Created",
        "Session Artifacts",
    ),
}


def heading_matches(title: str, heading: str) -> bool:
    """`title` (lower case) is the heading `heading`, in English or another language of HEADING_NAMES."""
    english = heading.lower()
    return (
        title.startswith(english)
        or (heading in HEADING_NAMES and english in title)
        or any(zh in title for zh in HEADING_NAMES.get(heading, ()))
    )


def required_headings(file: str, secs: list[Section], wanted: tuple[str, ...]) -> list[Issue]:
    issues = []
    position = 0
    titles = [(s.title.lower(), s.line) for s in secs[1:]]
    for heading in wanted:
        found = next(
            (i for i in range(position, len(titles)) if heading_matches(titles[i][0], heading)), None
        )
        if found is None:
            anywhere = any(heading_matches(t, heading) for t, _ in titles)
            problem = "out of order" if anywhere else "missing"
            issues.append(
                Issue(file, f"section '{heading}'", f"section {problem}", hint=f"add a '{heading}' heading")
            )
        else:
            position = found + 1
    return issues


def generic(kind: str) -> Callable[[str, str, Path, FileResult], list[Issue]]:
    def check(file: str, text: str, path: Path, result: FileResult) -> list[Issue]:
        secs = sections(text)
        issues = required_headings(file, secs, REQUIRED_HEADINGS[kind])
        if not text.strip():
            issues.append(Issue(file, "", "file is empty"))
        if kind in ("synthesis-specification", "proposal"):
            issues += placeholder_issues(file, secs)
        for rule in registry.rules_for(kind):
            issues += rule(file, text, path)
        if kind in DIAGRAM_KINDS:
            issues += _diagrams(file, text)
        return issues

    return check


# Kinds whose Mermaid diagrams specrail draws itself, so each must parse.
DIAGRAM_KINDS = ("implementation-log", "summary", "review-report")


def _diagrams(file: str, text: str) -> list[Issue]:
    from specrail import mermaid

    return [
        Issue(file, f"diagram {number}", problem, hint="regenerate the report with its specrail command")
        for number, block in enumerate(mermaid.blocks(text), start=1)
        for problem in mermaid.lint(block)
    ]


RULES: dict[str, Callable[[str, str, Path, FileResult], list[Issue]]] = {
    kind: generic(kind) for kind in REQUIRED_HEADINGS
}
