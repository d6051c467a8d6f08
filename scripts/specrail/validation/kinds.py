"""Which artifact a path is, decided from its name alone (stdlib only: the hooks' fast path).

The hooks import this module for every file the model writes, so it imports nothing at all:
`re` or `pathlib` would double the hook's start-up, and even `os` costs a sixth of it.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    import os
    import re

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
_FEATURE_SPEC_PATTERN = r"^F-[0-9]{3,}-[a-z0-9]+(?:-[a-z0-9]+)*\.md$"


def __getattr__(name: str) -> re.Pattern[str]:
    """`FEATURE_SPEC_NAME`, compiled on first use (keeps `re` off the hooks' fast path)."""
    if name == "FEATURE_SPEC_NAME":
        import re

        compiled = re.compile(_FEATURE_SPEC_PATTERN)
        globals()[name] = compiled
        return compiled
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _segments(path: str | os.PathLike[str]) -> list[str]:
    """The names of `path`'s segments, as `PurePath(path).parts` would give them."""
    text = path if isinstance(path, str) else path.__fspath__()
    if sys.platform == "win32":
        text = text.replace("\\", "/")
    return [s for s in text.split("/") if s and s != "."]


def classify(path: str | os.PathLike[str]) -> str | None:
    """The artifact kind of `path`, or None when it is not a workflow artifact."""
    parts = _segments(path)
    name = parts[-1] if parts else ""
    kind = _BY_NAME.get(name)
    if kind:
        return kind
    parent = parts[-2] if len(parts) > 1 else ""
    if parent == "spec_diffs":
        if name.endswith(".diff.md"):
            return "diff-record"
        if name.endswith(".diff.json"):
            return "diff-record-json"
        return None
    if parent == "feature-specs" and name.endswith(".md"):
        return "feature-spec"
    if name in _SESSION_FILES and len(parts) > 2 and parts[-3] == "sessions":
        return _SESSION_FILES[name]
    return None


def is_json_kind(kind: str) -> bool:
    return kind in JSON_KINDS
