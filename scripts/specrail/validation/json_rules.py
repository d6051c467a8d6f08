"""Cross-field rules a JSON Schema cannot express, run after the schema passed (stdlib only)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from specrail import states
from specrail.validation.report import Issue, pointer

FEATURE_REF = re.compile(r"\bF-[0-9]{3,}\b")
Rule = Callable[[str, Any, Path], list[Issue]]


def duplicates(file: str, items: list[dict[str, Any]], key: str, *where: str) -> list[Issue]:
    seen: dict[str, int] = {}
    issues = []
    for i, item in enumerate(items):
        value = item[key]
        if value in seen:
            issues.append(
                Issue(
                    file, pointer(*where, i, key), f"duplicate {key} {value!r} (first at index {seen[value]})"
                )
            )
        seen.setdefault(value, i)
    return issues


def workflow_session(file: str, data: dict[str, Any], path: Path) -> list[Issue]:
    workflow = data["workflow"]
    issues = []
    previous = None
    for i, step in enumerate(data["history"]):
        if previous is not None and step["from"] != previous:
            issues.append(
                Issue(
                    file, pointer("history", i, "from"), f"history breaks: {step['from']} follows {previous}"
                )
            )
        reason = states.refusal(workflow, step["from"], step["to"])
        if reason:
            issues.append(Issue(file, pointer("history", i), reason))
        previous = step["to"]
    expected = previous or "PENDING"
    if data["state"] != expected:
        issues.append(Issue(file, "/state", f"state {data['state']} but the history ends in {expected}"))
    return issues


def diff_record_json(file: str, data: dict[str, Any], path: Path) -> list[Issue]:
    seen: set[str] = set()
    issues = []
    for i, change in enumerate(data["sections"]):
        if change["section"] in seen:
            issues.append(
                Issue(file, pointer("sections", i, "section"), f"section {change['section']} listed twice")
            )
        seen.add(change["section"])
    return issues


RULES: dict[str, Rule] = {
    "workflow-session": workflow_session,
    "diff-record-json": diff_record_json,
}
