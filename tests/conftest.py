"""Fixtures every test folder shares: the CLI runner, the hooks run as the client runs them, sample
spec-driven projects as if freshly cloned, and a user configuration folder of the test run."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from specrail.trust import CONFIG_ENV
from tests.support.cli import Result, run_cli
from tests.support.hooks import FIXTURES, Hook, copy_plugin, fake_venv, payload, run_hook
from tests.support.properties import load_profile
from tests.support.spec_driven import Project, copy_project

load_profile()


@pytest.fixture
def specrail_run() -> Any:
    return run_cli


@pytest.fixture(autouse=True, scope="session")
def _user_config(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Approvals of project commands go to a folder of the test run, never the user's own."""
    folder = tmp_path_factory.mktemp("user-config")
    old = os.environ.get(CONFIG_ENV)
    os.environ[CONFIG_ENV] = str(folder)
    yield folder
    if old is None:
        os.environ.pop(CONFIG_ENV, None)
    else:
        os.environ[CONFIG_ENV] = old


@pytest.fixture(autouse=True)
def _outside_the_client(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as a person or CI would: decision steps are not refused as a client's tool calls."""
    monkeypatch.delenv("CLAUDECODE", raising=False)


# --- the hooks, run from a copy of the plugin ---------------------------------------------------


@pytest.fixture(scope="session")
def plugin_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the plugin in a cache-like folder: `.../cache/specrail/workflow/<hash>`."""
    cache = tmp_path_factory.mktemp("plugins") / "cache" / "specrail" / "workflow"
    return copy_plugin(cache / "5f0c3a9e1d2b")


@pytest.fixture
def plugin_data(tmp_path: Path) -> Path:
    return fake_venv(tmp_path / "plugin-data")


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


@pytest.fixture
def hook(plugin_root: Path, plugin_data: Path, work: Path) -> Hook:
    """`hook(event, payload_or_fixture_name, **env)` run against the copied plugin in `work`."""

    def run(event: str, stdin: bytes | str | dict[str, Any], **env: str) -> Result:
        if isinstance(stdin, str) and (FIXTURES / f"{stdin}.json").exists():
            stdin = payload(stdin, work)
        return run_hook(event, stdin, plugin_root, plugin_data, work, **env)

    return run


# --- sample spec-driven projects as if freshly cloned (the hostile-input tests) ---------------


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
