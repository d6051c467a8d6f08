"""PostToolUse on Write|Edit|MultiEdit, inside a workflow tree: check the artifact the model just wrote.

Markdown artifacts are written step by step, so they are checked once written; JSON artifacts were
checked before they landed (PreToolUse). hooks.json starts this hook for Markdown files only (one
process per JSON write); a client that ignores its `if` rules starts it for every write, and a JSON
artifact is then checked again here as a safety net. Not an artifact or not inside a workflow
tree: exit 0 at once. A valid artifact: exit 0, silent. An invalid one: the JSON `decision: "block"`
answer with at most `MAX_LINES` lines of reason, which the client hands to the model. Anything the
hook cannot do (malformed stdin, a file gone or unreadable, an internal error) is reported as a
`systemMessage` and never blocks.
"""

from __future__ import annotations

import sys

from specrail.hooks import payload, scope

TYPE_CHECKING = False
if TYPE_CHECKING:
    from specrail.validation.report import FileResult


def invalid_message(result: FileResult) -> str:
    """The blocking reason for an invalid artifact: what is wrong, where, and how to fix it."""
    from specrail.hooks import verdict

    head = f"specrail: {result.file} is not a valid {result.kind}; it was written as is, fix it now:"
    tail = f"Correct each location above, then check with `specrail validate {result.file}`."
    return "\n".join([head, *verdict.issue_lines(result, verdict.MAX_LINES - 2), tail])


def _answer(body: dict[str, str]) -> int:
    import json

    sys.stdout.write(json.dumps(body) + "\n")
    return 0


def _report(message: str) -> int:
    """A problem the hook cannot act on: shown to the user, never blocking."""
    from specrail import model_text

    sys.stderr.write(f"specrail: {message}\n")
    return _answer({"systemMessage": f"workflow plugin (PostToolUse): {model_text.data(message, 500)}"})


def handle(raw: bytes) -> int:
    """The hook's answer for the payload `raw`: always 0, with a `decision: "block"` when invalid."""
    if payload.outside_workflow(raw):
        return 0  # the fast path: most files the model writes are not in a workflow tree
    try:
        data = payload.parse(raw)
    except payload.MalformedPayload as exc:
        return _report(str(exc))
    given, cwd = payload.file_path(data), payload.cwd(data)
    where = scope.locate(given, cwd) if given else None
    if given is None or where is None:
        return 0
    from specrail.hooks import verdict
    from specrail.validation import kinds

    real = where[0]
    kind = kinds.classify(real)
    if kind is None or kind == "workflow-session":  # the PreToolUse hook refuses every change to it
        return 0
    result = verdict.check(real, kind, cwd, verdict.name(given, real, cwd))
    if result.io_error:
        return _report("; ".join(issue.line() for issue in result.issues))
    if result.ok:
        return 0
    return _answer({"decision": "block", "reason": invalid_message(result)})


def main(raw: bytes | None = None) -> int:
    try:
        return handle(payload.read_stdin() if raw is None else raw)
    except Exception as exc:  # fail open, visibly
        return _report(f"internal error: {type(exc).__name__}: {exc}")
