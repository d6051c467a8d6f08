"""PreToolUse on Write|Edit|MultiEdit in a workflow tree: inputs stay read-only, invalid JSON never lands.

Denied, each with what happened and what to do instead:
- a change to the guidance specification or a role analysis of a synthesis session
  (`.brainstorming/guidance-specification.md`, `.brainstorming/{role}/analysis*.md`) while that
  session's synthesis runs (its `workflow-session.json` says `"workflow": "synthesis"` and a state
  other than COMPLETE or ABORTED);
- a change to the "before" snapshots of a spec-driven session (`snapshots/...`): the diff records
  are computed against them;
- a change to a synthesis session's analysis outputs (`enhancement-recommendations.json`,
  `feature-conflict-map.json`) once the clarification built on them (state CLARIFIED or later);
- a change to what specrail generates in a spec-driven session (`spec_diffs/*`, the refinement
  summary, alignment report, implementation log, validation report, SUMMARY.md): specrail writes
  them from the record and refuses one changed by another hand;
- a Write or Edit of `workflow-session.json`: specrail alone writes it, under its state machine,
  and a Write that would create one: only `specrail spec-driven init` and `specrail synthesis
  discover` start a session (and sign it, see `specrail.signing`);
- a JSON artifact the call would leave invalid (Write: its content; Edit, MultiEdit: the file with
  the edits applied as the client applies them): each JSON pointer and its fix; the file is unchanged.

Everything is decided on the file's real path (`scope`). Outside a workflow tree, and for every
call let through, the hook exits 0 without output.
"""

from __future__ import annotations

import sys

from specrail.hooks import payload, scope

BRAINSTORM = ".brainstorming"
GUIDANCE = "guidance-specification.md"
SNAPSHOTS = "snapshots"
ANALYSIS_OUTPUTS = ("enhancement-recommendations.json", "feature-conflict-map.json")
FROZEN_FROM = ("CLARIFIED", "SPECS_WRITTEN", "REVIEWED")
DIFFS = "spec_diffs"
GENERATED_REPORTS = (
    "refinement_summary.md",
    "alignment_report.md",
    "implementation_log.md",
    "validation_report.md",
    "SUMMARY.md",
)
# Folders of .brainstorming that hold outputs, not role analyses.
OUTPUT_FOLDERS = ("feature-specs",)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


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


def analysis_session_dir(path: str) -> str | None:
    """The synthesis session folder when `path` is one of its phase 3A outputs, else None."""
    parts = _parts(path)
    if len(parts) < 5 or parts[-2] != BRAINSTORM or parts[-1] not in ANALYSIS_OUTPUTS:
        return None
    if not parts[-3].startswith("WFS-") or parts[-5:-3] != [".workflow", "active"]:
        return None
    return "/" * path.startswith("/") + "/".join(parts[:-2])


def generated_session_dir(path: str) -> str | None:
    """The spec-driven session folder when `path` is a file specrail generates in it, else None."""
    parts = _parts(path)
    for i in range(len(parts) - 5, -1, -1):
        if parts[i : i + 3] != ["specs", "meta", "sessions"]:
            continue
        rest = parts[i + 4 :]
        if rest in ([name] for name in GENERATED_REPORTS) or (len(rest) == 2 and rest[0] == DIFFS):
            return "/" * path.startswith("/") + "/".join(parts[: i + 4])
        return None
    return None


