"""Rollback of one task: put back the files it changed from the copies `task-start` kept outside the
working tree (see `backups`), and remove the files it created. Every path from the record is
confined first (see `confine`); nothing else in the working tree is touched.
"""

from __future__ import annotations

from pathlib import Path

from specrail.errors import IOFailure, SpecrailError
from specrail.fileio import atomic_copy
from specrail.models.spec_driven import TaskRecord
from specrail.spec_driven import backups
from specrail.spec_driven.confine import in_project
from specrail.spec_driven.session import Ctx


def backup_dir(ctx: Ctx, task_id: str) -> Path:
    return backups.task_folder(ctx.root, ctx.dir, task_id)


def backup_of(ctx: Ctx, task_id: str, path: str) -> Path:
    return backups.copy_of(backup_dir(ctx, task_id), path)


def restore(ctx: Ctx, task: TaskRecord) -> list[str]:
    """Put the task's files back as they were at `task-start`; return the paths restored.
    Every path is confined first: a refused one stops the rollback before anything is written."""
    what = f"rollback of {task.id}"
    copies = [(p, backup_of(ctx, task.id, p), in_project(ctx.root, p, what=what)) for p in task.backed_up]
    removals = [(p, in_project(ctx.root, p, what=what)) for p in task.absent_before]
    restored: list[str] = []
    for path, copy, target in copies:
        if copy.is_symlink() or (copy.exists() and not copy.is_file()):
            raise _not_restored(path, copy, "the backup is not a regular file", restored)
        if copy.is_file():
            try:
                atomic_copy(copy, target)
            except SpecrailError as exc:
                raise _not_restored(path, copy, exc.message, restored) from None
            restored.append(path)
    for path, target in removals:
        if target.is_file() and not target.is_symlink():
            try:
                target.unlink()
            except OSError as exc:
                raise _not_restored(path, None, str(exc.strerror or exc), restored) from None
            restored.append(path)
    return restored


def _not_restored(path: str, copy: Path | None, why: str, restored: list[str]) -> IOFailure:
    done = f"; restored before it: {', '.join(restored)}" if restored else ""
    what = f"cannot restore {path} from its backup {copy}" if copy else f"cannot remove {path} (new)"
    return IOFailure(
        f"{what} ({why}); {path} is as the task left it{done}. Nothing was recorded: free the space "
        "(or fix the permission) and run the step again"
        + (f", or copy {copy} back to {path} by hand" if copy else ""),
        file=str(copy) if copy else path,
    )
