"""PreToolUse on Write|Edit|MultiEdit: deny changes to inputs a running workflow declares immutable.

- The guidance specification and the role analyses of a synthesis session
  (`.workflow/active/WFS-*/.brainstorming/guidance-specification.md`, `.brainstorming/{role}/analysis*.md`)
  while that session's synthesis runs: its `workflow-session.json` says `"workflow": "synthesis"`
  and a state other than COMPLETE or ABORTED.
- The "before" snapshots of a spec-driven session (`specs/meta/sessions/*/snapshots/...`), always:
  they record what a spec said before the change, and the diff records are computed against them.

A denial is a JSON answer (`permissionDecision: "deny"` with the reason); every other call exits 0
without output, and a path that cannot be one of these is let through before anything is parsed.
"""

from __future__ import annotations

import sys

from specrail.hooks import payload

BRAINSTORM = ".brainstorming"
GUIDANCE = "guidance-specification.md"
SNAPSHOTS = "snapshots"
# Folders of .brainstorming that hold outputs, not role analyses.
OUTPUT_FOLDERS = ("feature-specs",)


def _parts(path: str) -> list[str]:
    return [p for p in path.split("/") if p and p != "."]


def _name(path: str) -> str:
    return path.rstrip("/").rpartition("/")[2]


def synthesis_session_dir(path: str) -> str | None:
    """The session folder when `path` is a synthesis input (guidance or role analysis), else None."""
    parts = _parts(path)
    if BRAINSTORM not in parts:
        return None
    i = len(parts) - 1 - parts[::-1].index(BRAINSTORM)
    rest = parts[i + 1 :]
    is_guidance = rest == [GUIDANCE]
    is_analysis = (
        len(rest) == 2
        and rest[0] not in OUTPUT_FOLDERS
        and rest[1].startswith("analysis")
        and rest[1].endswith(".md")
    )
    session = parts[i - 1] if i >= 3 else ""
    if (
        not (is_guidance or is_analysis)
        or not session.startswith("WFS-")
        or parts[i - 3 : i - 1] != [".workflow", "active"]
    ):
        return None
    return "/" * path.startswith("/") + "/".join(parts[:i])


def snapshot_session_dir(path: str) -> str | None:
    """The spec-driven session folder when `path` is inside its snapshots, else None."""
    parts = _parts(path)
    for i in range(len(parts) - 6, -1, -1):
        if parts[i : i + 3] == ["specs", "meta", "sessions"] and parts[i + 4] == SNAPSHOTS:
            return "/" * path.startswith("/") + "/".join(parts[: i + 4])
    return None


def running_synthesis(session_dir: str) -> str | None:
    """The state of the session's synthesis when it is running, else None."""
    import json

    from specrail import states

    try:
        with open(session_dir + "/workflow-session.json", encoding="utf-8") as handle:
            data = json.load(handle)
        workflow, state = data["workflow"], data["state"]
    except (OSError, ValueError, KeyError, TypeError):
        return None  # no readable session: nothing declares the inputs immutable
    if workflow != "synthesis" or not isinstance(state, str) or state in states.TERMINAL:
        return None
    return state


def _deny(reason: str) -> int:
    import json

    answer = {
        "hookSpecificOutput": {
            "hookEventName": "PreToolUse",
            "permissionDecision": "deny",
            "permissionDecisionReason": reason,
        }
    }
    sys.stdout.write(json.dumps(answer) + "\n")
    return 0


def decide(path: str) -> str | None:
    """The reason to deny a change to `path`, or None to let it through."""
    session_dir = synthesis_session_dir(path)
    if session_dir is not None:
        state = running_synthesis(session_dir)
        if state is None:
            return None
        name = _name(session_dir)
        what = "the guidance specification" if path.endswith(GUIDANCE) else "a role analysis"
        return (
            f"{_name(path)} is {what} of {name}, an input that synthesis never modifies, "
            f"and the synthesis of {name} is running (state {state}). Leave it as it is: write what you "
            "meant to change into the synthesis outputs (feature specs, changelog) instead, or ask the user."
        )
    session_dir = snapshot_session_dir(path)
    if session_dir is not None:
        return (
            f"{path} is a 'before' snapshot of the spec-driven session {_name(session_dir)}: "
            "it records the spec as it was before this change, and the diff records are computed against it. "
            "Edit the spec itself, never its snapshot."
        )
    return None


def handle(raw: bytes) -> int:
    path = payload.string_member(raw, "file_path")
    if path is not None and f"/{BRAINSTORM}/" not in "/" + path and f"/{SNAPSHOTS}/" not in path:
        return 0  # the fast path: not an input any workflow protects
    try:
        data = payload.parse(raw)
    except payload.MalformedPayload as exc:
        sys.stderr.write(f"specrail: PreToolUse: {exc}\n")
        return 0
    path = payload.tool_path(data)
    reason = decide(path) if path else None
    return _deny(reason) if reason else 0


def main(raw: bytes | None = None) -> int:
    try:
        return handle(payload.read_stdin() if raw is None else raw)
    except Exception as exc:  # fail open, visibly
        import json

        message = f"workflow plugin (PreToolUse): internal error: {type(exc).__name__}: {exc}"
        sys.stdout.write(json.dumps({"systemMessage": message}) + "\n")
        sys.stderr.write(message + "\n")
        return 0
