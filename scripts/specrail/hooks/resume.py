"""The resume context: one line per active workflow session under the project, for the model.

Read with the stdlib only (the SessionStart hook runs before anything is imported). A session is
active while its state is not terminal; each line gives the workflow, the session, the state, the
last transition and the next step, and the whole text stays under `MAX_BYTES`.
"""

from __future__ import annotations

import os

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

MAX_BYTES = 1024
SESSION_FILE = "workflow-session.json"
SYNTHESIS_DIR = (".workflow", "active")
SPEC_DRIVEN_DIR = ("specs", "meta", "sessions")
HEADER = "Active workflow sessions (state kept by specrail in workflow-session.json):"

# The next step of a synthesis session in each state; {s} is the session id.
SYNTHESIS_NEXT = {
    "PENDING": "`specrail synthesis discover --session {s} --json`",
    "DISCOVERED": "phase 3A: the analyst agent, then `specrail synthesis analyzed --session {s} --json`",
    "ANALYZED": "phase 4: `specrail synthesis questions --session {s} --json`",
    "CLARIFIED": "phase 5: `specrail synthesis spec-input --session {s} --json`, then the spec-writer agent",
    "SPECS_WRITTEN": "`specrail synthesis complexity --session {s} --json`, then review or finalize",
    "REVIEWED": "`specrail synthesis finalize --session {s} --json`",
}
SPEC_DRIVEN_NEXT = "`specrail spec-driven status --session {s} --json`, then follow its `next`"


def session_files(cwd: str) -> list[str]:
    """Paths of every `workflow-session.json` of both workflows under `cwd`, sorted."""
    found = []
    for parts, prefix in ((SYNTHESIS_DIR, "WFS-"), (SPEC_DRIVEN_DIR, "")):
        folder = os.path.join(cwd, *parts)
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            path = os.path.join(entry.path, SESSION_FILE)
            if entry.name.startswith(prefix) and entry.is_dir() and os.path.isfile(path):
                found.append(path)
    return sorted(found)


def next_step(workflow: str, state: str, ref: str) -> str:
    """What to run next for a session in `state`; `ref` is the id or folder the command takes."""
    if workflow == "synthesis":
        step = SYNTHESIS_NEXT.get(state, "resume with `/workflow:synthesis --session {s}`")
    elif state in ("STALLED", "BLOCKED"):
        step = "ask the user to decide (`pending_decision` in the session), then " + SPEC_DRIVEN_NEXT
    else:
        step = SPEC_DRIVEN_NEXT
    return step.format(s=ref)


def _clip(text: Any, limit: int = 60) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def describe(path: str, cwd: str) -> str | None:
    """One line for the session at `path`; None when it is finished (or not a session at all)."""
    import json

    from specrail import states

    folder = os.path.dirname(path)
    ref = os.path.relpath(folder, cwd)
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        workflow, state = data["workflow"], data["state"]
        history = data.get("history") or []
    except (OSError, ValueError, KeyError, TypeError) as exc:
        problem = type(exc).__name__ if isinstance(exc, KeyError | TypeError) else _clip(exc)
        return f"- {ref}: unreadable {SESSION_FILE} ({problem}); see `specrail validate {ref}/{SESSION_FILE}`"
    if workflow not in states.MACHINES or state in states.TERMINAL:
        return None
    if workflow == "synthesis":
        ref = str(data.get("session_id") or os.path.basename(folder))
    last = "no transition yet"
    if history and isinstance(history[-1], dict):
        step = history[-1]
        last = f"{step.get('from')} -> {step.get('to')} at {step.get('at')}: {_clip(step.get('reason', ''))}"
    return f"- {workflow} {ref}: {state} (last: {last}); next: {next_step(workflow, state, ref)}"


def context(cwd: str) -> str:
    """The resume context for the sessions under `cwd`; "" when none is active."""
    lines = [line for path in session_files(cwd) if (line := describe(path, cwd))]
    if not lines:
        return ""
    text = HEADER
    for i, line in enumerate(lines):
        more = f"\n(+{len(lines) - i} more active sessions not shown)"
        if len((text + "\n" + line + more).encode()) > MAX_BYTES:
            return text + f"\n(+{len(lines) - i} more active sessions not shown)"
        text += "\n" + line
    return text
