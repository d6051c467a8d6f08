"""`specrail status` reads each session record once (1,000 sessions used to take minutes)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from specrail.overview import overview
from tests.support.cli import REPO
from tests.support.spec_driven import Project

OPENED: Counter[str] = Counter()
WATCHING: list[bool] = [False]


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if WATCHING[0] and event == "open" and str(args[0]).endswith("workflow-session.json"):
        OPENED[str(args[0])] += 1


sys.addaudithook(_audit)


def test_each_session_record_is_read_once(cloned: Project) -> None:
    cloned.advance("REFINING")
    first = cloned.session_dir
    for i in range(5):
        shutil.copytree(first, first.parent / f"copy{i}_2026-01-01")
    OPENED.clear()
    WATCHING[0] = True
    try:
        rows = overview(cloned.root)
    finally:
        WATCHING[0] = False

    assert len(rows) == 6 and all(r["state"] == "REFINING" for r in rows)
    assert len(OPENED) == 6 and set(OPENED.values()) == {1}, OPENED


def test_the_status_benchmark_runs() -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "status_overview.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "targets:" in proc.stdout and Path(REPO / "benchmarks" / "status_overview.py").is_file()
