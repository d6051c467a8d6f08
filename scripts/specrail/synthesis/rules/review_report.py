"""Rules of the synthesis review report beyond its headings: each raised flag carries its marker
(stdlib only)."""

from __future__ import annotations

from pathlib import Path

from specrail.validation.markdown import sections
from specrail.validation.md_rules import generic, heading_matches
from specrail.validation.report import FileResult, Issue


def review_report(file: str, text: str, path: Path, result: FileResult) -> list[Issue]:
    """Required headings, and every item under "Flags Raised" carries a [REVIEW-FLAG] marker."""
    secs = sections(text)
    # SYN-REVIEW-HEADINGS
    issues = generic("review-report")(file, text, path, result)
    for sec in secs:
        # SYN-REVIEW-FLAG
        if not heading_matches(sec.title.lower(), "Flags Raised"):
            continue
        for offset, line in enumerate(sec.body, start=1):
            item = line.strip()
            if (
                item[:2] in ("- ", "* ")
                and "[REVIEW-FLAG]" not in item
                and item[2:].strip(" .。").lower() not in ("none", "无")
            ):
                issues.append(
                    Issue(
                        file,
                        f"line {sec.line + offset}",
                        "a flag without a [REVIEW-FLAG] marker",
                        hint="write '- {spec file}: [REVIEW-FLAG] {issue}', or '- None'",
                    )
                )
    return issues
