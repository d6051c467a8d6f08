"""Shared test helpers: run the real CLI in-process or as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[1]

pytest_plugins = ["tests.security.sd_projects", "tests.security.hook_runs"]


@dataclass
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


def run_cli(*args: str, cwd: Path | None = None) -> Run:
    """Run `specrail ARGS` as a real subprocess."""
    proc = subprocess.run(
        [sys.executable, "-m", "specrail", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )
    if proc.returncode not in (0, 1, 2) or "Traceback" in proc.stderr:
        print(proc.stdout, proc.stderr)
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture
def specrail_run() -> Any:
    return run_cli


@pytest.fixture(autouse=True, scope="session")
def _user_config(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Approvals of project commands go to a folder of the test run, never the user's own."""
    import os

    from specrail.trust import CONFIG_ENV

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
