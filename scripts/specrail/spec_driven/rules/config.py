"""Rules of the project configuration beyond its schema (stdlib only; command detection is imported
when a configuration is checked)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from specrail.validation.report import Issue, pointer


def config(file: str, data: dict[str, Any], path: Path) -> list[Issue]:
    """A required validation with no command, configured or detected, would block phase 6."""
    from specrail.spec_driven.commands import detect

    block = data.get("spec_driven_feature", {})
    conditional = block.get("validation", {}).get("conditional", [])
    issues = []
    commands = set(block.get("commands", {}))
    commands |= {c["name"] for c in conditional if isinstance(c, dict) and c.get("run") and "name" in c}
    commands |= {c.name for c in detect(path.parent)[1]}
    for i, name in enumerate(block.get("validation", {}).get("required", ["test"])):
        if name not in commands:
            issues.append(
                Issue(
                    file,
                    pointer("spec_driven_feature", "validation", "required", i),
                    f"required validation {name!r} has no command, configured or detected from the "
                    "project's files; phase 6 will block on it",
                    severity="warning",
                    hint=f"add spec_driven_feature.commands.{name}.run",
                )
            )
    return issues
