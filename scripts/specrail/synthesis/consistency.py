"""The changelog against the session's records: what it says was applied and answered."""

from __future__ import annotations

import re

from specrail.models import SynthesisSession
from specrail.synthesis.gates import unselected_in
from specrail.synthesis.paths import SessionPaths
from specrail.validation.check import read_text
from specrail.validation.markdown import Section, sections
from specrail.validation.md_rules import heading_matches
from specrail.validation.report import Issue

ITEM = re.compile(r"^\s*[-*+]\s+(.*\S)")
NOTHING = {"none", "none.", "无", "无。", "n/a", "-"}


def _numbered_under(secs: list[Section], heading: str) -> tuple[Section | None, list[tuple[int, str]]]:
    """The section titled `heading` and its (line number, line), sub-sections included."""
    for i, sec in enumerate(secs):
        if sec.level and heading_matches(sec.title.lower(), heading):
            lines = [(sec.line + n, line) for n, line in enumerate(sec.body, start=1)]
            for sub in secs[i + 1 :]:
                if sub.level <= sec.level:
                    break
                lines += [
                    (sub.line, sub.title),
                    *((sub.line + n, ln) for n, ln in enumerate(sub.body, start=1)),
                ]
            return sec, lines
    return None, []


def _under(secs: list[Section], heading: str) -> tuple[Section | None, list[str]]:
    sec, lines = _numbered_under(secs, heading)
    return sec, [line for _, line in lines]


def changelog_issues(paths: SessionPaths, session: SynthesisSession) -> list[Issue]:
    """Applied enhancements the user did not select (error), selected ones not listed and fewer
    answered questions than recorded (warnings)."""
    context = session.spec_context
    if context is None or not paths.changelog.is_file():
        return []
    file = paths.prel(paths.changelog)
    secs = sections(read_text(paths.changelog, file))
    issues: list[Issue] = []
    selected = set(context.selected_enhancements)
    sec, numbered_lines = _numbered_under(secs, "Enhancements Applied")
    if sec is not None:
        where = f"section '{sec.title}'"
        # SYN-CHANGELOG-SELECTION: any line format (list, table, sub-heading, plain text)
        for number, line in numbered_lines:
            for ep in unselected_in(line, selected):
                issues.append(
                    Issue(
                        file,
                        f"line {number}",
                        f"{ep} is listed as applied, but the user did not select it",
                        hint="list only the selected enhancements: "
                        + (", ".join(context.selected_enhancements) or "none"),
                    )
                )
        text = "\n".join(line for _, line in numbered_lines)
        # SYN-CHANGELOG-COMPLETE
        missing = [ep for ep in context.selected_enhancements if ep not in text]
        if missing:
            issues.append(
                Issue(
                    file,
                    where,
                    f"selected enhancement(s) not listed: {', '.join(missing)}",
                    severity="warning",
                    hint="add '- **EP-00x**: {title} — how it was incorporated into which spec(s)'",
                )
            )
    sec, lines = _under(secs, "Clarifications Resolved")
    answered = len(context.clarification_answers)
    if sec is not None and answered:
        items = [m.group(1) for m in map(ITEM.match, lines) if m and m.group(1).lower() not in NOTHING]
        # SYN-CHANGELOG-ANSWERS
        if len(items) < answered:
            issues.append(
                Issue(
                    file,
                    f"section '{sec.title}'",
                    f"{answered} answer(s) recorded in phase 4, {len(items)} listed",
                    severity="warning",
                    hint="add '- **{Category}**: {question} → {answer} — {impact on specs}' for each answer",
                )
            )
    return issues
