"""SessionStart (startup, resume, clear, compact): the dependency bootstrap, then the resume context.

Answers with one JSON object on stdout, and only when there is something to say:
`hookSpecificOutput.additionalContext` (read by the model) holds the active sessions and, when the
bootstrap failed, what that means for the model; `systemMessage` (shown to the user) reports a
first install or a failure. Any problem is reported and the hook exits 0: it never stops a session.
When a `specrail` of this version is already on PATH, no venv is built.
"""

from __future__ import annotations

import os
import sys

from specrail import bootstrap
from specrail.hooks import payload

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

PLUGIN_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))


def _answer(context: str, message: str) -> None:
    import json

    body: dict[str, object] = {}
    if message:
        body["systemMessage"] = message
    if context:
        body["hookSpecificOutput"] = {"hookEventName": "SessionStart", "additionalContext": context}
    sys.stdout.write(json.dumps(body) + "\n")


def run_bootstrap(env: Mapping[str, str]) -> tuple[str, str]:
    """(message for the user, note for the model) about the plugin's environment; ("", "") when fine."""
    data = env.get("CLAUDE_PLUGIN_DATA", "")
    if not data:
        return "workflow plugin: CLAUDE_PLUGIN_DATA is not set, so specrail was not installed.", ""
    project = env.get("CLAUDE_PROJECT_DIR") or os.getcwd()
    outcome = bootstrap.ensure(PLUGIN_ROOT, data, env.get("CLAUDE_ENV_FILE"), env.get("PATH"), project)
    if outcome.installed:
        where = bootstrap.path_dir(data)
        note = f" {outcome.message[:1].upper()}{outcome.message[1:]}" if outcome.message else ""
        return f"workflow plugin: installed specrail {bootstrap.__version__} in {where}.{note}", ""
    if outcome.ready:
        return "", ""
    user = (
        f"workflow plugin: specrail could not be installed; /workflow commands cannot run.\n{outcome.message}"
    )
    model = (
        "The workflow plugin's helper `specrail` is not installed (see the message shown to the user); "
        "/workflow commands cannot run until a new session installs it."
    )
    return user, model


def main(raw: bytes | None = None) -> int:
    if raw is None:
        raw = payload.read_stdin()
    cwd = payload.string_member(raw, "cwd", within="session_id") or os.getcwd()
    try:
        message, note = run_bootstrap(os.environ)
    except Exception as exc:  # never stop a session: report and go on
        message, note = f"workflow plugin: the specrail setup failed: {type(exc).__name__}: {exc}", ""
    try:
        from specrail.hooks import resume

        sessions = resume.context(cwd)
    except Exception as exc:
        sessions = ""
        message = (message + "\n" if message else "") + f"workflow plugin: no resume context: {exc}"
    context = "\n".join(part for part in (note, sessions) if part)
    if message or context:
        _answer(context, message)
    if message:
        sys.stderr.write(message + "\n")
    return 0
