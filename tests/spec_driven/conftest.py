"""Fixtures of the spec-driven tests: a git copy of the sample project and the CLI run in-process."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.spec_driven import Project, copy_project


@pytest.fixture(scope="session")
def state_cache(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Projects along the happy path, built on first use; `_pristine` is the untouched git copy."""
    base = tmp_path_factory.mktemp("spec-driven-states")
    return {"_pristine": copy_project(base / "pristine")}


@pytest.fixture
def project(tmp_path: Path, state_cache: dict[str, Path]) -> Iterator[Project]:
    root = tmp_path / "notes-app"
    shutil.copytree(state_cache["_pristine"], root, symlinks=True)
    yield Project(root, state_cache)
