"""`.ci/run` as CI runs it, with stub `python3` and `npm` first on PATH: every step fails the run on
its own, "no tests collected" fails it, and it runs the README's test command.

The stubs log each call and exit with the code a test asks for, so the real script text runs in a
copy of its folder in milliseconds, installing nothing.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import REPO

STUB = """#!/bin/sh
line="$(basename "$0") $*"
printf '%s\\n' "$line" >> "$STUB_LOG"
if [ "$line" = "$STUB_FAIL" ]; then
  exit "${STUB_CODE:-1}"
fi
exit 0
"""

STEPS = [
    "python3 -m pip install -e .[test]",
    "npm ci --prefix tests/tools --no-audit --no-fund",
    "python3 -m pytest",
    "python3 -m ruff check .",
    "python3 -m ruff format --check .",
    "python3 -m mypy",
]


def run_ci(
    tmp_path: Path, fail: str = "", code: int = 1
) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run a copy of `.ci/run` with the stubs; the process and the commands it called, in order."""
    repo = tmp_path / "repo"
    (repo / ".ci").mkdir(parents=True)
    shutil.copy2(REPO / ".ci" / "run", repo / ".ci" / "run")
    stubs = tmp_path / "stubs"
    stubs.mkdir()
    for name in ("python3", "npm"):
        (stubs / name).write_text(STUB, encoding="utf-8")
        (stubs / name).chmod(0o755)
    log = tmp_path / "calls.log"
    env = {
        "PATH": f"{stubs}{os.pathsep}{os.environ.get('PATH', os.defpath)}",
        "HOME": str(tmp_path),
        "STUB_LOG": str(log),
        "STUB_FAIL": fail,
        "STUB_CODE": str(code),
    }
    proc = subprocess.run(
        ["bash", str(repo / ".ci" / "run")], capture_output=True, text=True, env=env, timeout=60
    )
    calls = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return proc, calls


def test_every_step_runs_in_order_when_all_pass(tmp_path: Path) -> None:
    proc, calls = run_ci(tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert calls == STEPS


@pytest.mark.parametrize("failing", range(len(STEPS)), ids=["pip", "npm", "pytest", "ruff", "format", "mypy"])
def test_a_failing_step_fails_the_run_and_stops_it(tmp_path: Path, failing: int) -> None:
    proc, calls = run_ci(tmp_path, fail=STEPS[failing], code=3)
    assert proc.returncode != 0, f"{STEPS[failing]} failed and CI passed:\n{proc.stdout}{proc.stderr}"
    assert calls == STEPS[: failing + 1]


def test_no_tests_collected_fails_the_run_and_says_so(tmp_path: Path) -> None:
    proc, calls = run_ci(tmp_path, fail="python3 -m pytest", code=5)
    assert proc.returncode != 0
    assert "no tests" in proc.stderr
    assert calls == STEPS[:3]


def test_ci_runs_the_readme_install_and_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    found = re.search(r"^python3 -m pip install -e .*python3 -m pytest$", readme, re.MULTILINE)
    assert found, "the README gives no install-and-test command"
    commands = [" ".join(shlex.split(part)) for part in found.group(0).split("&&")]
    assert commands == STEPS[:3]


def test_skipped_tests_are_listed_with_their_reason(tmp_path: Path) -> None:
    """With the project's pytest settings, a test skipped for want of a tool is named in the summary."""
    (tmp_path / "test_tool.py").write_text(
        "import pytest\n\n\ndef test_needs_a_tool():\n    pytest.skip('no frobnicator on PATH')\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-c",
            str(REPO / "pyproject.toml"),
            "--rootdir",
            str(tmp_path),
            str(tmp_path / "test_tool.py"),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"^SKIPPED \[1\] \S*test_tool.py:5: no frobnicator on PATH$", proc.stdout, re.MULTILINE)
