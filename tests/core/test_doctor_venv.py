"""`specrail doctor` on a data folder without a venv, and on a venv whose python no longer runs."""

from __future__ import annotations

import json
from pathlib import Path

from specrail import __version__, bootstrap
from tests.core.test_doctor import checks, doctor, setup


def test_a_data_folder_without_a_venv_is_named_as_such(tmp_path: Path) -> None:
    root, _, project = setup(tmp_path, __version__)
    empty = tmp_path / "empty-data"
    empty.mkdir()
    found = checks(doctor(root, empty, project, "--json"))
    assert found["venv"]["detail"] == f"the plugin data folder {empty} exists but holds no venv"
    assert "new Claude Code session" in found["venv"]["fix"]
    missing = checks(doctor(root, tmp_path / "nowhere", project, "--json"))
    assert missing["venv"]["detail"] == f"the plugin data folder {tmp_path / 'nowhere'} does not exist"


def test_a_broken_venv_python_is_reported_once_with_the_right_fix(tmp_path: Path) -> None:
    root, data, project = setup(tmp_path, __version__)
    python = data / "venv" / "bin" / "python"
    python.unlink()
    python.symlink_to(tmp_path / "removed-python3.11")  # the interpreter it was built from is gone
    proc = doctor(root, data, project, "--json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    answer = json.loads(proc.stdout)
    found = {c["name"]: c for c in answer["checks"]}
    venv = found["venv"]
    assert venv["detail"] == f"the venv's python {python} does not run (its interpreter was removed or moved)"
    assert venv["fix"] == (
        f"delete {data / bootstrap.VENV}, then start a new Claude Code session: its SessionStart hook "
        "builds the venv again"
    )
    assert answer["problems"] == 1, [c for c in answer["checks"] if not c["ok"]]
    text = doctor(root, data, project).stdout
    assert text.count("does not run") == 1 and text.count(f"delete {data / bootstrap.VENV}") == 1
    assert text.splitlines()[-1] == "1 problem"
