"""Phase 3A gate: the analysis agent's outputs validate, then the session moves to ANALYZED."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from specrail.models import SynthesisSession
from specrail.synthesis import artifacts, stated_conflicts
from specrail.synthesis.inputs import sha256_of
from specrail.synthesis.paths import resolve
from specrail.synthesis.session import load, one_at_a_time, require, transition
from specrail.validation.report import Issue


@one_at_a_time
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
        "warnings": artifacts.warning_lines(issues),
    }
    if errors:
        return {
            "status": "fail",
            "state": session.state,
            **answer,
            "next": "Have the synthesis-analyst agent fix each error in place, then run this command again.",
        }
    enhancements = artifacts.recommendations(paths)
    conflict_map = artifacts.conflict_map_or_empty(paths, feature_mode)
    conflicts = [c for entry in conflict_map.values() for c in entry.conflicts]
    if feature_mode:
        answer["warnings"] += stated_conflicts.warnings(paths, session.participating_roles, conflict_map)
    frozen = {paths.rel(path): sha256_of(path) for path, _ in wanted}

    def freeze(s: SynthesisSession) -> None:
        s.analysis_hashes = frozen

    session = transition(paths, "ANALYZED", "analysis outputs validated", freeze)
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
