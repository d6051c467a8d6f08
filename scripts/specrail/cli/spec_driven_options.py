"""Options and answer printing shared by the `specrail spec-driven` commands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from specrail.cli.common import emit

F = TypeVar("F", bound=Callable[..., Any])


def session_option(f: F) -> F:
    return click.option(
        "--session",
        "session",
        default=None,
        help="Session folder (path or name); default: the newest active session under specs/meta/sessions/.",
    )(f)


def split(values: tuple[str, ...]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _commands(found: Any) -> list[str]:
    """`init`'s project commands: where they come from and what each runs."""
    if not isinstance(found, dict) or not isinstance(found.get("commands"), list):
        return []
    origin = f"{found['ecosystem']}, detected" if found.get("ecosystem") else "none detected"
    lines = [f"project commands ({origin}):"]
    lines += [f"  {c['name']}: {c['run']}" for c in found["commands"]]
    if not found["commands"]:
        lines.append("  none")
    return lines


def commit_lines(commits: list[dict[str, Any]]) -> list[str]:
    """Each planned or made commit: its hash (or number) and subject, then its files with line counts."""
    lines = []
    for number, commit in enumerate(commits, 1):
        name = str(commit["hash"])[:12] if commit.get("hash") else str(number)
        subject = str(commit.get("message", "")).split("\n", 1)[0]
        lines.append(f"commit {name}: {subject}")
        counts = {c["file"]: f" +{c['added']} -{c['removed']}" for c in commit.get("lines", [])}
        lines += [f"  {file}{counts.get(file, '')}" for file in commit.get("files", [])]
    return lines


def text(answer: dict[str, Any]) -> str:
    lines = []
    if answer.get("session"):
        lines.append(f"session: {answer['session']} ({answer.get('state', '?')})")
    for error in answer.get("errors", []):
        where = error.get("file") or error.get("location") or ""
        lines.append(f"{where}: {error['message']}" if where else error["message"])
    for key in ("verdict", "choice", "critical_failures", "failed", "order"):
        value = answer.get(key)
        if value:
            lines.append(f"{key}: {', '.join(map(str, value)) if isinstance(value, list) else value}")
    lines += commit_lines(answer.get("commits") or [])
    lines += _commands(answer.get("commands"))
    commands = answer.get("commands")
    launch = commands.get("runner") if isinstance(commands, dict) else None
    if launch:
        lines.append(f"runs with: {launch['run']} ({launch['why']})")
    lines += [f"warning: {w}" for w in answer.get("warnings", []) if isinstance(w, str)]
    step = answer.get("next") or {}
    if step:
        lines.append(f"next: {step['instruction']}")
        if step.get("command"):
            lines.append(f"  {step['command']}")
    return "\n".join(lines)


def respond(root: Path, answer: dict[str, Any], as_json: bool) -> int:
    from specrail.spec_driven.status import with_next

    full = with_next(root, answer)
    emit(full, as_json, text)
    return 0 if full.get("status") == "ok" else 1
