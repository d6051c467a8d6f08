"""PostToolUse on AskUserQuestion: record the option the user chose for a pending decision.

The client hands the hook the questions asked and the user's answers (`tool_response.answers`,
question text -> chosen label), seen with the pinned client wherever someone answers (the terminal
UI, an SDK host); in `-p` mode the tool is not available at all and the hook never runs. Where a
question offers exactly the options of an active spec-driven session's pending decision, the
chosen option is recorded with that decision, and `resolve` run by the model then accepts only
that option. Never blocks: a problem is shown to the user as a `systemMessage`.
"""

from __future__ import annotations

import sys

from specrail.hooks import payload

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any


def choices(data: dict[str, Any]) -> list[tuple[list[str], str]]:
    """(offered labels, chosen label) of each answered single-choice question of the payload."""
    tool_input, response = data.get("tool_input"), data.get("tool_response")
    if not isinstance(tool_input, dict) or not isinstance(response, dict):
        return []
    answers = response.get("answers")
    questions = tool_input.get("questions")
    if not isinstance(answers, dict) or not isinstance(questions, list):
        return []
    out = []
    for q in questions:
        if not isinstance(q, dict) or q.get("multiSelect"):
            continue
        options = q.get("options")
        options = options if isinstance(options, list) else []
        labels = [o["label"] for o in options if isinstance(o, dict) and isinstance(o.get("label"), str)]
        chosen = answers.get(q.get("question"))
        if labels and isinstance(chosen, str):
            out.append((labels, chosen))
    return out


def record(root: Path, answered: list[tuple[list[str], str]]) -> list[str]:
    """Record each answer that settles a pending decision; the sessions it went to."""
    from specrail.spec_driven.session import active_sessions
    from specrail.store import SESSION_FILE, SessionStore

    recorded = []
    for folder in active_sessions(root):
        store = SessionStore(folder / SESSION_FILE)
        decision = store.read().pending_decision  # type: ignore[union-attr]
        if decision is None:
            continue
        for labels, chosen in answered:
            if sorted(labels) != sorted(decision.options) or chosen not in decision.options:
                continue
            raised = decision.raised_at

            def keep(s: Any, chosen: str = chosen, raised: str = raised) -> None:
                if s.pending_decision is not None and s.pending_decision.raised_at == raised:
                    s.pending_decision.user_choice = chosen

            store.update(keep)
            recorded.append(folder.name)
    return recorded


def handle(raw: bytes) -> int:
    data = payload.parse(raw)
    answered = choices(data)
    where = payload.cwd(data)
    if data.get("tool_name") != "AskUserQuestion" or not answered or where is None:
        return 0
    from pathlib import Path

    if not (Path(where) / "specs" / "meta" / "sessions").is_dir():
        return 0  # no spec-driven session here: nothing to record
    import site

    site.main()  # pydantic lives in site-packages, which the hooks start without
    record(Path(where), answered)
    return 0


def main(raw: bytes | None = None) -> int:
    try:
        return handle(payload.read_stdin() if raw is None else raw)
    except Exception as exc:  # never blocks: the user sees what went wrong
        import json

        message = f"workflow plugin (AskUserQuestion): {type(exc).__name__}: {str(exc)[:300]}"
        sys.stdout.write(json.dumps({"systemMessage": message}) + "\n")
        return 0
