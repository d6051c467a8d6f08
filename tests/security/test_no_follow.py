"""Locks and session folders never follow a symlink out of the project, and never land in a commit."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from specrail.errors import IOFailure
from specrail.store import SessionStore
from tests.support.spec_driven import Project

VICTIM = b"the victim's own bytes, long enough to show any overwrite of its first bytes\n"


def victim(tmp_path: Path) -> Path:
    path = tmp_path / "outside" / "victim.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(VICTIM)
    return path


def test_a_committed_lock_symlink_is_never_opened(cloned: Project, tmp_path: Path) -> None:
    cloned.advance("PENDING")
    target = victim(tmp_path)
    (cloned.session_dir / "workflow-session.json.lock").symlink_to(target)

    cloned.ok("abort", "--reason", "stop")  # a step that holds the lock and writes

    assert target.read_bytes() == VICTIM
    assert cloned.state == "ABORTED"


def test_the_lock_is_opened_without_following_a_symlink(cloned: Project, tmp_path: Path) -> None:
    cloned.advance("PENDING")
    target = victim(tmp_path)
    store = SessionStore(cloned.session_dir / "workflow-session.json")
    store.lock_path.parent.mkdir(parents=True, exist_ok=True)
    store.lock_path.unlink(missing_ok=True)
    store.lock_path.symlink_to(target)
    try:
        with pytest.raises(IOFailure, match="symlink there is never followed"), store.locked():
            pass
        refused = cloned.fails("abort", "--reason", "stop", code=2).json["error"]
        assert "lock file" in refused["message"]
    finally:
        store.lock_path.unlink()
    assert target.read_bytes() == VICTIM
    assert cloned.state == "PENDING"


def test_no_lock_file_is_left_where_git_add_takes_it(cloned: Project) -> None:
    cloned.advance("PENDING")
    (cloned.session_dir / ".gitignore").unlink()  # a clone's session folder need not carry one
    cloned.ok("abort", "--reason", "stop")

    added = subprocess.run(
        ["git", "add", "-A", "--dry-run"], cwd=cloned.root, capture_output=True, text=True, check=True
    ).stdout
    assert ".lock" not in added, added
    assert not list(cloned.root.rglob("*.lock"))


@pytest.mark.parametrize("link", ["specs/meta/sessions", "specs/meta", "specs"])
def test_init_refuses_a_sessions_folder_that_leads_outside(
    cloned: Project, tmp_path: Path, link: str
) -> None:
    outside = tmp_path / "outside-tree"
    outside.mkdir()
    place = cloned.root / link
    if place.exists():
        os.rename(place, outside / "kept")
    place.parent.mkdir(parents=True, exist_ok=True)
    place.symlink_to(outside, target_is_directory=True)
    before = sorted(outside.rglob("*"))

    answer = cloned.fails("init", "Add tags to notes", "--feature", "note-tags", code=2).json["error"]

    assert "refused" in answer["message"] and "outside the project" in answer["message"]
    assert sorted(outside.rglob("*")) == before
