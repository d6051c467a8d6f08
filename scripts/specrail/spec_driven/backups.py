"""Where the rollback copies of phase 5 live: outside the working tree, where the project's tools
(pytest, mypy, compileall, linters, builds, `git add -A`) never look.

In a git repository: `{git dir}/specrail/backups/{session folder name}/{task}/` (the per-worktree
git dir, so two worktrees of one repository keep their sessions' copies apart). Each copy is one
flat file named by the sha256 of its path, without the file's extension: a tool that walks the
git dir too (`python -m compileall .`) still finds no source file there. Elsewhere: the
user's state folder (`$CLAUDE_PLUGIN_DATA`, else `$XDG_STATE_HOME/specrail`, else
`~/.local/state/specrail`), under a key of the project's path. The copies go when the session
completes or is aborted.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from specrail.errors import InvalidInput, IOFailure
from specrail.spec_driven import gitops
from specrail.spec_driven.confine import real_folder

BACKUPS = "backups"


def state_dir() -> Path:
    """The user's state folder for specrail (never inside a project)."""
    data = os.environ.get("CLAUDE_PLUGIN_DATA")
    if data and Path(data).is_absolute():
        return Path(data)
    xdg = os.environ.get("XDG_STATE_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".local" / "state"
    return base / "specrail"


def _base(root: Path) -> tuple[Path, Path]:
    """(the folder that must exist already, the backups folder below it) for the project at `root`."""
    if gitops.is_repo(root):
        git_dir = Path(gitops.git(root, "rev-parse", "--absolute-git-dir").stdout.strip())
        return git_dir, git_dir / "specrail" / BACKUPS
    key = hashlib.sha256(str(root.resolve()).encode("utf-8")).hexdigest()[:32]
    state = state_dir()
    return state, state / BACKUPS / key


def session_folder(root: Path, session_dir: Path) -> Path:
    """The backup folder of one session; refused if a symbolic link leads there."""
    anchor, base = _base(root)
    inner = base.relative_to(anchor)
    anchor = anchor.resolve()
    folder = anchor / inner / session_dir.resolve().name
    return real_folder(anchor, folder, what="the session's backup folder")


def task_folder(root: Path, session_dir: Path, task_id: str) -> Path:
    folder = session_folder(root, session_dir)
    return real_folder(folder, folder / task_id, what=f"the backup folder of {task_id}")


def remove(root: Path, session_dir: Path) -> None:
    """Delete the session's copies (it completed or was aborted); a link is never followed."""
    try:
        folder = session_folder(root, session_dir)
    except (IOFailure, InvalidInput):
        return
    if folder.is_dir() and not folder.is_symlink():
        shutil.rmtree(folder, ignore_errors=True)


def copy_of(folder: Path, path: str) -> Path:
    """The copy of project file `path` in a task's backup folder."""
    return folder / hashlib.sha256(path.encode("utf-8")).hexdigest()
