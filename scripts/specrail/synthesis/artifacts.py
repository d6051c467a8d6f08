"""Load the artifacts a step builds on, each validated the way `specrail validate` does."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from specrail.errors import InvalidInput
from specrail.models import Enhancement, FeatureConflictMap, FeatureConflicts
from specrail.synthesis.paths import SessionPaths
from specrail.validation import decomposition as decomposition_reader
from specrail.validation.check import check_file, parse_json, read_text
from specrail.validation.decomposition import Feature
from specrail.validation.report import FileResult, Issue


class CheckFailed(InvalidInput):
    """An artifact a step needs did not validate; every issue is kept for the JSON answer."""

    def __init__(self, issues: list[Issue]) -> None:
        first = issues[0]
        more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
        super().__init__(first.message + more, file=first.file, pointer=first.location or None)
        self.issues = issues


def validate(path: Path, paths: SessionPaths, kind: str | None = None) -> FileResult:
    """`check_file` with the file labelled relative to the project root."""
    return check_file(path, kind=kind, root=paths.root, label=paths.prel(path))


def require_valid(path: Path, paths: SessionPaths, kind: str | None = None) -> FileResult:
    result = validate(path, paths, kind)
    if result.errors:
        raise CheckFailed(result.errors)
    return result


def _json(path: Path, paths: SessionPaths, kind: str) -> Any:
    require_valid(path, paths, kind)
    return json.loads(read_text(path, paths.prel(path)))


def guidance_text(paths: SessionPaths) -> str | None:
    if not paths.guidance.is_file():
        return None
    return read_text(paths.guidance, paths.prel(paths.guidance))


def decomposition(paths: SessionPaths) -> decomposition_reader.Decomposition | None:
    """The Feature Decomposition: the override file when the user wrote one, else the guidance
    specification's table; None when there is neither."""
    override = paths.session_dir / decomposition_reader.OVERRIDE
    if override.is_file():
        file = paths.prel(override)
        return decomposition_reader.from_override(parse_json(read_text(override, file), file), file)
    try:
        text = guidance_text(paths)
    except InvalidInput as exc:  # not UTF-8, binary, too large: the file is read-only, so say how to go on
        raise InvalidInput(f"{exc.message}; {decomposition_reader.OVERRIDE_HINT}", file=exc.file) from None
    if text is None or not decomposition_reader.has_decomposition(text):
        return None
    return decomposition_reader.read(text, paths.prel(paths.guidance))


def features(paths: SessionPaths) -> list[Feature] | None:
    """The features of the decomposition; None when there is none."""
    found = decomposition(paths)
    return found.features if found is not None else None


def recommendations(paths: SessionPaths) -> list[Enhancement]:
    data = _json(paths.recommendations, paths, "enhancement-recommendations")
    return [Enhancement.model_validate(item) for item in data]


def conflict_map(paths: SessionPaths) -> dict[str, FeatureConflicts]:
    data = _json(paths.conflict_map, paths, "feature-conflict-map")
    return dict(FeatureConflictMap.model_validate(data).root)


def conflict_map_or_empty(paths: SessionPaths, feature_mode: bool) -> dict[str, FeatureConflicts]:
    return conflict_map(paths) if feature_mode else {}


def issue_lines(issues: list[Issue]) -> list[dict[str, str]]:
    return [
        {"file": i.file, "location": i.location, "message": i.message, "severity": i.severity, "hint": i.hint}
        for i in issues
    ]


def warning_lines(issues: list[Issue]) -> list[str]:
    """Each warning as one line with its fix, for the answers' `warnings`."""
    return [i.line() + (f" (fix: {i.hint})" if i.hint else "") for i in issues if i.severity == "warning"]
