"""Phase 5, execution: start a task (copies of its files), finish it (incremental check, rollback), verify.

Rollback restores only the files a task declared, from the copies `task-start` took under
`{session}/backups/{task}/`; a file that did not exist before the task is removed again. Nothing
else is touched: no `git stash` or `git checkout`, which would also discard earlier tasks' work
and any change of the user's in the same files.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path
from typing import Any

from specrail import fileio
from specrail.errors import InvalidInput, IOFailure, SpecrailError, UsageFailure
from specrail.fileio import atomic_copy, now
from specrail.models.session import SpecDrivenSession
from specrail.models.spec_driven import CommandResult, PendingDecision, TaskRecord
from specrail.spec_driven import reports, runner
from specrail.spec_driven.commands import project_commands
from specrail.spec_driven.session import Ctx, one_at_a_time, open_ctx, require
from specrail.spec_driven.snapshot import inside
from specrail.spec_driven.tasks import require_fresh

BACKUPS_DIR = "backups"
FAILURE_OPTIONS = ["Diagnose & Fix", "Rollback Change", "Pause for User", "Abort Phase"]
FINISHED = ("done", "skipped")


def find(session: SpecDrivenSession, task_id: str) -> TaskRecord:
    for task in session.tasks:
        if task.id == task_id:
            return task
    known = ", ".join(t.id for t in session.tasks) or "none (run `specrail spec-driven tasks`)"
    raise UsageFailure(f"no task {task_id}; tasks: {known}")


def backup_dir(ctx: Ctx, task_id: str) -> Path:
    return ctx.dir / BACKUPS_DIR / task_id


def restore(ctx: Ctx, task: TaskRecord) -> list[str]:
    """Put the task's declared files back as they were at `task-start`; return the paths restored."""
    restored: list[str] = []
    for path in task.backed_up:
        copy = backup_dir(ctx, task.id) / path
        if copy.is_file():
            try:
                atomic_copy(copy, ctx.root / path)
            except SpecrailError as exc:
                raise _not_restored(path, copy, exc.message, restored) from None
            restored.append(path)
    for path in task.absent_before:
        target = ctx.root / path
        if target.is_file():
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


def line_counts(ctx: Ctx, task: TaskRecord, files: list[str]) -> tuple[int, int]:
    added = removed = 0
    for path in files:
        if path in task.backed_up:
            old = fileio.read_text(backup_dir(ctx, task.id) / path, path, errors="replace").splitlines()
        elif path in task.absent_before:
            old = []
        else:
            continue  # no copy taken: the change cannot be measured
        target = ctx.root / path
        new = fileio.read_text(target, str(target), errors="replace").splitlines() if target.is_file() else []
        for line in difflib.unified_diff(old, new, lineterm="", n=0):
            if line.startswith("+") and not line.startswith("+++"):
                added += 1
            elif line.startswith("-") and not line.startswith("---"):
                removed += 1
    return added, removed


def write_log(ctx: Ctx) -> None:
    reports.write(ctx.dir, reports.IMPLEMENTATION_LOG, reports.implementation_log(ctx.reload()))


@one_at_a_time
def start(root: Path, session: str | None, task_id: str, files: list[str]) -> dict[str, Any]:
    """Mark a task in progress and copy the files it will change (for rollback and line counts)."""
    ctx = open_ctx(root, session)
    require(ctx, "task-start", "IMPLEMENTING")
    require_fresh(ctx, "task-start")
    task = find(ctx.session, task_id)
    if task.status in FINISHED or task.status == "in_progress":
        raise InvalidInput(f"{task_id} is {task.status}", file=str(ctx.store.path), pointer="/tasks")
    status = {t.id: t.status for t in ctx.session.tasks}
    blocking = [d for d in task.depends_on if status.get(d) not in FINISHED]
    if blocking:
        raise InvalidInput(
            f"{task_id} depends on {', '.join(blocking)}, not done yet",
            file=str(ctx.store.path),
            pointer="/tasks",
        )
    busy = [t.id for t in ctx.session.tasks if t.status == "in_progress"]
    if busy and not ctx.session.config.implementation.parallel_independent_tasks:
        raise InvalidInput(
            f"{busy[0]} is in progress; finish it first (tasks run one at a time)",
            file=str(ctx.store.path),
            pointer="/tasks",
        )
    declared = list(dict.fromkeys([*task.affected_files, *(inside(root, f) for f in files)]))
    target = backup_dir(ctx, task_id)
    if target.exists():
        shutil.rmtree(target)
    backed_up: list[str] = []
    absent: list[str] = []

    def apply(s: Any) -> None:
        t = find(s, task_id)
        t.status, t.attempts = "in_progress", t.attempts + 1
        t.affected_files, t.backed_up, t.absent_before = declared, backed_up, absent

    try:
        for path in declared:
            source = root / path
            if source.is_file():
                try:
                    atomic_copy(source, target / path)
                except SpecrailError as exc:
                    raise IOFailure(
                        f"cannot back up {path} before {task_id} ({exc.message}); nothing was started: "
                        "free the space and run the step again",
                        file=path,
                    ) from None
                backed_up.append(path)
            else:
                absent.append(path)
        ctx.store.update(apply)
    except BaseException:
        shutil.rmtree(target, ignore_errors=True)  # no partial backup outlives a start that failed
        raise
    write_log(ctx)
    return {
        "status": "ok",
        "session": ctx.label,
        "task": task_id,
        "title": task.title,
        "spec_ref": task.spec_ref,
        "files": declared,
        "backed_up": backed_up,
        "new_files": absent,
    }


