"""Any subset of the tests collects, with `python3 -m pytest` and with plain `pytest` (which does not
put the current folder on sys.path: `python -P` runs it the same way)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support.cli import REPO

# The first once failed with 13 collection errors (`from conftest import ...` found the wrong conftest);
# the second, as plain `pytest`, could not import the `tests.*` plugins at all.
RUNS = [
    ([], ["tests/spec_driven", "tests/hooks"]),
    (["-P"], ["tests/hooks", "tests/spec_driven", "tests/security", "tests/e2e/test_trust_prompt.py"]),
]


@pytest.mark.parametrize(("flags", "subset"), RUNS, ids=["python-m-pytest", "pytest"])
def test_a_subset_collects_without_errors(flags: list[str], subset: list[str]) -> None:
    proc = subprocess.run(
        [sys.executable, *flags, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", *subset],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "error" not in proc.stdout.splitlines()[-1], proc.stdout[-3000:]
