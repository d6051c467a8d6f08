"""Phases 1-2: the session, its inputs, feature mode, the participating roles and their files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from specrail.decisions import users_only
from specrail.errors import InvalidInput, UsageFailure
from specrail.models import SynthesisSession
from specrail.models.session import BrainstormPhase
from specrail.synthesis import artifacts
from specrail.synthesis.inputs import INDEX_FILE, MAX_FILES_PER_ROLE, Role, capped, hashes, scan_roles
from specrail.synthesis.paths import SessionPaths, resolve
from specrail.synthesis.scaffold import placeholders
from specrail.synthesis.session import one_at_a_time, open_or_adopt, transition
from specrail.validation.normalise import language_tag


def _feature_mode(paths: SessionPaths, roles: list[Role], warnings: list[str]) -> list[dict[str, Any]] | None:
    """The parsed decomposition when feature mode is on (table AND per-feature analyses), else None."""
    found = artifacts.decomposition(paths)
    has_subdocs = any(role.subdocs for role in roles)
    if found is not None and not has_subdocs:
        warnings.append(
            "the guidance has a Feature Decomposition but no role has analysis-F-*-*.md files: "
            "feature mode is off"
        )
    if found is None or not has_subdocs:
        return None
    warnings += found.warnings
    known = {f.id: f.slug for f in found.features}
    for role in roles:
        for fid, name in role.subdocs.items():
            if fid not in known:
                warnings.append(f"{role.name}/{name} names {fid}, which is not in the Feature Decomposition")
            elif name != f"analysis-{fid}-{known[fid]}.md":
                warnings.append(
                    f"{role.name}/{name} does not match the slug of {fid}: "
                    f"expected analysis-{fid}-{known[fid]}.md"
                )
    return [f.as_dict() for f in found.features]


def _next(paths: SessionPaths, feature_mode: bool) -> str:
    outputs = "enhancement-recommendations.json" + (" and feature-conflict-map.json" if feature_mode else "")
    return (
        f"Run the synthesis-analyst agent (Task) with this answer's brainstorm_dir, analysis_input_paths, "
        f"participating_roles, feature_mode and features; it writes {outputs} in brainstorm_dir. "
        f"Then run `specrail synthesis analyzed --session {paths.session_id} --json`."
    )


@one_at_a_time
def discover(
    root: Path, session_id: str | None, auto: bool = False, language: str | None = None
) -> dict[str, Any]:
    """Find the session and its inputs, record their hashes, move the session to DISCOVERED."""
    chosen = language_tag(language) if language is not None else None
    if language is not None and chosen is None:
        raise UsageFailure(
            f"--language {language[:40]!r} is not a language tag: give a BCP 47 tag "
            "such as en, zh-CN, ja, ko, de or pt-BR"
        )
    paths = resolve(root, session_id)
    if not paths.brainstorm_dir.is_dir():
        raise InvalidInput(
            "no .brainstorming folder: run the brainstorming first", file=str(paths.brainstorm_dir)
        )
    roles, warnings = scan_roles(paths)
    if not roles:
        raise InvalidInput(
            "no role analyses: expected {role}/analysis*.md in this folder", file=str(paths.brainstorm_dir)
        )
    if not paths.guidance.is_file():
        warnings.append(f"no {paths.brel(paths.guidance)}: synthesis goes on without it (no feature mode)")
    features = _feature_mode(paths, roles, warnings)
    feature_mode = features is not None
    role_paths: dict[str, list[str]] = {}
    for role in roles:
        kept, left = capped(role, feature_mode)
        if left:
            over = f"more than {MAX_FILES_PER_ROLE} other analysis files"
            warnings.append(f"{role.name}: {over}; left out {', '.join(left)}")
        role_paths[role.name] = [f"{role.name}/{name}" for name in kept]
    if feature_mode:
        inputs = []
        for role in roles:
            if role.has_index:
                inputs.append(f"{role.name}/{INDEX_FILE}")
            else:
                warnings.append(f"{role.name} has no {INDEX_FILE}; its analysis files are read instead")
                inputs += role_paths[role.name]
    else:
        inputs = [p for role in roles for p in role_paths[role.name]]
    session, opened = open_or_adopt(paths)
    warnings += opened
    first = session.state == "PENDING"
    if auto and not first and not session.auto_mode:
        users_only(
            "auto mode (-y) for a session started without it",
            "run discover without -y and ask the user the questions",
            file=str(paths.session_file),
            pointer="/auto_mode",
        )
    participating = [role.name for role in roles]
    recorded = hashes(paths, roles)

    def record(s: SynthesisSession) -> None:
        s.feature_mode = feature_mode
        s.participating_roles = participating
        s.input_hashes = recorded
        s.analysis_hashes = {}  # the analysis runs again from here
        s.auto_mode = auto if first else s.auto_mode or auto  # a resumed session keeps its mode
        if chosen is not None:
            s.language = chosen
        s.phases.BRAINSTORM = BrainstormPhase(
            status="synthesis_in_progress", participating_roles=participating
        )

    reason = "re-discovered the inputs" if session.state != "PENDING" else "discovered the inputs"
    session = transition(paths, "DISCOVERED", reason, record)
    if not session.user_intent:
        warnings.append("workflow-session.json records no user_intent")
    unfilled = placeholders(paths)
    if unfilled:
        warnings.append(
            f"{len(unfilled)} [TO FILL: ...] placeholders are not filled yet (first: {unfilled[0]}): "
            "the analysis would read them as content; fill them in first"
        )
    return {
        "status": "ok",
        "session_id": paths.session_id,
        "state": session.state,
        "session_dir": str(paths.session_dir),
        "brainstorm_dir": str(paths.brainstorm_dir),
        "user_intent": session.user_intent,
        "language": session.language,
        "auto_mode": session.auto_mode,
        "guidance_spec": paths.brel(paths.guidance) if paths.guidance.is_file() else None,
        "feature_mode": feature_mode,
        "features": features or [],
        "participating_roles": participating,
        "role_analysis_paths": role_paths,
        "analysis_input_paths": inputs,
        "outputs": {
            "enhancement_recommendations": paths.brel(paths.recommendations),
            "feature_conflict_map": paths.brel(paths.conflict_map) if feature_mode else None,
        },
        "input_hashes": len(recorded),
        "unfilled_placeholders": unfilled,
        "warnings": warnings,
        "next": _next(paths, feature_mode),
    }


def text(answer: dict[str, Any]) -> str:
    lines = [
        f"session {answer['session_id']}: {answer['state']}",
        f"feature mode: {'on' if answer['feature_mode'] else 'off'}"
        + (f" ({len(answer['features'])} features)" if answer["feature_mode"] else ""),
        f"roles: {', '.join(answer['participating_roles'])}",
        "analysis inputs:",
        *(f"  {p}" for p in answer["analysis_input_paths"]),
    ]
    lines += [f"warning: {w}" for w in answer["warnings"]]
    lines.append(f"next: {answer['next']}")
    return "\n".join(lines)
