"""Hostile input against the real hooks (`hooks/run.py` run as the client runs it) and the real CLI:
helpers (the hooks' fixtures are in the root conftest).

Every test plants what a cloned repository or a misled model could plant, runs the hook or the
command, and checks three things: the attack fails, the user's files are untouched, and the
message says what happened.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.core.samples import synthesis_session
from tests.support.cli import Result
from tests.support.hooks import payload

SESSION = ".workflow/active/WFS-cap"
BRAINSTORM = f"{SESSION}/.brainstorming"
GUIDANCE = f"{BRAINSTORM}/guidance-specification.md"
INDEX = f"{BRAINSTORM}/feature-index.json"


def start_synthesis(work: Path, state: str = "DISCOVERED", **fields: Any) -> dict[str, Any]:
    """WFS-cap as a running synthesis, with a guidance specification; returns the session data."""
    data = synthesis_session()
    data.update(session_id="WFS-cap", state=state, **fields)
    folder = work / SESSION
    (folder / ".brainstorming").mkdir(parents=True, exist_ok=True)
    (folder / "workflow-session.json").write_text(json.dumps(data), encoding="utf-8")
    (work / GUIDANCE).write_text("# Guidance\n\nKeep it offline first.\n", encoding="utf-8")
    return data


def call(event: str, work: Path, tool: str, file_path: str, **tool_input: Any) -> dict[str, Any]:
    """A payload of `event` for `tool` on `file_path` (as given: relative, with `..`, a link ...)."""
    data = payload("pre-write-feature-index" if event == "PreToolUse" else "post-write-feature-index", work)
    data["tool_name"] = tool
    data["tool_input"] = {"file_path": file_path, **tool_input}
    return data


def silent(run: Result) -> bool:
    return (run.code, run.out) == (0, "")
