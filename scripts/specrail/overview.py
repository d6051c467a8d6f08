"""Every workflow session under a project at a glance, and one session's timeline (`specrail status`)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from specrail import states
from specrail.errors import SpecrailError, UsageFailure
from specrail.fileio import read_text
from specrail.hooks.resume import next_step, session_files
from specrail.validation import kinds
from specrail.validation.check import check_file
from specrail.validation.patterns import SESSION_ID_PATTERN

_SYNTHESIS_ORDER = ["PENDING", "DISCOVERED", "ANALYZED", "CLARIFIED", "SPECS_WRITTEN", "REVIEWED", "COMPLETE"]
_SKIPPED_DIRS = {"snapshots", "backups"}
_FOLDER_NAME = r"[A-Za-z0-9][A-Za-z0-9._-]*\Z"
INVALID = "(invalid id)"


def _parse_time(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def age(since: Any, now: datetime | None = None) -> str:
    """ "3d", "5h", "12m" or "now" since an ISO timestamp; "?" when unreadable."""
    start = _parse_time(since)
    if start is None:
        return "?"
    seconds = int(((now or datetime.now(UTC)) - start).total_seconds())
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return "now"


def _expected_synthesis(data: dict[str, Any]) -> list[str]:
    """The outputs a synthesis session in its state should have, relative to its folder."""
    state = data.get("state")
    if state not in _SYNTHESIS_ORDER:
        return []
    reached = _SYNTHESIS_ORDER.index(state)

    def past(name: str) -> bool:
        return reached >= _SYNTHESIS_ORDER.index(name)

    feature_mode = bool(data.get("feature_mode"))
    wanted = []
    if past("ANALYZED"):
        wanted.append(".brainstorming/enhancement-recommendations.json")
        if feature_mode:
            wanted.append(".brainstorming/feature-conflict-map.json")
    if past("SPECS_WRITTEN"):
        spec = "feature-index.json" if feature_mode else "synthesis-specification.md"
        wanted += [".brainstorming/synthesis-changelog.md", f".brainstorming/{spec}"]
    if past("REVIEWED") and (state == "REVIEWED" or data.get("review_required")):
        wanted.append(".brainstorming/review-report.md")
    if past("COMPLETE"):
        wanted.append(".process/context-package.json")
    return wanted


def _artifacts(folder: Path) -> list[Path]:
    found = []
    for path in sorted(folder.rglob("*")):
        parts = set(path.relative_to(folder).parts[:-1])
        if path.is_file() and not parts & _SKIPPED_DIRS and kinds.classify(path):
            found.append(path)
    return found


def summarize(session_file: Path, root: Path) -> dict[str, Any]:
    """One row of the overview: who, where, state, age, last step, and what is missing or invalid."""
    folder = session_file.parent
    ref = printable(folder.relative_to(root) if folder.is_relative_to(root) else folder, 300)
    row: dict[str, Any] = {"session": folder.name, "path": ref, "workflow": "?", "state": "?", "problems": []}
    if not re.match(_FOLDER_NAME, folder.name):
        row["session"] = INVALID
    try:
        text = read_text(session_file, ref)
        data = json.loads(text)
        workflow, state = data["workflow"], data["state"]
    except SpecrailError as exc:
        row["problems"].append(f"workflow-session.json unreadable ({exc.message})")
        return row
    except ValueError as exc:  # the parser's words: a position, never the file's content
        row["problems"].append(f"workflow-session.json unreadable (not JSON: {exc})")
        return row
    except KeyError as exc:
        row["problems"].append(f"workflow-session.json unreadable (no {exc.args[0]!r} field)")
        return row
    except TypeError:
        row["problems"].append("workflow-session.json unreadable (not a JSON object)")
        return row
    # Values of the file reach the reader (and a model) only once known valid: never echoed.
    if workflow not in states.MACHINES or state not in states.MACHINES[workflow]:
        row["problems"].append("workflow-session.json has an invalid workflow or state")
        return row
    row.update(workflow=workflow, state=state)
    history = [
        {
            "from": step["from"],
            "to": step["to"],
            "at": printable(step.get("at"), 40),
            "reason": printable(step.get("reason")),
        }
        for step in data.get("history") or []
        if isinstance(step, dict)
        and step.get("from") in states.MACHINES[workflow]
        and step.get("to") in states.MACHINES[workflow]
    ]
    row.update(
        created_at=printable(data.get("created_at"), 40),
        updated_at=printable(data.get("updated_at"), 40),
        age=age(data.get("created_at")),
        last_transition=history[-1] if history else None,
        history=history,
        active=state not in states.TERMINAL,
    )
    if workflow == "synthesis":
        session_id = data.get("session_id", folder.name)
        valid = isinstance(session_id, str) and re.match(SESSION_ID_PATTERN, session_id)
        row["session"] = session_id if valid else INVALID
        if not valid:
            row["problems"].append("workflow-session.json has an invalid session_id")
        missing = [name for name in _expected_synthesis(data) if not (folder / name).is_file()]
    else:
        from specrail.spec_driven.outputs import missing_outputs

        try:  # from the record read above: each session is read once
            missing = missing_outputs(data, folder)
        except Exception as exc:  # a broken session is a row with a problem, not a crash
            missing = []
            row["problems"].append(f"cannot read session: {exc}")
    row["problems"] += [f"missing {name}" for name in missing]
    for artifact in _artifacts(folder):
        given = text if artifact == session_file else None  # the record, already read
        result = check_file(artifact, root=root, label=str(artifact.relative_to(folder)), content=given)
        if not result.ok:
            first = result.errors[0]
            row["problems"].append(f"invalid {result.file} ({first.location or '/'}: {first.message})")
    command_ref = row["session"] if workflow == "synthesis" else ref
    usable = row["active"] and command_ref != INVALID
    row["next"] = next_step(workflow, state, command_ref) if usable else None
    return row


def printable(value: Any, limit: int = 200) -> str:
    """`value` as one line of text: control characters escaped, at most `limit` characters."""
    text = "".join(c if c.isprintable() else c.encode("unicode_escape").decode() for c in str(value or ""))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def overview(root: Path) -> list[dict[str, Any]]:
    """A row per workflow session under `root`, both workflows, sorted by last update (newest first)."""
    rows = [summarize(Path(p), root) for p in session_files(str(root))]
    return sorted(rows, key=lambda r: str(r.get("updated_at") or ""), reverse=True)


def find(root: Path, name: str) -> dict[str, Any]:
    """The session named by its id (WFS-...), folder name or path."""
    for row in overview(root):
        if name in (row["session"], row["path"], Path(row["path"]).name) or Path(name) == root / row["path"]:
            return row
    raise UsageFailure(f"no workflow session named {name!r} under {root}; `specrail status` lists them")


def timeline(row: dict[str, Any]) -> list[dict[str, Any]]:
    """The history of a session with the time spent in each state."""
    steps = []
    previous = _parse_time(row.get("created_at"))
    for number, step in enumerate(row.get("history") or [], start=1):
        at = _parse_time(step.get("at"))
        spent = age(previous.isoformat(), at) if previous is not None and at is not None else "?"
        steps.append({"step": number, **step, "after": spent})
        previous = at or previous
    return steps
