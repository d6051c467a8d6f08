"""Terminology across specs: the terms a change removed or renamed in one spec, and the places other
specs still use them (the alignment check's terminology findings)."""

from __future__ import annotations

import re

from specrail.models.spec_driven import AlignmentFinding
from specrail.spec_driven import specdoc


def renamed(before: specdoc.SpecDoc | None, after: specdoc.SpecDoc) -> dict[str, list[str]]:
    """Terms the change removed from the live text of a spec, each with the terms new in its section."""
    if before is None:
        return {}
    removed = specdoc.terms(before.live_text()) - specdoc.terms(after.live_text())
    old_sections = before.by_number()
    out: dict[str, list[str]] = {}
    for term in sorted(removed):
        replacements: set[str] = set()
        for number, old in old_sections.items():
            new = after.by_number().get(number)
            if term in specdoc.terms(old.body) and new is not None and not new.deprecated:
                replacements |= specdoc.terms(new.body) - specdoc.terms(old.body)
        out[term] = sorted(replacements)[:3]
    return out


def still_used(source: str, text: str, renamed: dict[str, dict[str, list[str]]]) -> list[AlignmentFinding]:
    """Where `source` still uses a term another spec of the change removed or renamed."""
    findings = []
    lines = text.splitlines()
    for origin, terms in renamed.items():
        if origin == source:
            continue
        for term, new in terms.items():
            pattern = re.compile(rf"(?<![\w]){re.escape(term)}(?![\w])")
            hits = [n for n, ln in enumerate(lines, start=1) if pattern.search(ln)]
            if not hits:
                continue
            what = f"renamed to {', '.join(new)}" if new else "removed"
            findings.append(
                AlignmentFinding(
                    severity="MEDIUM" if new else "LOW",
                    category="terminology",
                    file=source,
                    line=hits[0],
                    message=f"'{term}' was {what} in {origin} but is still used here ({len(hits)} line(s))",
                    hint=f"use {new[0]}" if new else "reword or drop the reference",
                )
            )
    return findings
