"""The resume context: one line per active workflow session under the project, for the model.

Read with the stdlib only (the SessionStart hook runs before anything is imported). A session is
active while its state is not terminal; each line gives the workflow, the session, the state, the
last transition and the next step, and the whole text stays under `MAX_BYTES`.
"""

from __future__ import annotations

import os

from specrail import model_text

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
    """Paths of every `workflow-session.json` of both workflows under `cwd`, sorted; special files too
    (a FIFO, a link to a device), so that their readers can say they refused them."""
    found = []
    for parts, prefix in ((SYNTHESIS_DIR, "WFS-"), (SPEC_DRIVEN_DIR, "")):
        folder = os.path.join(cwd, *parts)
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            path = os.path.join(entry.path, SESSION_FILE)
            if entry.name.startswith(prefix) and entry.is_dir() and os.path.lexists(path):
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


def _clip(value: Any, limit: int = 60) -> str:
    return model_text.data(" ".join(str(value).split()), limit)


def _load(path: str, ref: str) -> dict[str, Any] | str:
    """The session file as a dict, read bounded; or why it cannot be read."""
    import json

    from specrail.errors import SpecrailError
    from specrail.fileio import read_text

    try:
        data = json.loads(read_text(path, ref))
    except SpecrailError as exc:
        return _clip(exc.message)
    except (ValueError, RecursionError):
        return "not JSON"
    return data if isinstance(data, dict) else "not a JSON object"


def describe(path: str, cwd: str) -> str | None:
    """One line for the session at `path`; None when it is finished (or not a session at all).

    Every value read from the file reaches the model as data: ids and states only when valid
    (an invalid one is reported as invalid, never echoed), free text escaped and clipped.
    """
    from specrail import states

    folder = os.path.dirname(path)
    ref = model_text.data(os.path.relpath(folder, cwd), 100)
    data = _load(path, ref)
    see = f"see `specrail validate {ref}/{SESSION_FILE}`"
    if isinstance(data, str):
        return f"- {ref}: unreadable {SESSION_FILE} ({data}); {see}"
    workflow, state = str(data.get("workflow")), str(data.get("state"))
    if workflow not in states.MACHINES:
        return f"- {ref}: {SESSION_FILE} names no known workflow; {see}"
    if state in states.TERMINAL:
        return None
    if state not in states.MACHINES[workflow]:
        return f"- {workflow} {ref}: invalid state in {SESSION_FILE}; {see}"
    if workflow == "synthesis":
        session_id = data.get("session_id", os.path.basename(folder))
        ref = model_text.valid_id(session_id, "WFS-") or f"{ref} (invalid session_id)"
    history = data.get("history")
    last = "no transition yet"
    if isinstance(history, list) and history and isinstance(history[-1], dict):
        step = history[-1]
        machine = states.MACHINES[workflow]
        ends = [str(step.get(end)) for end in ("from", "to")]
        moved = " -> ".join(end if end in machine else "(invalid state)" for end in ends)
        last = f"{moved} at {_clip(step.get('at'), 30)}: {_clip(step.get('reason', ''))}"
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
