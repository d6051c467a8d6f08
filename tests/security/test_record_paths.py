"""Paths from a cloned session record never lead a step to write, copy or delete outside the project.

The clone carries a session in IMPLEMENTING whose record names files through a symbolic link to a
folder outside the project (`vendor -> ../victims`), or a backups folder that is a link. The
user approved the project's commands, so the steps really run. Each attack ends refused, with a
message naming what was refused, and the victims untouched.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from tests.support.signed import sign_file
from tests.support.spec_driven import Project, approve_shown

SECRET = b"the user's private key\n"
KEEP = b"a file outside the project\n"


def victims(project: Project) -> Path:
    folder = project.root.parent / "victims"
    folder.mkdir()
    (folder / "keep.txt").write_bytes(KEEP)
    (folder / "gone.txt").write_bytes(KEEP)
    (folder / "secret.txt").write_bytes(SECRET)
    os.symlink(folder, project.root / "vendor")
    return folder


def forge(project: Project, change: Any) -> None:
    """Edit the record as a hostile clone would have committed it."""
    path = project.session_dir / "workflow-session.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    sign_file(path)  # as if the user adopted it: the paths are still confined


def implementing(cloned: Project) -> Project:
    cloned.advance("IMPLEMENTING")
    approve_shown(cloned.root)
    cloned.ok("tasks")
    return cloned


def planted_backup(project: Project, path: str, data: bytes) -> None:
    """A backup copy where older and newer layouts look for it (the attacker's best case)."""
    old = project.session_dir / "backups" / "T-001" / path
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_bytes(data)
    new = project.root / ".git/specrail/backups" / project.session_dir.name / "T-001"
    new.mkdir(parents=True, exist_ok=True)
    (new / hashlib.sha256(path.encode()).hexdigest()).write_bytes(data)


def test_rollback_through_a_linked_folder_neither_overwrites_nor_deletes_outside(cloned: Project) -> None:
    project = implementing(cloned)
    outside = victims(project)
    project.ok("task-start", "T-001", "--files", "notes/core.py")

    def rollback_outside(data: dict[str, Any]) -> None:
        task = data["tasks"][0]
        task["backed_up"] = [*task["backed_up"], "vendor/keep.txt"]
        task["absent_before"] = ["vendor/gone.txt"]

    forge(project, rollback_outside)
    planted_backup(project, "vendor/keep.txt", b"overwritten by the clone\n")
    project.write("notes/core.py", "def broken(:\n")  # the check fails: the rollback runs

    refused = project.fails("task-done", "T-001")

    assert (outside / "keep.txt").read_bytes() == KEEP
    assert (outside / "gone.txt").read_bytes() == KEEP
    message = refused.json["error"]["message"]
    assert "vendor/keep.txt goes through the symbolic link vendor" in message, message


def test_task_start_copies_nothing_from_outside_through_a_link(cloned: Project) -> None:
    project = implementing(cloned)
    outside = victims(project)
    before = project.session()

    forge(project, lambda data: data["tasks"][0].update(affected_files=["vendor/secret.txt"]))

    refused = project.fails("task-start", "T-001")

    message = refused.json["error"]["message"]
    assert "vendor/secret.txt goes through the symbolic link vendor" in message, message
    everything = [p for p in project.root.rglob("*") if p.is_file() and not p.is_symlink()]
    assert not [p for p in everything if p.read_bytes() == SECRET], "the secret was copied in"
    assert project.session()["tasks"][0]["status"] == before["tasks"][0]["status"] == "pending"
    assert (outside / "secret.txt").read_bytes() == SECRET


def test_a_linked_backups_folder_never_makes_task_start_delete_its_target(cloned: Project) -> None:
    project = implementing(cloned)
    target = project.root.parent / "precious"
    (target / "T-001").mkdir(parents=True)
    (target / "T-001" / "thesis.tex").write_bytes(KEEP)
    os.symlink(target, project.session_dir / "backups")  # as the clone committed it

    project.ok("task-start", "T-001", "--files", "notes/core.py")

    assert (target / "T-001" / "thesis.tex").read_bytes() == KEEP


def test_a_linked_backup_folder_under_the_git_dir_is_refused(cloned: Project) -> None:
    project = implementing(cloned)
    target = project.root.parent / "precious"
    (target / "T-001").mkdir(parents=True)
    (target / "T-001" / "thesis.tex").write_bytes(KEEP)
    backups = project.root / ".git/specrail/backups"
    backups.mkdir(parents=True)
    os.symlink(target, backups / project.session_dir.name)

    refused = project.fails("task-start", "T-001", "--files", "notes/core.py")

    assert "symbolic link" in refused.json["error"]["message"]
    assert (target / "T-001" / "thesis.tex").read_bytes() == KEEP


def test_a_snapshot_path_through_a_link_is_not_read(cloned: Project) -> None:
    cloned.advance("REFINING")
    outside = victims(cloned)

    def leak(data: dict[str, Any]) -> None:
        for snap in data["snapshots"].values():
            snap["copy_path"] = "vendor/secret.txt"

    os.symlink(outside, cloned.session_dir / "vendor")
    forge(cloned, leak)

    refused = cloned.fails("diff")

    assert "vendor/secret.txt goes through the symbolic link vendor" in refused.json["error"]["message"]
    records = [p.read_bytes() for p in (cloned.session_dir / "spec_diffs").glob("*")]
    assert not any(b"private key" in r for r in records)
