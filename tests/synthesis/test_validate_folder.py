"""`specrail validate SESSION_FOLDER` validates every artifact of a session in one call."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.support.synthesis import Synth, advance
from tests.synthesis.builders import Project


def _validate(root: Path, *args: str) -> tuple[int, dict[str, Any]]:
    run = subprocess.run(
        [sys.executable, "-m", "specrail", "validate", *args, "--root", str(root), "--json"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    return run.returncode, json.loads(run.stdout)


def _finished(synth: Synth, project: Project) -> None:
    project.language = "ja"
    project.build()
    advance(synth, project.root, project.sid, "answer")
    project.write_specs()
    advance(synth, project.root, project.sid, "index")
    assert synth(project.root, "finalize", "--session", project.sid).json["status"] == "ok"


EXPECTED = [
    ".brainstorming/enhancement-recommendations.json",
    ".brainstorming/feature-conflict-map.json",
    ".brainstorming/feature-index.json",
    ".brainstorming/feature-specs/F-001-offline-sync.md",
    ".brainstorming/feature-specs/F-002-sharing.md",
    ".brainstorming/synthesis-changelog.md",
    ".process/context-package.json",
    "workflow-session.json",
]


def test_a_session_folder_validates_in_one_call(synth: Synth, project: Project) -> None:
    _finished(synth, project)
    folder = f".workflow/active/{project.sid}"
    code, answer = _validate(project.root, folder)
    assert code == 0, answer
    assert answer["checked"] == len(EXPECTED)
    assert sorted(f["file"] for f in answer["files"]) == sorted(f"{folder}/{e}" for e in EXPECTED)
    code, answer = _validate(project.root, f"{folder}/.brainstorming")
    assert code == 0 and answer["checked"] == 6


def test_an_invalid_artifact_in_the_folder_fails_naming_it(synth: Synth, project: Project) -> None:
    _finished(synth, project)
    project.write_json("feature-conflict-map.json", {"F-001": {"consensus": []}})
    folder = f".workflow/active/{project.sid}"
    code, answer = _validate(project.root, folder)
    assert code == 1 and answer["status"] == "fail" and answer["checked"] == len(EXPECTED)
    assert {e["file"] for e in answer["errors"]} == {f"{folder}/.brainstorming/feature-conflict-map.json"}


def test_a_folder_without_artifacts_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    code, answer = _validate(tmp_path, "empty")
    assert code == 2 and answer["errors"][0]["message"] == "no workflow artifact in this folder"
