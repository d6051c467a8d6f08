"""The real CLI as a subprocess, and the one result type every runner of the tests answers with."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


@dataclass
class Result:
    """Exit code, stdout and stderr of one run (CLI in-process or as a subprocess, or a hook)."""

    code: int
    out: str
    err: str

    @property
    def json(self) -> Any:
        """stdout parsed as JSON."""
        return json.loads(self.out)


def run_cli(*args: str, cwd: Path | None = None) -> Result:
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
    return Result(proc.returncode, proc.stdout, proc.stderr)


def tracked(root: Path, *patterns: str) -> list[Path]:
    """The files git tracks under `root` matching the pathspecs, sorted: what a test collects from a
    checkout must not change with caches, virtual environments or other untracked files."""
    proc = subprocess.run(
        ["git", "-C", str(root), "ls-files", "-z", "--", *patterns],
        capture_output=True,
        check=True,
        timeout=60,
    )
    names = proc.stdout.decode("utf-8", "surrogateescape").split("\0")
    return sorted(root / name for name in names if name)