@one_at_a_time
def done(root: Path, session: str | None, task_id: str, files: list[str], note: str) -> dict[str, Any]:
    """Run the incremental check for a task; record OK, or the failure (rolled back when configured)."""
    ctx = open_ctx(root, session)
    require(ctx, "task-done", "IMPLEMENTING")
    require_fresh(ctx, "task-done")
    task = find(ctx.session, task_id)
    if task.status not in ("in_progress", "pending"):
        raise InvalidInput(
            f"{task_id} is {task.status}; `task-start` it first", file=str(ctx.store.path), pointer="/tasks"
        )
    config = ctx.session.config
    changed = [inside(root, f) for f in files] or [
        p for p in [*task.backed_up, *task.absent_before] if _changed(ctx, task, p)
    ]
    added, removed = line_counts(ctx, task, changed)
    if config.implementation.incremental_check:
        commands = project_commands(root, config)
        check = runner.run_named(commands, "check", root, reason=f"incremental check after {task_id}")
    else:
        check = CommandResult(
            name="check",
            command=None,
            status="SKIPPED",
            duration_s=0.0,
            reason="implementation.incremental_check is off",
        )
    failed = check.status in ("FAIL", "TIMEOUT")
    restored: list[str] = []
    if failed and config.implementation.rollback_on_fail:
        restored = restore(ctx, task)
    stamp = now()

    def apply(s: Any) -> None:
        t = find(s, task_id)
        t.check, t.files_changed = check, changed
        t.lines_added, t.lines_removed = added, removed
        if not failed:
            t.status = "done"
            if note:
                t.note = f"{t.note}; {note}" if t.note else note
            return
        t.status = "rolled_back" if restored else "failed"
        undo = f"files restored: {', '.join(restored)}" if restored else "nothing restored"
        issue = f"check {check.status} ({check.summary}); {undo}" + (f"; {note}" if note else "")
        t.note = f"{t.note}; {issue}" if t.note else issue
        s.pending_decision = PendingDecision(
            kind="implementation",
            reason=f"incremental check {check.status} after {task_id} ({check.summary})",
            options=FAILURE_OPTIONS,
            task=task_id,
            raised_at=stamp,
        )

    ctx.store.update(apply)
    write_log(ctx)
    remaining = [t.id for t in ctx.session.tasks if t.status not in FINISHED]
    return {
        "status": "fail" if failed else "ok",
        "session": ctx.label,
        "task": task_id,
        "check": check.model_dump(mode="json"),
        "files_changed": changed,
        "lines": {"added": added, "removed": removed},
        "rolled_back": bool(restored),
        "restored": restored,
        "remaining": remaining,
        "pending_decision": ctx.session.pending_decision.model_dump(mode="json")
        if ctx.session.pending_decision
        else None,
    }


def _changed(ctx: Ctx, task: TaskRecord, path: str) -> bool:
    target = ctx.root / path
    if path in task.absent_before:
        return target.exists()
    copy = backup_dir(ctx, task.id) / path
    return not target.is_file() or fileio.read_bytes(target, str(target)) != fileio.read_bytes(
        copy, str(copy)
    )


@one_at_a_time
def verify(root: Path, session: str | None) -> dict[str, Any]:
    """The full verification once every task is done; IMPLEMENTING -> VALIDATING when it passes."""
    ctx = open_ctx(root, session)
    require(ctx, "verify", "IMPLEMENTING")
    require_fresh(ctx, "verify")
    tasks = ctx.session.tasks
    if not tasks:
        raise InvalidInput(
            "no tasks yet: run `specrail spec-driven tasks`", file=str(ctx.store.path), pointer="/tasks"
        )
    open_tasks = [f"{t.id} ({t.status})" for t in tasks if t.status not in FINISHED]
    if open_tasks:
        raise InvalidInput(
            f"tasks not done: {', '.join(open_tasks)}", file=str(ctx.store.path), pointer="/tasks"
        )
    config = ctx.session.config
    commands = project_commands(root, config)
    results = [
        runner.run_named(commands, name, root, reason="full verification")
        for name in config.implementation.verify
    ]
    failed = [r.name for r in results if r.status in ("FAIL", "TIMEOUT")]

    def apply(s: Any) -> None:
        s.verification = results

    if failed:
        ctx.store.update(apply)
    else:
        ran = [r.name for r in results if r.status == "PASS"] or ["nothing configured"]
        ctx.store.transition("VALIDATING", f"all tasks done; verification passed ({', '.join(ran)})", apply)
    write_log(ctx)
    return {
        "status": "fail" if failed else "ok",
        "session": ctx.label,
        "verification": [r.model_dump(mode="json", exclude={"output_tail"}) for r in results],
        "failed": failed,
        "output": {r.name: r.output_tail[-1500:] for r in results if r.name in failed},
    }
