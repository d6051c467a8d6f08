"""Valid instances of every JSON artifact, built in code so tests can break them one field at a time."""

from __future__ import annotations

import copy
import itertools
from typing import Any

TS = "2026-11-20T09:00:00Z"


def feature_index() -> dict[str, Any]:
    return {
        "version": "1.0",
        "generated_at": TS,
        "session_id": "WFS-demo",
        "feature_mode": True,
        "features": [
            {
                "id": "F-001",
                "slug": "offline-sync",
                "name": "Offline sync",
                "priority": "High",
                "spec_path": "feature-specs/F-001-offline-sync.md",
                "contributing_roles": ["system-architect", "ux-expert"],
                "cross_cutting_refs": ["F-002 (sharing) reuses the sync journal"],
            },
            {
                "id": "F-002",
                "slug": "sharing",
                "name": "Sharing",
                "priority": "Medium",
                "spec_path": "feature-specs/F-002-sharing.md",
                "contributing_roles": ["product-manager"],
                "cross_cutting_refs": [],
            },
        ],
        "cross_cutting_specs": ["system-architect/analysis-cross-cutting.md"],
    }


def conflict_map() -> dict[str, Any]:
    return {
        "F-001": {
            "consensus": ["All roles want edits to survive a lost connection"],
            "conflicts": [
                {
                    "topic": "Merge strategy",
                    "views": {"system-architect": "CRDT", "ux-expert": "Last writer wins with undo"},
                    "resolution": "CRDT for text because merges are silent, tradeoff: larger payloads",
                    "confidence": "[RESOLVED]",
                    "applies_when": "Two devices edit the same note offline",
                },
                {
                    "topic": "Retention of the journal",
                    "views": {"system-architect": "30 days", "product-manager": "Forever"},
                    "confidence": "[UNRESOLVED]",
                },
            ],
            "cross_refs": ["F-002 (sharing) depends on the journal format"],
        },
        "F-002": {"consensus": [], "conflicts": [], "cross_refs": ["F-001 provides the journal"]},
    }


def enhancements() -> list[dict[str, Any]]:
    return [
        {
            "id": "EP-001",
            "title": "Sync contract",
            "affected_roles": ["system-architect"],
            "category": "Architecture",
            "current_state": "Sync is described in prose",
            "enhancement": "Define the journal entry schema",
            "rationale": "Two clients must agree on it",
            "priority": "High",
        }
    ]


def context_package() -> dict[str, Any]:
    return {
        "metadata": {"session_id": "WFS-demo", "updated_at": TS, "task_description": "kept as is"},
        "feature_mode": True,
        "feature_index_path": ".brainstorming/feature-index.json",
        "feature_specs_dir": ".brainstorming/feature-specs/",
        "changelog_path": ".brainstorming/synthesis-changelog.md",
        "assets": {"anything": ["other tools may add keys"]},
    }


def synthesis_session(
    session_id: str = "WFS-demo", state: str = "DISCOVERED", reason: str = "discovery"
) -> dict[str, Any]:
    """A synthesis session record: `state`, reached from PENDING through DISCOVERED."""
    return {
        "schema_version": 1,
        "workflow": "synthesis",
        "session_id": session_id,
        "state": state,
        "created_at": TS,
        "updated_at": TS,
        "history": [{"from": "PENDING", "to": "DISCOVERED", "at": TS, "reason": reason}],
        "user_intent": "Notes that work offline",
    }


def spec_driven_session() -> dict[str, Any]:
    return {
        "schema_version": 1,
        "workflow": "spec-driven",
        "feature": "dark-mode",
        "date": "2026-11-20",
        "request": "Add a dark mode",
        "state": "PENDING",
        "created_at": TS,
        "updated_at": TS,
        "history": [],
        "config": {},
    }


def config() -> dict[str, Any]:
    return {
        "spec_driven_feature": {
            "commands": {
                "test": {"run": "python -m pytest -q"},
                "check": {"run": "python -m compileall -q ."},
            },
            "refinement": {"max_rounds": 4, "stall_threshold": 2, "auto_accept_partial": False},
            "validation": {
                "required": ["test"],
                "conditional": [
                    {"name": "ui", "paths": ["specs/views/*.md"], "run": "python -m pytest -q ui"}
                ],
            },
            "commit": {"default_grouping": "by_phase", "require_user_confirm": True},
        }
    }


def diff_record() -> dict[str, Any]:
    return {
        "spec": "specs/discover.md",
        "version_before": "2.3",
        "version_after": "3.0",
        "version_bumped": True,
        "revision_row_added": True,
        "sections": [
            {"section": "3.2", "title": "State machine", "change": "MODIFIED", "summary": "New states"},
            {"section": "4.5", "title": "Rule Builder", "change": "ADDED", "summary": "New phase"},
        ],
        "implications": ["New struct: RuleBuilderState"],
    }


SAMPLES = {
    "feature-index": ("feature-index.json", feature_index),
    "feature-conflict-map": ("feature-conflict-map.json", conflict_map),
    "enhancement-recommendations": ("enhancement-recommendations.json", enhancements),
    "context-package": ("context-package.json", context_package),
    "workflow-session": ("workflow-session.json", synthesis_session),
    "diff-record-json": ("spec_diffs/discover.md.diff.json", diff_record),
}


def sample(kind: str) -> Any:
    return copy.deepcopy(SAMPLES[kind][1]())


def history_to(workflow: str, state: str) -> list[dict[str, Any]]:
    """A history that reaches `state` from PENDING through allowed steps (the shortest one)."""
    from specrail import states

    paths: dict[str, list[str]] = {"PENDING": []}
    queue = ["PENDING"]
    while queue:
        current = queue.pop(0)
        for target in states.allowed(workflow, current):
            if target not in paths:
                paths[target] = [*paths[current], target]
                queue.append(target)
    steps = ["PENDING", *paths[state]]
    return [{"from": a, "to": b, "at": TS, "reason": "test setup"} for a, b in itertools.pairwise(steps)]