def read_session(session_dir: str) -> dict[str, Any] | None:
    """The session's `workflow-session.json` as a dict, read bounded; None when unreadable."""
    import json

    from specrail.errors import SpecrailError
    from specrail.fileio import read_text

    path = f"{session_dir}/{scope.SESSION_FILE}"
    try:
        data = json.loads(read_text(path, path))
    except (SpecrailError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def running_synthesis(session_dir: str) -> str | None:
    """The state of the session's synthesis when it is running, else None."""
    from specrail import states

    data = read_session(session_dir) or {}
    workflow, state = data.get("workflow"), str(data.get("state"))
    if workflow != "synthesis" or state not in states.MACHINES["synthesis"] or state in states.TERMINAL:
        return None
    return state


def guard(real: str, shown: str) -> str | None:
    """The reason to deny any change to `real` (a read-only input), or None."""
    from specrail import model_text

    session_dir = synthesis_session_dir(real)
    if session_dir is not None:
        state = running_synthesis(session_dir)
        if state is None:
            return None
        session = model_text.valid_id(_name(session_dir), "WFS-") or "a session with an invalid name"
        what = "the guidance specification" if real.endswith(GUIDANCE) else "a role analysis"
        return (
            f"{shown} is {what} of {session}, an input that synthesis never modifies, "
            f"and the synthesis of {session} is running (state {state}). Leave it as it is: write what you "
            "meant to change into the synthesis outputs (feature specs, changelog) instead, or ask the user."
        )
    session_dir = analysis_session_dir(real)
    state = (read_session(session_dir) or {}).get("state") if session_dir else None
    if session_dir is not None and state in FROZEN_FROM:
        session = model_text.valid_id(_name(session_dir), "WFS-") or "a session with an invalid name"
        return (
            f"{shown} is an analysis output of {session}, validated by `specrail synthesis analyzed` and "
            f"frozen since: the clarification (state {state}) was built on it. Leave it as it is; to "
            "analyse again, run `specrail synthesis discover` first, then the analysis and `analyzed`."
        )
    session_dir = generated_session_dir(real)
    if session_dir is not None:
        session = model_text.data(_name(session_dir), 80)
        return (
            f"{shown} is generated by specrail for the spec-driven session {session}, from its record; "
            "specrail records its hash and refuses it once changed by another hand. Run the specrail step "
            "that writes it (`specrail spec-driven status` says which), or `specrail spec-driven reports` "
            "to write the reports again; to change what it says, change what the record holds."
        )
    session_dir = snapshot_session_dir(real)
    if session_dir is not None:
        session = model_text.data(_name(session_dir), 80)
        return (
            f"{shown} is a 'before' snapshot of the spec-driven session {session}: "
            "it records the spec as it was before this change, and the diff records are computed against it. "
            "Edit the spec itself, never its snapshot."
        )
    return None


def session_reason(real: str, shown: str, tool: str) -> str:
    """Why a Write/Edit of `workflow-session.json` is refused, with the state and the way on."""
    import os

    from specrail import model_text, states
    from specrail.hooks.resume import next_step

    lines = [
        f"specrail: {shown} is written only by specrail (atomically, under a lock, with its history); "
        f"this {tool} would bypass the state machine, so it was refused and the file is unchanged."
    ]
    data = read_session(os.path.dirname(real)) or {}
    workflow, state = str(data.get("workflow")), str(data.get("state"))
    if workflow in states.MACHINES and state in states.MACHINES[workflow]:
        allowed = ", ".join(states.allowed(workflow, state)) or "none (terminal state)"
        folder = os.path.dirname(real)
        ref = model_text.valid_id(data.get("session_id"), "WFS-") if workflow == "synthesis" else None
        ref = ref or model_text.data(os.path.basename(folder), 80)
        lines.append(f"State machine: this {workflow} session is in {state}; allowed next: {allowed}.")
        lines.append(f"Only specrail commands move it; next step: {next_step(workflow, state, ref)}.")
    lines.append("Use the specrail command for the step instead.")
    return "\n".join(lines)


def json_reason(data: dict[str, Any], real: str, kind: str, shown: str) -> str | None:
    """Why the JSON artifact the call would leave is refused (each pointer and fix), or None."""
    from specrail.errors import IOFailure, SpecrailError
    from specrail.fileio import read_text
    from specrail.hooks import edits, verdict

    tool = str(data.get("tool_name") or "")
    tool_input = data.get("tool_input") or {}
    current = None
    if tool != "Write":
        try:
            current = read_text(real, shown)
        except IOFailure as exc:
            if exc.message != "no such file":
                return None  # the client cannot edit it either; its own error says why
        except SpecrailError:
            return None
    content = edits.proposed(tool, tool_input, current)
    if content is None:
        return None  # the client refuses this call itself
    cwd = data.get("cwd") if isinstance(data.get("cwd"), str) else None
    result = verdict.check(real, kind, cwd, shown, content=content)
    if result.io_error or result.ok:
        return None
    head = (
        f"specrail: {shown} would not be a valid {kind}, so this {tool} was refused; the file is unchanged:"
    )
    tail = f"Correct each location above and send the {tool} again (`specrail validate` checks a file)."
    return "\n".join([head, *verdict.issue_lines(result, verdict.MAX_LINES - 2), tail])


def decide(data: dict[str, Any], given: str, real: str) -> str | None:
    """The reason to deny the call on `given` (really `real`, inside a workflow tree), or None."""
    from specrail.hooks import verdict
    from specrail.validation import kinds

    cwd = data.get("cwd") if isinstance(data.get("cwd"), str) else None
    shown = verdict.name(given, real, cwd)
    reason = guard(real, shown)
    if reason:
        return reason
    kind = kinds.classify(real)
    if kind == "workflow-session":
        return session_reason(real, shown, str(data.get("tool_name") or "change"))
    if kind in kinds.JSON_KINDS:
        return json_reason(data, real, kind, shown)
    return None


def creation_reason(data: dict[str, Any], given: str, real: str) -> str:
    """Why a Write that would create a session's `workflow-session.json` is refused."""
    from specrail.hooks import verdict

    cwd = data.get("cwd") if isinstance(data.get("cwd"), str) else None
    shown = verdict.name(given, real, cwd)
    tool = str(data.get("tool_name") or "write")
    return (
        f"specrail: {shown} would start a session, and only specrail starts one (validated, signed, "
        f"with its history); this {tool} was refused and nothing was written. Run "
        '`specrail spec-driven init "REQUEST"` (spec-driven) or `specrail synthesis discover` (synthesis) '
        "instead."
    )


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


def handle(raw: bytes) -> int:
    if payload.outside_workflow(raw):
        return 0  # the fast path: most files the model writes are not in a workflow tree
    try:
        data = payload.parse(raw)
    except payload.MalformedPayload as exc:
        sys.stderr.write(f"specrail: PreToolUse: {exc}\n")
        return 0
    given, cwd = payload.file_path(data), payload.cwd(data)
    if given is None:
        return 0
    where = scope.locate(given, cwd)
    if where is None:
        real = scope.real_path(given, cwd)
        return _deny(creation_reason(data, given, real)) if real and scope.new_session_file(real) else 0
    reason = decide(data, given, where[0])
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
