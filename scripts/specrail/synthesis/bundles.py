"""Phase 5, step 1: the spec writer's input, one bundle per feature (or the single-spec input)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from specrail.fileio import atomic_write_json
from specrail.models import SynthesisSession
from specrail.synthesis import artifacts
from specrail.synthesis.inputs import capped, scan_roles
from specrail.synthesis.paths import SessionPaths, resolve
from specrail.synthesis.session import load

SPEC_INPUT = ".process/synthesis/spec-input.json"  # relative to the session folder


def feature_bundles(paths: SessionPaths, participating: list[str]) -> list[dict[str, Any]]:
    """Per feature: its role analyses on disk, contributing roles, conflict map entry, output path."""
    features = artifacts.features(paths) or []
    conflict_map = artifacts.conflict_map(paths)
    bundles = []
    for feature in features:
        name = f"analysis-{feature.id}-{feature.slug}.md"
        files = [f"{role}/{name}" for role in participating if (paths.brainstorm_dir / role / name).is_file()]
        entry = conflict_map.get(feature.id)
        bundles.append(
            {
                "feature_id": feature.id,
                "feature_slug": feature.slug,
                "feature_name": feature.name,
                "feature_description": feature.description,
                "feature_priority": feature.priority,
                "role_analysis_files": files,
                "contributing_roles": [f.split("/", 1)[0] for f in files],
                "conflict_map_entry": entry.model_dump(mode="json", exclude_none=True) if entry else None,
                "output_path": paths.brel(paths.spec_path(feature.id, feature.slug)),
            }
        )
    return bundles


def build(paths: SessionPaths, session: SynthesisSession) -> dict[str, Any]:
    """Everything the spec-writer agent needs, paths relative to `brainstorm_dir`."""
    feature_mode = bool(session.feature_mode)
    out: dict[str, Any] = {
        "brainstorm_dir": str(paths.brainstorm_dir),
        "feature_mode": feature_mode,
        "language": session.language,
        "participating_roles": session.participating_roles,
        "guidance_spec_path": paths.brel(paths.guidance) if paths.guidance.is_file() else None,
        "changelog_path": paths.brel(paths.changelog),
        "spec_context": session.spec_context.model_dump(mode="json") if session.spec_context else None,
    }
    if feature_mode:
        out["feature_conflict_map_path"] = paths.brel(paths.conflict_map)
        out["feature_bundles"] = feature_bundles(paths, session.participating_roles)
    else:
        roles, _ = scan_roles(paths)
        out["role_analysis_paths"] = [
            f"{r.name}/{name}"
            for r in roles
            if r.name in session.participating_roles
            for name in capped(r, False)[0]
        ]
        out["output_path"] = paths.brel(paths.synthesis_spec)
    return out


def write_input(paths: SessionPaths, data: dict[str, Any]) -> str:
    """The spec writer's whole input as a file of the session: the agent reads it by path."""
    path = paths.session_dir / SPEC_INPUT
    atomic_write_json(path, data)
    return str(path)


def spec_input(root: Path, session_id: str | None) -> dict[str, Any]:
    paths = resolve(root, session_id)
    session = load(paths)
    data = build(paths, session)
    return {
        "status": "ok",
        "session_id": paths.session_id,
        "state": session.state,
        "spec_input_path": write_input(paths, data),
        **data,
        "next": next_step(paths),
    }


def next_step(paths: SessionPaths) -> str:
    return (
        f"Run the spec-writer agent (Task) with this answer's spec_input_path (it reads its input there); "
        "it writes the spec file(s) and "
        f"{paths.brel(paths.changelog)}. Then run `specrail synthesis index --session {paths.session_id} "
        "--json`."
    )
