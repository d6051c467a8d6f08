"""Phase 6: inputs unchanged, review done when required, context package and session metadata."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from specrail.errors import InvalidInput
from specrail.fileio import atomic_write_json, now
from specrail.models import ContextPackage, SynthesisSession
from specrail.models.session import BrainstormPhase, FeatureSpecResults, QualityMetrics, SynthesisResults
from specrail.store import validation_failure
from specrail.synthesis import artifacts, complexity
from specrail.synthesis.findings import glossary, terminology_findings
from specrail.synthesis.inputs import changed_inputs, hashes, scan_roles
from specrail.synthesis.paths import SessionPaths, resolve
from specrail.synthesis.review import load_specs, report_counts
from specrail.synthesis.session import load, one_at_a_time, require, transition
from specrail.validation.check import parse_json, read_text

DECISION_NEEDED = "[DECISION NEEDED]"


def check_inputs(paths: SessionPaths, session: SynthesisSession) -> None:
    """Refuse when the guidance or a role analysis changed since discovery."""
    roles, _ = scan_roles(paths)
    changed = changed_inputs(session.input_hashes, hashes(paths, roles))
    if changed:
        first = changed[0].rsplit(" ", 2)[0]
        raise InvalidInput(
            f"inputs changed since discovery ({'; '.join(changed)}); synthesis never edits them: "
            "restore them, or run `specrail synthesis discover` again and redo the synthesis",
            file=paths.prel(paths.session_dir / first),
        )


def update_context_package(paths: SessionPaths, feature_mode: bool, reviewed: bool) -> dict[str, Any]:
    """`.process/context-package.json` with the spec paths; keys of other tools are kept."""
    file = paths.prel(paths.context_package)
    data: dict[str, Any] = {}
    if paths.context_package.is_file():
        loaded = parse_json(read_text(paths.context_package, file), file)
        if not isinstance(loaded, dict):
            raise InvalidInput("a context package must be a JSON object", file=file, pointer="/")
        data = loaded
    found = data.get("metadata")
    metadata: dict[str, Any] = found if isinstance(found, dict) else {}
    data["metadata"] = {**metadata, "session_id": paths.session_id, "updated_at": now()}
    for key in (
        "feature_index_path",
        "feature_specs_dir",
        "feature_mode",
        "synthesis_spec_path",
        "review_report_path",
    ):
        data.pop(key, None)
    if feature_mode:
        data["feature_index_path"] = paths.prel(paths.feature_index)
        data["feature_specs_dir"] = paths.prel(paths.specs_dir) + "/"
        data["feature_mode"] = True
    else:
        data["synthesis_spec_path"] = paths.prel(paths.synthesis_spec)
    data["changelog_path"] = paths.prel(paths.changelog)
    if reviewed:
        data["review_report_path"] = paths.prel(paths.review_report)
    try:
        ContextPackage.model_validate(data)
    except ValidationError as exc:
        raise validation_failure(exc, file) from None
    atomic_write_json(paths.context_package, data)
    return data


def _quality(paths: SessionPaths, session: SynthesisSession, unresolved: int) -> QualityMetrics:
    specs, _ = load_specs(paths, session)
    open_items = sum(s.text.count(DECISION_NEEDED) for s in specs)
    drift = len(terminology_findings(specs, glossary(artifacts.guidance_text(paths))))
    context = session.spec_context
    if context is None or not context.original_user_intent:
        alignment = "not recorded"
    else:
        alignment = "assumed (auto mode)" if context.auto_mode else "validated"
    return QualityMetrics(
        user_intent_alignment=alignment,
        ambiguity_resolution="complete"
        if not (unresolved or open_items)
        else f"partial: {max(unresolved, open_items)} decision(s) open",
        terminology_consistency="enforced" if not drift else f"{drift} glossary variant(s) left",
    )


@one_at_a_time
def finalize(root: Path, session_id: str | None) -> dict[str, Any]:
    paths = resolve(root, session_id)
    session = load(paths)
    require(session, paths, "COMPLETE")
    # SYN-INPUTS-UNCHANGED
    check_inputs(paths, session)
    feature_mode = bool(session.feature_mode)
    scored = complexity.score(paths, session)
    need_review = complexity.required(session, scored)
    reviewed = session.state == "REVIEWED"
    # SYN-REVIEW-REQUIRED
    if need_review and not reviewed:
        why = (
            f"complexity {scored['score']}/8 >= {complexity.REVIEW_THRESHOLD}"
            if scored["review_required"]
            else f"found required earlier; the score is now {scored['score']}/8"
        )
        raise InvalidInput(
            f"review required ({why}) and not done: run `specrail synthesis review-check`, the "
            "spec-reviewer agent, then `specrail synthesis reviewed`",
            file=paths.prel(paths.review_report),
        )
    features: list[str] = []
    if feature_mode:
        artifacts.require_valid(paths.feature_index, paths, "feature-index")
        index = read_text(paths.feature_index, paths.prel(paths.feature_index))
        features = [f["id"] for f in json.loads(index)["features"]]
    else:
        artifacts.require_valid(paths.synthesis_spec, paths)
    artifacts.require_valid(paths.changelog, paths)
    fixes, flags = report_counts(paths.review_report) if reviewed else (0, 0)
    context = session.spec_context
    answers = context.clarification_answers if context else []
    results = SynthesisResults(
        enhancements_applied=list(context.selected_enhancements) if context else [],
        questions_asked=context.questions_asked if context else 0,
        categories_clarified=list(dict.fromkeys(a.category for a in answers)),
        complexity_score=scored["score"],
        review_triggered=reviewed,
        review_fixes=fixes,
        review_flags=flags,
        conflicts_decided_by_user=scored["decided_by_user"],
    )
    phase = BrainstormPhase(
        status="synthesis_completed",
        completed_at=now(),
        participating_roles=list(session.participating_roles),
        synthesis_results=results,
        feature_spec_results=FeatureSpecResults(
            feature_mode=True,
            features_generated=features,
            feature_index_path=paths.rel(paths.feature_index),
            feature_specs_dir=paths.rel(paths.specs_dir) + "/",
        )
        if feature_mode
        else None,
        quality_metrics=_quality(paths, session, scored["dimensions"]["unresolved_conflicts"]),
    )
    package = update_context_package(paths, feature_mode, reviewed)

    def record(s: SynthesisSession) -> None:
        s.complexity_score = scored["score"]
        s.review_required = need_review
        s.phases.BRAINSTORM = phase

    session = transition(paths, "COMPLETE", "synthesis finalized", record)
    answer = {
        "status": "ok",
        "session_id": paths.session_id,
        "state": session.state,
        "feature_mode": feature_mode,
        "enhancements_applied": results.enhancements_applied,
        "questions_answered": len(answers),
        "questions_asked": results.questions_asked,
        "conflicts_decided_by_user": results.conflicts_decided_by_user,
        "complexity_score": results.complexity_score,
        "review": {"triggered": reviewed, "fixes": fixes, "flags": flags},
        "features_generated": features,
        "feature_index_path": paths.rel(paths.feature_index) if feature_mode else None,
        "feature_specs_dir": paths.rel(paths.specs_dir) + "/" if feature_mode else None,
        "synthesis_spec_path": None if feature_mode else paths.rel(paths.synthesis_spec),
        "changelog_path": paths.rel(paths.changelog),
        "context_package": paths.prel(paths.context_package),
        "context_package_keys": sorted(package),
        "brainstorm_phase": phase.model_dump(mode="json", exclude_none=True),
        "next": f"Show the report to the user; their next step: /workflow:plan --session {paths.session_id}",
    }
    answer["report"] = report(answer)
    return answer


def _listed(ids: list[str], index_path: str, most: int = 40) -> str:
    """The ids, or for long lists the first ones and where the others are."""
    if len(ids) <= most:
        return ", ".join(ids)
    return f"{', '.join(ids[:most])}, ... ({len(ids)} features: see {index_path})"


def report(a: dict[str, Any]) -> str:
    """The completion report of the seed's phase 6, step 3."""
    review = a["review"]
    lines = [
        "## Synthesis Complete",
        "",
        f"**Session**: {a['session_id']}",
        f"**Enhancements Applied**: {', '.join(a['enhancements_applied']) or 'none'}",
        f"**Questions Answered**: {a['questions_answered']}/{a['questions_asked']}",
        f"**Complexity Score**: {a['complexity_score']}/8",
        *(
            [f"**Conflicts Decided by the User**: {'; '.join(a['conflicts_decided_by_user'])}"]
            if a["conflicts_decided_by_user"]
            else []
        ),
        "",
        "### Review Status",
        f"Review Agent executed: {review['fixes']} fixes applied, {review['flags']} flags raised"
        if review["triggered"]
        else "Skipped (complexity below threshold)",
        "",
    ]
    if a["feature_mode"]:
        lines += [
            "### Feature Specs",
            f"**Feature Specs Generated**: {_listed(a['features_generated'], a['feature_index_path'])}",
            f"**Feature Index**: {a['feature_index_path']}",
            f"**Spec Directory**: {a['feature_specs_dir']}",
        ]
    else:
        lines += ["### Specification", f"**Synthesis Spec**: {a['synthesis_spec_path']}"]
    lines += [
        f"**Changelog**: {a['changelog_path']}",
        "",
        "### Next Steps",
        f"PROCEED: `/workflow:plan --session {a['session_id']}`",
    ]
    return "\n".join(lines)
