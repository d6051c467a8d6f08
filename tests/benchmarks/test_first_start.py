"""benchmarks/first_start.py runs the real SessionStart hook, builds the venv once and prints its figures."""

from __future__ import annotations

import subprocess
import sys

from tests.support.cli import REPO


def test_first_start_prints_every_figure_the_readme_states() -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "first_start.py"), "--runs", "3", "--no-download"],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    for label in (
        "plugin folder",
        "first start",
        "later start, median of 3",
        "venv size",
        "targets: all PASS",
    ):
        assert label in proc.stdout, proc.stdout
