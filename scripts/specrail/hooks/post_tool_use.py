"""PostToolUse on Write|Edit|MultiEdit: validate the workflow artifact the model just wrote.

Not an artifact (decided from the raw payload by name): exit 0 at once. A valid artifact: exit 0,
silent. An invalid one: exit 2 with at most `MAX_LINES` lines on stderr, which the client hands
to the model right after the tool result. `workflow-session.json` is written only by specrail, so
any Write/Edit of it is flagged the same way. Anything the hook cannot do (malformed stdin, a file
gone or unreadable, an internal error) is reported as a `systemMessage` and never blocks.
"""

from __future__ import annotations

import sys

from specrail.hooks import payload
from specrail.validation import kinds

MAX_LINES = 20
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from specrail.validation.report import FileResult


def _label(path: str, cwd: str | None) -> str:
    """`path` relative to the project when inside it."""
    if cwd and path.startswith(cwd.rstrip("/") + "/"):
        return path[len(cwd.rstrip("/")) + 1 :]
    return path


def _issue_lines(result: FileResult, budget: int) -> list[str]:
    """`- location: message` per error, with its `fix:` hint while the budget allows, in `budget` lines."""
    errors = result.errors
    lines: list[str] = []
    for i, issue in enumerate(errors):
        left = len(errors) - i
        room = budget - len(lines) - (1 if left > 1 else 0)
        if room < 1:
            lines.append(f"(+{left} more errors: run `specrail validate {result.file}` for all of them)")
            break
        lines.append(f"- {issue.location or '(whole file)'}: {issue.message}")
        if issue.hint and room >= 2 + (left > 1):
            lines.append(f"  fix: {issue.hint}")
    return lines


def invalid_message(result: FileResult) -> str:
    """The blocking message for an invalid artifact: what is wrong, where, and how to fix it."""
    head = f"specrail: {result.file} is not a valid {result.kind}; it was written as is, fix it now:"
    tail = f"Correct each location above, then check with `specrail validate {result.file}`."
    return "\n".join([head, *_issue_lines(result, MAX_LINES - 2), tail])


def session_message(path: str, label: str, result: FileResult) -> str:
    """The blocking message for a Write/Edit of `workflow-session.json` (owned by specrail)."""
    import json
    import os

    from specrail import states
    from specrail.hooks.resume import next_step

    lines = [
        f"specrail: {label} is written only by specrail (atomically, under a lock, with its history);",
        "this Write/Edit changed it directly, bypassing the state machine.",
    ]
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        workflow, state = data["workflow"], data["state"]
        machine = states.MACHINES[workflow]
    except (OSError, ValueError, KeyError, TypeError):
        workflow = state = ""
        machine = {}
    if state in machine:
        allowed = ", ".join(states.allowed(workflow, state)) or "none (terminal state)"
        folder = os.path.dirname(label)
        ref = (data.get("session_id") or os.path.basename(folder)) if workflow == "synthesis" else folder
        lines.append(f"State machine: this {workflow} session is in {state}; allowed next: {allowed}.")
        lines.append(f"Only specrail commands move it; next step: {next_step(workflow, state, str(ref))}.")
    lines += _issue_lines(result, MAX_LINES - len(lines) - 1)
    lines.append("Undo your change (put back what specrail wrote) and use the specrail command instead.")
    return "\n".join(lines)


def _report(message: str) -> int:
    """A problem the hook cannot act on: shown to the user, never blocking."""
    import json

    sys.stdout.write(json.dumps({"systemMessage": f"workflow plugin (PostToolUse): {message}"}) + "\n")
    sys.stderr.write(f"specrail: {message}\n")
    return 0


def _check(path: str, kind: str, cwd: str | None, label: str) -> FileResult:
    """`specrail validate`'s verdict on the file (the same `check_file`)."""
    from pathlib import Path

    from specrail.validation.check import check_file

    if kind in kinds.YAML_KINDS:
        import site

        site.main()  # PyYAML lives in site-packages, which the hooks start without
    try:
        return check_file(Path(path), kind, Path(cwd) if cwd else None, label)
    except ImportError:  # no jsonschema: not the plugin's venv (its bootstrap failed)
        return _first_error(Path(path), kind, label)


def _first_error(path: Path, kind: str, label: str) -> FileResult:
    """The first schema violation only, from the stdlib-only compiled validator."""
    from specrail.errors import SpecrailError
    from specrail.validation import check
    from specrail.validation.report import FileResult, Issue

    result = FileResult(label, kind)
    module = check.compiled(kind)
    try:
        module.validate(check.parse_json(check.read_text(path, label), label))
    except SpecrailError as exc:
        result.issues.append(Issue(label, "", exc.message))
    except module.JsonSchemaValueException as exc:
        hint = "the full list needs jsonschema: run `specrail validate` where specrail is installed"
        result.issues.append(Issue(label, _pointer(exc.name or ""), exc.message, hint=hint))
    return result


def _pointer(name: str) -> str:
    """The JSON pointer of a compiled validator's dotted name: `data.features[0].id` -> /features/0/id."""
    rest = name.removeprefix("data").replace("[", ".").replace("]", "")
    return "/".join(rest.split(".")) or "/"


def handle(raw: bytes) -> int:
    """The hook's answer for the payload `raw`: 0, or 2 after writing the block message."""
    path = payload.string_member(raw, "file_path")
    if path is not None and kinds.classify(path) is None:
        return 0  # the fast path: most files the model writes are not artifacts
    try:
        data = payload.parse(raw)
    except payload.MalformedPayload as exc:
        return _report(str(exc))
    path = payload.tool_path(data)
    kind = kinds.classify(path) if path else None
    if path is None or kind is None:
        return 0
    cwd = data.get("cwd") if isinstance(data.get("cwd"), str) else None
    label = _label(path, cwd)
    result = _check(path, kind, cwd, label)
    if result.io_error:
        return _report("; ".join(issue.line() for issue in result.issues))
    if kind == "workflow-session":
        sys.stderr.write(session_message(path, label, result) + "\n")
        return 2
    if result.ok:
        return 0
    sys.stderr.write(invalid_message(result) + "\n")
    return 2


def main(raw: bytes | None = None) -> int:
    try:
        return handle(payload.read_stdin() if raw is None else raw)
    except Exception as exc:  # fail open, visibly
        return _report(f"internal error: {type(exc).__name__}: {exc}")
