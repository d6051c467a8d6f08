"""Rules of the synthesis JSON artifacts beyond their schemas: the feature index, the conflict map
and the enhancement recommendations (stdlib only)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from specrail.validation.json_rules import FEATURE_REF, duplicates
from specrail.validation.normalise import normalise_priority, role_key
from specrail.validation.report import Issue, pointer


def feature_index(file: str, data: dict[str, Any], path: Path) -> list[Issue]:
    features = data["features"]
    issues = duplicates(file, features, "id", "features")
    known = {f["id"] for f in features}
    for i, f in enumerate(features):
        # SYN-INDEX-PATH
        expected = f"feature-specs/{f['id']}-{f['slug']}.md"
        if f["spec_path"] != expected:
            issues.append(
                Issue(
                    file,
                    pointer("features", i, "spec_path"),
                    f"spec_path {f['spec_path']!r} does not match id and slug",
                    hint=f"use {expected!r}",
                )
            )
        # SYN-INDEX-REFS
        for j, ref in enumerate(f["cross_cutting_refs"]):
            for target in FEATURE_REF.findall(ref):
                if target not in known:
                    issues.append(
                        Issue(
                            file,
                            pointer("features", i, "cross_cutting_refs", j),
                            f"refers to unknown feature {target}",
                        )
                    )
    # SYN-INDEX-SESSION
    session_dir = path.parent.parent.name if path.parent.name == ".brainstorming" else ""
    if session_dir.startswith("WFS-") and data["session_id"] != session_dir:
        issues.append(
            Issue(file, "/session_id", f"session_id {data['session_id']!r} but the file is in {session_dir}")
        )
    return issues


def _role_folders(path: Path) -> dict[str, str] | None:
    """Role folders next to an artifact of `.brainstorming/`, by `role_key`; None elsewhere."""
    if path.parent.name != ".brainstorming":
        return None
    try:
        folders = [p.name for p in path.parent.iterdir() if p.is_dir() and any(p.glob("analysis*.md"))]
    except OSError:
        return None
    return {role_key(name): name for name in folders}


def _unknown_role(file: str, where: str, role: str, folders: dict[str, str] | None) -> list[Issue]:
    if folders is None or role_key(role) in folders:
        return []
    return [
        Issue(
            file,
            where,
            f"role {role!r} has no analysis folder in this session",
            severity="warning",
            hint="name a participating role: " + ", ".join(sorted(folders.values())),
        )
    ]


def _extra_keys(file: str, item: dict[str, Any], known: tuple[str, ...], *where: object) -> list[Issue]:
    return [
        Issue(
            file,
            pointer(*where, key),
            f"unknown key {key!r} (kept; the workflow does not read it)",
            severity="warning",
            hint="keys: " + ", ".join(known),
        )
        for key in item
        if key not in known
    ]


CONFLICT_KEYS = ("topic", "views", "resolution", "confidence", "applies_when")
ENTRY_KEYS = ("consensus", "conflicts", "cross_refs")
ENHANCEMENT_KEYS = (
    "id",
    "title",
    "affected_roles",
    "category",
    "current_state",
    "enhancement",
    "rationale",
    "priority",
)


def feature_conflict_map(file: str, data: dict[str, Any], path: Path) -> list[Issue]:
    issues = []
    folders = _role_folders(path)
    for fid, entry in data.items():
        # SYN-EXTRA-KEYS
        issues += _extra_keys(file, entry, ENTRY_KEYS, fid)
        for j, ref in enumerate(entry["cross_refs"]):
            targets = FEATURE_REF.findall(ref)
            # SYN-XREF-KNOWN
            for target in targets:
                if target not in data:
                    issues.append(
                        Issue(
                            file,
                            pointer(fid, "cross_refs", j),
                            f"refers to unknown feature {target}",
                            hint="name only features of the Feature Decomposition",
                        )
                    )
            # SYN-XREF-SELF
            if targets and set(targets) == {fid}:
                issues.append(
                    Issue(
                        file,
                        pointer(fid, "cross_refs", j),
                        f"{fid} refers only to itself",
                        severity="warning",
                        hint="name the other feature or cross-cutting document it relates to",
                    )
                )
        for j, conflict in enumerate(entry["conflicts"]):
            issues += _extra_keys(file, conflict, CONFLICT_KEYS, fid, "conflicts", j)
            # SYN-VIEWS-TWO
            if len(conflict["views"]) < 2:
                issues.append(
                    Issue(
                        file,
                        pointer(fid, "conflicts", j, "views"),
                        "a conflict needs the positions of at least 2 roles",
                        severity="warning",
                    )
                )
            # SYN-ROLE-KNOWN
            for role in conflict["views"]:
                issues += _unknown_role(file, pointer(fid, "conflicts", j, "views", role), role, folders)
    return issues


def enhancement_recommendations(file: str, data: list[dict[str, Any]], path: Path) -> list[Issue]:
    # SYN-EP-UNIQUE
    issues = duplicates(file, data, "id")
    folders = _role_folders(path)
    for i, item in enumerate(data):
        issues += _extra_keys(file, item, ENHANCEMENT_KEYS, i)
        # SYN-EP-PRIORITY
        if normalise_priority(item["priority"]) is None:
            issues.append(
                Issue(
                    file,
                    pointer(i, "priority"),
                    f"priority {item['priority']!r} is not High, Medium or Low (kept as written)",
                    severity="warning",
                    hint="use High, Medium or Low (Critical, P0-P3, 高/中/低 are read as those)",
                )
            )
        for j, role in enumerate(item["affected_roles"]):
            issues += _unknown_role(file, pointer(i, "affected_roles", j), role, folders)
    return issues
