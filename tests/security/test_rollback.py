"""Rollback and backups on a full disk: a file is restored whole or left as it was, the error
names the backup, and no empty backup or session folder is left behind.

A full disk is played by a file size limit (RLIMIT_FSIZE) on the command: a write past it fails
with EFBIG, as a write on a full disk fails with ENOSPC.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from typing import Any

import pytest

from tests.support.spec_driven import Project, approve_shown

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")


def limited(project: Project, limit: int, *args: str) -> tuple[int, dict[str, Any]]:
    """`specrail spec-driven ARGS` where no file may grow past `limit` bytes."""

    def cap() -> None:
        import resource

        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    proc = subprocess.run(
        [sys.executable, "-m", "specrail", "spec-driven", *args, "--root", str(project.root), "--json"],
        capture_output=True,
        text=True,
        preexec_fn=cap,
        timeout=120,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def test_rollback_on_a_full_disk_leaves_the_file_whole_and_names_the_backup(cloned: Project) -> None:
    cloned.advance("IMPLEMENTING")
    approve_shown(cloned.root)
    cloned.ok("tasks")
    cloned.ok("task-start", "T-001", "--files", "notes/core.py")
    core = cloned.root / "notes" / "core.py"
    broken = core.read_text(encoding="utf-8") + "\ndef broken(:\n"
    core.write_text(broken, encoding="utf-8")
    session_before = (cloned.session_dir / "workflow-session.json").read_bytes()

    code, answer = limited(cloned, len(broken) // 2, "task-done", "T-001")

    assert code == 2, answer
    message = answer["error"]["message"]
    name = hashlib.sha256(b"notes/core.py").hexdigest()  # copies are flat, named by their path's hash
    backup = cloned.root / ".git/specrail/backups" / cloned.session_dir.name / "T-001" / name
    assert str(backup) in message and "notes/core.py" in message
    assert core.read_text(encoding="utf-8") == broken  # whole: neither truncated nor half restored
    assert backup.read_bytes()  # the copy is still there to restore by hand
    assert (cloned.session_dir / "workflow-session.json").read_bytes() == session_before
    assert not list(core.parent.glob(".core.py.*.tmp"))


def test_task_start_on_a_full_disk_leaves_no_empty_backup(cloned: Project) -> None:
    cloned.advance("IMPLEMENTING")
    cloned.ok("tasks")
    size = (cloned.root / "notes" / "core.py").stat().st_size
    session_before = (cloned.session_dir / "workflow-session.json").read_bytes()

    code, answer = limited(cloned, size // 2, "task-start", "T-001", "--files", "notes/core.py")

    assert code == 2, answer
    assert "notes/core.py" in answer["error"]["message"]
    backups = cloned.root / ".git/specrail/backups" / cloned.session_dir.name / "T-001"
    assert not backups.exists() or not [p for p in backups.rglob("*") if p.is_file()]
    assert (cloned.session_dir / "workflow-session.json").read_bytes() == session_before


def test_init_on_a_full_disk_leaves_no_session_folder(cloned: Project) -> None:
    code, answer = limited(cloned, 200, "init", "Add tags to notes", "--feature", "note-tags")

    assert code == 2, answer
    assert "cannot write" in answer["error"]["message"]
    sessions = cloned.root / "specs" / "meta" / "sessions"
    assert not sessions.exists() or not any(sessions.iterdir())
