"""The user's answer to AskUserQuestion, captured by the PostToolUse hook, settles what `resolve`
may record: the model cannot pick another option than the one the user chose."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.spec_driven import Project

REPO = Path(__file__).resolve().parents[2]


def stall(project: Project) -> None:
    """Refinement stalls: a decision waits for the user."""
    project.advance("REFINING")
    for found, resolved in ((4, 1), (1, 1), (0, 0), (2, 2)):
        args = ("--spec", "notes.md", "--found", str(found), "--resolved", str(resolved))
        project.ok("refine-round", *args, "--open-critical", "0")
    assert project.state == "STALLED"


def asked(project: Project, chosen: str, options: list[str] | None = None) -> dict[str, Any]:
    """The payload the client gives the hook once the user picked `chosen` (as the pinned client
    sends it: the questions in `tool_input`, the answers in `tool_response`)."""
    offered = options or project.session()["pending_decision"]["options"]
    question = {
        "question": "Refinement stalled. What now?",
        "header": "Stalled",
        "multiSelect": False,
        "options": [{"label": o, "description": o} for o in offered],
    }
    answers = {question["question"]: chosen}
    return {
        "session_id": "s",
        "cwd": str(project.root),
        "hook_event_name": "PostToolUse",
        "tool_name": "AskUserQuestion",
        "tool_input": {"questions": [question], "answers": answers},
        "tool_response": {"questions": [question], "answers": answers},
        "tool_use_id": "toolu_1",
    }


def run_hook(project: Project, data: dict[str, Any]) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAUDE", "PYTHON"))}
    return subprocess.run(
        [sys.executable, "-I", "-S", str(REPO / "hooks" / "run.py"), "user-answer"],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        cwd=project.root,
        env=env,
        timeout=60,
        check=False,
    )


def test_the_hook_is_wired_to_ask_user_question() -> None:
    hooks = json.loads((REPO / "hooks" / "hooks.json").read_text(encoding="utf-8"))["hooks"]
    entry = next(e for e in hooks["PostToolUse"] if e["matcher"] == "AskUserQuestion")
    assert entry["hooks"][0]["command"].endswith('run.py" user-answer')


def test_the_model_cannot_choose_other_than_the_user(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    stall(project)
    done = run_hook(project, asked(project, "Continue"))
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    assert project.session()["pending_decision"]["user_choice"] == "Continue"
    before = project.snapshot_files()

    monkeypatch.setenv("CLAUDECODE", "1")
    refused = project.fails("resolve", "--choice", "Accept partial")
    error = refused.json["error"]
    assert "the user chose 'Continue' when asked" in error["message"], error
    assert error["pointer"] == "/pending_decision/user_choice"
    assert project.snapshot_files() == before and project.state == "STALLED"

    assert project.ok("resolve", "--choice", "Continue")["state"] == "REFINING"


def test_an_unrelated_question_records_nothing(project: Project) -> None:
    stall(project)
    before = project.session()
    run_hook(project, asked(project, "Yes", options=["Yes", "No"]))
    run_hook(project, {**asked(project, "Continue"), "tool_response": {}})  # nobody answered
    assert project.session() == before


def test_a_person_in_a_terminal_may_still_change_their_mind(project: Project) -> None:
    stall(project)
    run_hook(project, asked(project, "Continue"))
    assert project.ok("resolve", "--choice", "Accept partial")["state"] == "ALIGNING"
