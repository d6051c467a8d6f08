"""What a task changed, measured rather than claimed.

`task-start` records the sha256 of each file the task declares and of each path git lists as
changed or untracked; `task-done` compares the tree with that record. A file the task changed
without declaring it is found the same way, and kept restorable: its copy from task-start (a path
git listed then), else its committed content (a path that was clean), else it was new.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from specrail.errors import SpecrailError
from specrail.fileio import atomic_write_bytes
from specrail.models.spec_driven import TaskRecord
from specrail.spec_driven import backups, gitops
from specrail.validation.patterns import REL_PATH_PATTERN

COPY_LIMIT = 5 * 1024 * 1024  # larger undeclared files are hashed, not copied
_CLEAN = "clean"  # a path git did not list: as committed


def file_hash(path: Path) -> str | None:
    """sha256 of a regular file (None when missing, a folder or a symbolic link)."""
    if path.is_symlink() or not path.is_file():
        return None
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# Caches the project's own tools write as they run (a test run between task-start and task-done
# rewrites them): never a task's change, even where the project's .gitignore forgot them.
CACHES = frozenset(
    {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".tox", ".venv", "node_modules"}
)


def dirty(root: Path, session_label: str) -> dict[str, str | None] | None:
    """Each path git lists as changed or untracked (outside the session folder and the tools'
    caches), with its hash; None outside a git repository."""
    if not gitops.is_repo(root):
        return None
    prefix = session_label.rstrip("/") + "/"
    return {
        p: file_hash(root / p)
        for p in gitops.changed_files(root)
        if not p.startswith(prefix)
        and re.match(REL_PATH_PATTERN, p)
        and not CACHES.intersection(p.split("/"))
    }


def declared_hashes(root: Path, paths: list[str]) -> dict[str, str | None]:
    return {p: file_hash(root / p) for p in paths}


def changed(root: Path, task: TaskRecord, now_dirty: dict[str, str | None] | None) -> list[str]:
    """The paths that differ from what `task-start` recorded: declared files by hash, any other
    path by git's list and hash (a path listed at only one of the two moments changed)."""
    start = task.start_hashes
    out = [p for p in task.affected_files if p in start and file_hash(root / p) != start[p]]
    before, now = task.start_dirty, now_dirty
    if before is not None and now is not None:
        for path in sorted(set(before) | set(now)):
            if path in task.affected_files:
                continue
            if before.get(path, _CLEAN) != now.get(path, _CLEAN):
                out.append(path)
    return list(dict.fromkeys(out))


@dataclass
class Kept:
    backed_up: list[str] = field(default_factory=list)
    absent_before: list[str] = field(default_factory=list)
    not_restorable: list[str] = field(default_factory=list)


def keep_undeclared(root: Path, task: TaskRecord, paths: list[str], folder: Path) -> Kept:
    """Make each undeclared changed path restorable to its state at task-start."""
    kept = Kept()
    listed = task.start_dirty or {}
    for path in paths:
        copy = backups.copy_of(folder, path)
        if path in listed:
            if listed[path] is None:
                kept.absent_before.append(path)
            elif file_hash(copy) == listed[path]:
                kept.backed_up.append(path)
            else:
                kept.not_restorable.append(path)
            continue
        proc = gitops.git_bytes(root, "show", f"HEAD:./{path}", check=False)
        if proc.returncode != 0:
            kept.absent_before.append(path)
            continue
        try:
            atomic_write_bytes(copy, proc.stdout)
        except SpecrailError:
            kept.not_restorable.append(path)
            continue
        kept.backed_up.append(path)
    return kept


def small(path: Path) -> bool:
    try:
        return path.stat().st_size <= COPY_LIMIT
    except OSError:
        return False
