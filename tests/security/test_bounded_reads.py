"""Every file a session names is read bounded: a link to /dev/zero or a FIFO among a task's backups
is refused, never read without end (it ran out of memory before any approval check)."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.spec_driven import Project

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="FIFOs and /dev/zero")


@pytest.fixture
def project(cloned: Project) -> Project:
    cloned.trusted = True
    return cloned


def _limit_memory() -> None:  # so that an unbounded read fails fast instead of exhausting the machine
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def task_done(project: Project) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "specrail",
            "spec-driven",
            "task-done",
            "T-001",
            "--root",
            str(project.root),
            "--json",
        ],
        capture_output=True,
        text=True,
        timeout=60,  # a read that blocks fails here
        preexec_fn=_limit_memory,
    )


@pytest.mark.parametrize("special", ["dev-zero", "fifo"])
def test_a_backup_that_is_not_a_regular_file_is_refused(project: Project, special: str) -> None:
    project.advance("IMPLEMENTING")
    project.ok("tasks")
    project.ok("task-start", "T-001", "--files", "notes/core.py")
    backups = project.root / ".git" / "specrail" / "backups"
    backup = next(p for p in backups.rglob("*") if p.is_file())  # the one file backed up
    backup.unlink()
    if special == "fifo":
        os.mkfifo(backup)
    else:
        backup.symlink_to(Path("/dev/zero"))
    # A change whose check fails: the rollback would read the backup.
    (project.root / "notes" / "core.py").write_text("def broken(:\n", encoding="utf-8")
    core = (project.root / "notes" / "core.py").read_bytes()

    answer = task_done(project)

    assert answer.returncode in (1, 2), answer.stdout + answer.stderr
    assert "Traceback" not in answer.stderr and "MemoryError" not in answer.stderr
    assert "not a regular file" in answer.stdout
    assert (project.root / "notes" / "core.py").read_bytes() == core
