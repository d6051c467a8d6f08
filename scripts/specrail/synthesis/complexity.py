"""Phase 5, step 5: the complexity score (0-8) that decides whether the review runs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from specrail.errors import InvalidInput, SpecrailError
from specrail.fileio import read_text
from specrail.models import FeatureConflicts, FeatureIndex, SynthesisSession
from specrail.synthesis import artifacts
from specrail.synthesis.paths import SessionPaths, resolve
from specrail.synthesis.session import load, one_at_a_time, update
from specrail.validation.json_rules import FEATURE_REF
from specrail.validation.topics import decided_topics

REVIEW_THRESHOLD = 4
# Upper bounds of the low (0) and medium (1) levels of each dimension; above them is high (2).
LEVELS: dict[str, tuple[int, int]] = {
    "feature_count": (2, 4),
    "unresolved_conflicts": (0, 2),
    "participating_roles": (2, 4),
    "cross_feature_dependencies": (0, 2),
}


def level(dimension: str, value: int) -> int:
    low, medium = LEVELS[dimension]
    return 0 if value <= low else 1 if value <= medium else 2


def dependency_pairs(conflict_map: dict[str, FeatureConflicts]) -> list[tuple[str, str]]:
    """Distinct ordered pairs (F-a, F-b), a != b, where F-a's cross_refs name F-b."""
    pairs = {
        (a, b)
        for a, entry in conflict_map.items()
        for ref in entry.cross_refs
        for b in FEATURE_REF.findall(ref)
        if b != a and b in conflict_map
    }
    return sorted(pairs)


def _feature_count(paths: SessionPaths) -> int:
    """Features of the feature index when it reads as one, else of the guidance decomposition."""
    try:
        data = json.loads(read_text(paths.feature_index, paths.prel(paths.feature_index)))
        return len(FeatureIndex.model_validate(data).features)
    except (SpecrailError, ValueError):
        return _decomposition_size(paths)


def _decomposition_size(paths: SessionPaths) -> int:
    try:
        return len(artifacts.features(paths) or [])
    except InvalidInput:
        return 0


def decided_by_user(session: SynthesisSession) -> set[tuple[str, str]]:
    """(feature, topic) of the conflicts the user decided in phase 4."""
    context = session.spec_context
    answers = [a.model_dump() for a in context.clarification_answers] if context else []
    return decided_topics(answers)


def _open_decisions(paths: SessionPaths) -> int:
    """Fallback mode has no conflict map: the single spec's [DECISION NEEDED] items stand for it."""
    try:
        return read_text(paths.synthesis_spec, paths.prel(paths.synthesis_spec)).count("[DECISION NEEDED]")
    except SpecrailError:
        return 0


def score(paths: SessionPaths, session: SynthesisSession) -> dict[str, Any]:
    """The four dimensions, their levels and the total."""
    feature_mode = bool(session.feature_mode)
    conflict_map = artifacts.conflict_map_or_empty(paths, feature_mode)
    pairs = dependency_pairs(conflict_map)
    decided = decided_by_user(session)
    unresolved = [
        (fid, c.topic)
        for fid, e in conflict_map.items()
        for c in e.conflicts
        if c.confidence == "[UNRESOLVED]"
    ]
    dimensions = {
        "feature_count": _feature_count(paths) if feature_mode else _decomposition_size(paths),
        "unresolved_conflicts": sum(item not in decided for item in unresolved)
        if feature_mode
        else _open_decisions(paths),
        "participating_roles": len(session.participating_roles),
        "cross_feature_dependencies": len(pairs),
    }
    levels = {name: level(name, value) for name, value in dimensions.items()}
    total = sum(levels.values())
    return {
        "score": total,
        "dimensions": dimensions,
        "levels": levels,
        "dependency_pairs": [list(p) for p in pairs],
        "decided_by_user": [f"{fid} / {topic}" for fid, topic in unresolved if (fid, topic) in decided],
        "threshold": REVIEW_THRESHOLD,
        "review_required": total >= REVIEW_THRESHOLD,
    }


def required(session: SynthesisSession, scored: dict[str, Any]) -> bool:
    """A review once found required stays required, whatever its inputs say later."""
    return bool(scored["review_required"] or session.review_required)


@one_at_a_time
def complexity(root: Path, session_id: str | None) -> dict[str, Any]:
    """Compute the score and store it (with review_required, never lowered) in the session."""
    paths = resolve(root, session_id)
    session = load(paths)
    result = score(paths, session)
    if required(session, result) and not result["review_required"]:
        result["review_required"] = True
        result["review_kept"] = (
            f"a review was found required earlier; it stays required although the score is now "
            f"{result['score']}/8"
        )

    def record(s: SynthesisSession) -> None:
        s.complexity_score = result["score"]
        s.review_required = result["review_required"]

    update(paths, record)
    if result["review_required"]:
        step = (
            f"Review needed. Run `specrail synthesis review-check --session {paths.session_id} --json` and "
            "give its findings to the spec-reviewer agent."
        )
    else:
        step = f"No review needed. Run `specrail synthesis finalize --session {paths.session_id} --json`."
    return {"status": "ok", "session_id": paths.session_id, "state": session.state, **result, "next": step}


def text(answer: dict[str, Any]) -> str:
    lines = [f"complexity {answer['score']}/8" + (" (review required)" if answer["review_required"] else "")]
    for name, value in answer["dimensions"].items():
        lines.append(f"  {name.replace('_', ' ')}: {value} -> {answer['levels'][name]}")
    lines.append(f"next: {answer['next']}")
    return "\n".join(lines)
