"""Sample spec-driven projects as if freshly cloned, for the hostile-input tests (import the fixtures)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import run_cli
from tests.spec_driven.conftest import Project, copy_project


@pytest.fixture(scope="session")
def sd_states(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Sample projects along the happy path, built once; `_pristine` is the untouched git copy."""
    return {"_pristine": copy_project(tmp_path_factory.mktemp("sd-states") / "pristine")}


@pytest.fixture
def cloned(tmp_path: Path, sd_states: dict[str, Path]) -> Project:
    """The sample project at a path of its own, whose commands nobody approved: `advance(state)`
    copies a project already in that state, and `run` approves nothing."""
    root = tmp_path / "cloned"
    shutil.copytree(sd_states["_pristine"], root, symlinks=True)
    project = Project(root, sd_states)
    project.trusted = False
    return project


def approve_shown(root: Path) -> str:
    """Approve the list `trust --show` gives, by its digest, as a user who read it would."""
    digest = str(run_cli("trust", "--show", "--root", str(root), "--json").json()["digest"])
    done = run_cli("trust", "--root", str(root), "--approve", digest, "--json")
    assert done.code == 0, done.out + done.err
    return digest
