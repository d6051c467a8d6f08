"""`doctor` and the bootstrap never run a `specrail` of the project's: not through `.`, an empty
PATH entry, or a folder inside the project."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from specrail import bootstrap

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX executables")


def planted(project: Path) -> Path:
    """A `specrail` in the project's root and in its bin/, each leaving a marker when run."""
    marker = project.parent / "planted-specrail-ran"
    for folder in (project, project / "bin"):
        folder.mkdir(parents=True, exist_ok=True)
        exe = folder / "specrail"
        exe.write_text(
            f"#!/bin/sh\ntouch '{marker}'\necho specrail {bootstrap.__version__}\n", encoding="utf-8"
        )
        exe.chmod(0o755)
    return marker


def hostile_path(project: Path) -> str:
    return os.pathsep.join(["", ".", "bin", str(project / "bin"), str(project), os.defpath])


def test_the_bootstrap_never_takes_the_projects_specrail(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "project"
    marker = planted(project)
    monkeypatch.chdir(project)

    found = bootstrap.found_on_path(str(tmp_path / "data"), hostile_path(project), str(project))

    assert found is None and not marker.exists()


def test_doctor_never_runs_the_projects_specrail(tmp_path: Path) -> None:
    project = tmp_path / "project"
    marker = planted(project)
    env = {**os.environ, "PATH": hostile_path(project)}

    proc = subprocess.run(
        [sys.executable, "-m", "specrail", "doctor", "--root", str(project), "--json"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert proc.returncode in (0, 1), proc.stderr
    assert not marker.exists()
    assert '"path"' in proc.stdout
