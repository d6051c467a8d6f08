"""Phase 5, step 3: `feature-index.json` built from the files on disk, then the SPECS_WRITTEN gate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from specrail.errors import InvalidInput
from specrail.fileio import atomic_write_json, now
from specrail.models import FeatureIndex
from specrail.synthesis import artifacts
from specrail.synthesis.consistency import changelog_issues
from specrail.synthesis.gates import decision_issues, selection_issues
from specrail.synthesis.inputs import cross_cutting_specs, scan_roles
from specrail.synthesis.paths import SessionPaths, resolve
from specrail.synthesis.rules import records
from specrail.synthesis.session import load, one_at_a_time, require, transition
from specrail.validation.check import context_issues, schema_issues
from specrail.validation.report import Issue


def build_index(paths: SessionPaths, participating: list[str]) -> dict[str, Any]:
    """The feature index as data; raises when a spec file is missing."""
    features = artifacts.features(paths)
    if not features:
        raise InvalidInput(
            "no Feature Decomposition: feature mode needs one", file=paths.prel(paths.guidance)
        )
    conflict_map = artifacts.conflict_map(paths)
    spec_paths = {f.id: paths.spec_path(f.id, f.slug) for f in features}
    missing = [paths.prel(spec_paths[f.id]) for f in features if not spec_paths[f.id].is_file()]
    if missing:
        raise InvalidInput(
            f"spec file missing for {len(missing)} feature(s): {', '.join(missing)}", file=missing[0]
        )
    roles, _ = scan_roles(paths)
    role_dirs = [(r, paths.brainstorm_dir / r) for r in participating]  # each path built once
    entries = []
    for f in features:
        name = f"analysis-{f.id}-{f.slug}.md"
        entries.append(
            {
                "id": f.id,
                "slug": f.slug,
                "name": f.name,
                "description": f.description,
                "priority": f.priority,
                "spec_path": paths.brel(spec_paths[f.id]),
                "contributing_roles": [r for r, folder in role_dirs if (folder / name).is_file()],
                "cross_cutting_refs": list(conflict_map[f.id].cross_refs) if f.id in conflict_map else [],
            }
        )
    return {
        "version": "1.0",
        "generated_at": now(),
        "session_id": paths.session_id,
        "feature_mode": True,
        "features": entries,
        "cross_cutting_specs": cross_cutting_specs(roles, participating),
    }


def index_issues(paths: SessionPaths, data: dict[str, Any]) -> list[Issue]:
    """What `specrail validate` would say about `data` written as feature-index.json."""
    file = paths.prel(paths.feature_index)
    issues = schema_issues("feature-index", data, file)
    if not issues:
        FeatureIndex.model_validate(data)
        issues = records.feature_index(file, data, paths.feature_index)
        issues += context_issues("feature-index", data, paths.feature_index, file)
    return [i for i in issues if i.severity == "error"]


def _spec_files(paths: SessionPaths, feature_mode: bool, data: dict[str, Any] | None) -> list[Path]:
    if feature_mode and data is not None:
        return [paths.brainstorm_dir / f["spec_path"] for f in data["features"]]
    return [paths.synthesis_spec]


@one_at_a_time
def index(root: Path, session_id: str | None) -> dict[str, Any]:
    """Write feature-index.json (feature mode) and move to SPECS_WRITTEN when every spec validates."""
    paths = resolve(root, session_id)
    session = load(paths)
    require(session, paths, "SPECS_WRITTEN")
    feature_mode = bool(session.feature_mode)
    data = build_index(paths, session.participating_roles) if feature_mode else None
    issues = index_issues(paths, data) if data is not None else []
    specs = _spec_files(paths, feature_mode, data)
    warnings: list[str] = []
    facts: dict[str, Any] = {}
    for path in [*specs, paths.changelog]:
        if not path.is_file():
            issues.append(Issue(paths.prel(path), "", "missing: the spec-writer agent writes it"))
            continue
        result = artifacts.validate(path, paths, "feature-spec" if path.parent == paths.specs_dir else None)
        issues += result.errors
        warnings += artifacts.warning_lines(result.issues)
        if result.facts:
            facts[paths.brel(path)] = result.facts
    consistency = changelog_issues(paths, session)
    known = {e.id for e in artifacts.recommendations(paths)} if paths.recommendations.is_file() else set()
    issues += selection_issues(paths, session, specs, known)
    if feature_mode and data is not None and paths.conflict_map.is_file():
        by_id = {f["id"]: paths.brainstorm_dir / f["spec_path"] for f in data["features"]}
        issues += decision_issues(paths, session, artifacts.conflict_map(paths), by_id)
    issues += [i for i in consistency if i.severity == "error"]
    warnings += artifacts.warning_lines(consistency)
    if feature_mode and paths.specs_dir.is_dir():
        expected = {p.name for p in specs}
        warnings += [
            f"{paths.prel(p)} is not a feature of the decomposition; it is not indexed"
            for p in sorted(paths.specs_dir.glob("*.md"))
            if p.name not in expected
        ]
    answer: dict[str, Any] = {
        "session_id": paths.session_id,
        "feature_mode": feature_mode,
        "specs": [paths.brel(p) for p in specs],
        "facts": facts,
        "errors": artifacts.issue_lines(issues),
        "warnings": warnings,
    }
    if issues:
        return {
            "status": "fail",
            "state": session.state,
            **answer,
            "feature_index": None,
            "next": "Have the spec-writer agent fix each error in place, then run this command again.",
        }

    def write_index(_: object) -> None:  # once the transition is allowed: a refused step writes nothing
        if data is not None:
            atomic_write_json(paths.feature_index, data)

    session = transition(
        paths,
        "SPECS_WRITTEN",
        "specs validated" + (", feature index built" if data is not None else ""),
        write_index,
    )
    return {
        "status": "ok",
        "state": session.state,
        **answer,
        "feature_index": paths.brel(paths.feature_index) if data is not None else None,
        "features": [
            {k: f[k] for k in ("id", "spec_path", "contributing_roles", "cross_cutting_refs")}
            for f in data["features"]
        ]
        if data is not None
        else [],
        "cross_cutting_specs": data["cross_cutting_specs"] if data is not None else [],
        "next": f"Run `specrail synthesis complexity --session {paths.session_id} --json`.",
    }


def text(answer: dict[str, Any]) -> str:
    lines = [
        f"{e['file']}::{e['location']}: {e['message']}" if e["location"] else f"{e['file']}: {e['message']}"
        for e in answer["errors"]
    ]
    lines += [f"warning: {w}" for w in answer["warnings"]]
    if answer["status"] == "ok":
        built = f"; wrote {answer['feature_index']}" if answer["feature_index"] else ""
        lines.append(
            f"session {answer['session_id']}: {answer['state']}: {len(answer['specs'])} spec(s) valid{built}"
        )
    else:
        lines.append(f"specs invalid; session stays {answer['state']}")
    lines.append(f"next: {answer['next']}")
    return "\n".join(lines)
