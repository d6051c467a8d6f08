"""Only the user decides the answers of phase 4: auto mode only when the session started in it,
no answer left out, and no flag the model may give for the user inside the client."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.synthesis import Synth, advance
from tests.synthesis.builders import Conf, Project


@pytest.fixture
def analyzed(synth: Synth, project: Project) -> Project:
    """A session discovered without -y, with one enhancement batch and one conflict question."""
    project.conflicts = {"F-001": [Conf("Merge strategy", "[UNRESOLVED]")]}
    project.build()
    advance(synth, project.root, project.sid, "analyzed")
    return project


def _file(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def _record(project: Project) -> bytes:
    return (project.session_dir / "workflow-session.json").read_bytes()


def test_an_empty_answers_file_is_refused(synth: Synth, analyzed: Project, tmp_path: Path) -> None:
    before = _record(analyzed)
    cases: list[dict[str, Any]] = [{}, {"answers": {}}, {"answers": {"E1": []}}]
    cases.append({"answers": {"E1": [], "Q1": " "}})
    for data in cases:
        result = synth(analyzed.root, "answer", "--session", analyzed.sid, "--answers", _file(tmp_path, data))
        assert result.code == 1, (data, result.out)
        error = result.json["error"]
        assert error["pointer"] == "/answers" and "questions left unanswered" in error["message"]
        assert "Q1" in error["message"]
    assert _record(analyzed) == before


def test_every_question_answered_is_accepted(synth: Synth, analyzed: Project, tmp_path: Path) -> None:
    questions = synth(analyzed.root, "questions", "--session", analyzed.sid).json
    ids = [q for batch in questions["batches"] for q in batch["ids"]]
    assert ids == ["E1", "Q1"]
    data = {"answers": {"E1": [], "Q1": "alpha view"}}
    result = synth(analyzed.root, "answer", "--session", analyzed.sid, "--answers", _file(tmp_path, data))
    assert result.code == 0, result.out
    assert analyzed.session()["spec_context"]["auto_mode"] is False


def test_the_model_cannot_take_the_defaults_for_the_user(
    synth: Synth, analyzed: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _record(analyzed)
    monkeypatch.setenv("CLAUDECODE", "1")
    for step in (["answer", "--yes"], ["questions", "--yes"], ["discover", "-y"]):
        result = synth(analyzed.root, *step, "--session", analyzed.sid)
        assert result.code == 1, (step, result.out)
        error = result.json["error"]
        assert "is the user's decision" in error["message"] and error["pointer"] == "/auto_mode"
    assert _record(analyzed) == before
    # without -y the steps go on, and ask the user
    assert synth(analyzed.root, "questions", "--session", analyzed.sid).json["auto_mode"] is False


def test_a_person_in_a_terminal_may_take_the_defaults(synth: Synth, analyzed: Project) -> None:
    result = synth(analyzed.root, "answer", "--yes", "--session", analyzed.sid)
    assert result.code == 0 and result.json["auto"] is True


def test_auto_mode_is_kept_from_the_start(
    synth: Synth, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.build()
    monkeypatch.setenv("CLAUDECODE", "1")
    assert synth(project.root, "discover", "--session", project.sid, "-y").json["auto_mode"] is True
    # a later discover without -y keeps the mode the session started in
    assert synth(project.root, "discover", "--session", project.sid).json["auto_mode"] is True
    assert synth(project.root, "analyzed", "--session", project.sid).code == 0
    questions = synth(project.root, "questions", "--session", project.sid).json
    assert questions["auto_mode"] is True and "answer --yes --session" in questions["next"]
    assert synth(project.root, "answer", "--yes", "--session", project.sid).code == 0
