"""Phase 3A gate: the analysis agent's outputs validate, then the session moves to ANALYZED."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from specrail.synthesis import artifacts
from specrail.synthesis.paths import SessionPaths, resolve
from specrail.synthesis.session import load, require, transition
from specrail.validation.report import Issue


def _role_warnings(paths: SessionPaths, checked: list[Path], roles: list[str]) -> list[str]:
    """Roles named by the analysis that did not take part (a typo, or a role that never ran)."""
    known = set(roles)
    warnings = []
    for path in checked:
        data = json.loads(path.read_text(encoding="utf-8"))
        named: set[str] = set()
        if isinstance(data, list):
            named = {r for item in data for r in item.get("affected_roles", [])}
        else:
            named = {
                r for entry in data.values() for c in entry.get("conflicts", []) for r in c.get("views", {})
            }
        for role in sorted(named - known):
            warnings.append(f"{paths.brel(path)} names role {role!r}, which has no analysis in this session")
    return warnings


def analyzed(root: Path, session_id: str | None) -> dict[str, Any]:
    """Validate enhancement-recommendations.json (and the conflict map in feature mode)."""
    paths = resolve(root, session_id)
    session = load(paths)
    require(session, paths, "ANALYZED")
    feature_mode = bool(session.feature_mode)
    wanted = [(paths.recommendations, "enhancement-recommendations")]
    if feature_mode:
        wanted.append((paths.conflict_map, "feature-conflict-map"))
    issues: list[Issue] = []
    for path, kind in wanted:
        if not path.is_file():
            issues.append(Issue(paths.prel(path), "", "missing: the synthesis-analyst agent writes it"))
        else:
            issues += artifacts.validate(path, paths, kind).issues
    errors = [i for i in issues if i.severity == "error"]
    answer: dict[str, Any] = {
        "session_id": paths.session_id,
        "feature_mode": feature_mode,
        "errors": artifacts.issue_lines(errors),
        "warnings": [i.line() for i in issues if i.severity == "warning"],
    }
    if errors:
        return {
            "status": "fail",
            "state": session.state,
            **answer,
            "next": "Have the synthesis-analyst agent fix each error in place, then run this command again.",
        }
    answer["warnings"] += _role_warnings(paths, [p for p, _ in wanted], session.participating_roles)
    enhancements = artifacts.recommendations(paths)
    conflicts = [
        c for entry in artifacts.conflict_map_or_empty(paths, feature_mode).values() for c in entry.conflicts
    ]
    session = transition(paths, "ANALYZED", "analysis outputs validated")
    return {
        "status": "ok",
        "state": session.state,
        **answer,
        "enhancements": len(enhancements),
        "conflicts": {
            "total": len(conflicts),
            "resolved": sum(c.confidence == "[RESOLVED]" for c in conflicts),
            "suggested": sum(c.confidence == "[SUGGESTED]" for c in conflicts),
            "unresolved": sum(c.confidence == "[UNRESOLVED]" for c in conflicts),
        },
        "next": f"Run `specrail synthesis questions --session {paths.session_id} --json`.",
    }


def text(answer: dict[str, Any]) -> str:
    if answer["status"] != "ok":
        lines = [
            f"{e['file']}::{e['location']}: {e['message']}"
            if e["location"]
            else f"{e['file']}: {e['message']}"
            for e in answer["errors"]
        ]
        return "\n".join([*lines, f"analysis outputs invalid; session stays {answer['state']}"])
    c = answer["conflicts"]
    lines = [
        f"session {answer['session_id']}: {answer['state']}",
        f"{answer['enhancements']} enhancements; {c['total']} conflicts "
        f"({c['resolved']} resolved, {c['suggested']} suggested, {c['unresolved']} unresolved)",
    ]
    lines += [f"warning: {w}" for w in answer["warnings"]]
    lines.append(f"next: {answer['next']}")
    return "\n".join(lines)
