"""Which artifact a path is, decided from its name alone (stdlib only: the hooks' fast path)."""

from __future__ import annotations

import re
from pathlib import PurePath

JSON_KINDS = (
    "feature-index",
    "feature-conflict-map",
    "enhancement-recommendations",
    "context-package",
    "workflow-session",
    "diff-record-json",
)
YAML_KINDS = ("config",)
MARKDOWN_KINDS = (
    "feature-spec",
    "synthesis-specification",
    "synthesis-changelog",
    "review-report",
    "proposal",
    "diff-record",
    "refinement-summary",
    "alignment-report",
    "implementation-log",
    "validation-report",
    "summary",
)
ALL_KINDS = JSON_KINDS + YAML_KINDS + MARKDOWN_KINDS

_BY_NAME = {
    "feature-index.json": "feature-index",
    "feature-conflict-map.json": "feature-conflict-map",
    "enhancement-recommendations.json": "enhancement-recommendations",
    "context-package.json": "context-package",
    "workflow-session.json": "workflow-session",
    ".specrail.yaml": "config",
    "synthesis-specification.md": "synthesis-specification",
    "synthesis-changelog.md": "synthesis-changelog",
    "review-report.md": "review-report",
}
# Files of a spec-driven session folder: specs/meta/sessions/{feature}_{date}/NAME
_SESSION_FILES = {
    "proposal.md": "proposal",
    "refinement_summary.md": "refinement-summary",
    "alignment_report.md": "alignment-report",
    "implementation_log.md": "implementation-log",
    "validation_report.md": "validation-report",
    "SUMMARY.md": "summary",
}
FEATURE_SPEC_NAME = re.compile(r"^F-[0-9]{3,}-[a-z0-9]+(?:-[a-z0-9]+)*\.md$")


def classify(path: str | PurePath) -> str | None:
    """The artifact kind of `path`, or None when it is not a workflow artifact."""
    p = PurePath(path)
    name = p.name
    kind = _BY_NAME.get(name)
    if kind:
        return kind
    parent = p.parent.name
    if parent == "spec_diffs":
        if name.endswith(".diff.md"):
            return "diff-record"
        if name.endswith(".diff.json"):
            return "diff-record-json"
        return None
    if parent == "feature-specs" and name.endswith(".md"):
        return "feature-spec"
    if name in _SESSION_FILES and p.parent.parent.name == "sessions":
        return _SESSION_FILES[name]
    return None


def is_json_kind(kind: str) -> bool:
    return kind in JSON_KINDS
