"""Phase 5, execution: start a task (copies of its files), finish it (incremental check, rollback), verify.

`task-done` measures what the task changed against what `task-start` recorded (see `measure`);
a task that changed nothing is not done until the user says no change is needed. Rollback
(see `task_restore`) restores the files the task changed, from the copies kept outside the
working tree (see `backups`); a file that did not exist before the task is removed again.
Nothing else is touched: no `git stash` or `git checkout`, which would also discard earlier
tasks' work and any change of the user's in the same files. Every path from the record is
confined (see `confine`).
"""

from __future__ import annotations

import contextlib
import difflib
import shutil
from pathlib import Path
from typing import Any

from specrail import fileio
from specrail.errors import InvalidInput, IOFailure, SpecrailError, UsageFailure
from specrail.fileio import atomic_copy, now
from specrail.models.config import SpecDrivenConfig
from specrail.models.session import SpecDrivenSession
from specrail.models.spec_driven import CommandResult, ImplementationIssue, PendingDecision, TaskRecord
from specrail.spec_driven import backups, fallback, generated, measure, reports, runner
from specrail.spec_driven.commands import ProjectCommands, project_commands
from specrail.spec_driven.confine import in_project
from specrail.spec_driven.session import CONFIG_FILE, Ctx, one_at_a_time, open_ctx, require
from specrail.spec_driven.snapshot import inside
from specrail.spec_driven.task_restore import backup_dir, backup_of, restore
from specrail.spec_driven.tasks import require_fresh

FAILURE_OPTIONS = ["Diagnose & Fix", "Rollback Change", "Pause for User", "Abort Phase"]
NO_CHANGE_OPTIONS = ["No change needed", "Implement it"]
FINISHED = ("done", "skipped")


def log_issue(s: SpecDrivenSession, task: str | None, issue: str, step: str = "") -> None:
    """Record an issue of phase 5; a new failure of a still open one is added to it."""
    known = next((i for i in s.issues if i.task == task and i.open), None)
    if known is None:
        s.issues.append(ImplementationIssue(task=task, issue=issue, resolution=[step] if step else []))
    else:
        known.resolution += [f"failed again: {issue}", *([step] if step else [])]


def settle(s: SpecDrivenSession, task: str | None, step: str, *, close: bool = True) -> None:
    """Add `step` to the open issues of `task` (None: the verification's); close them unless told."""
    for issue in s.issues:
        if issue.task == task and issue.open:
            issue.resolution.append(step)
            issue.open = not close


def find(session: SpecDrivenSession, task_id: str) -> TaskRecord:
    for task in session.tasks:
        if task.id == task_id:
            return task
    known = ", ".join(t.id for t in session.tasks) or "none (run `specrail spec-driven tasks`)"
    raise UsageFailure(f"no task {task_id}; tasks: {known}")


def line_counts(ctx: Ctx, task: TaskRecord, files: list[str]) -> tuple[int, int]:
    added = removed = 0
    for path in files:
        if path in task.backed_up:
            copy = backup_of(ctx, task.id, path)
            old = fileio.read_text(copy, path, errors="replace").splitlines() if copy.is_file() else []
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
    generated.write(ctx, reports.IMPLEMENTATION_LOG, reports.implementation_log(ctx.reload()))


def _refuse(ctx: Ctx, message: str) -> InvalidInput:
    return InvalidInput(message, file=str(ctx.store.path), pointer="/tasks")


@one_at_a_time
def start(root: Path, session: str | None, task_id: str, files: list[str]) -> dict[str, Any]:
    """Mark a task in progress, copy the files it will change (for rollback and line counts) and
    record what the tree holds, so `task-done` can measure the task's changes."""
    ctx = open_ctx(root, session)
    require(ctx, "task-start", "IMPLEMENTING")
    require_fresh(ctx, "task-start")
    task = find(ctx.session, task_id)
    if task.status in FINISHED or task.status == "in_progress":
        raise _refuse(ctx, f"{task_id} is {task.status}")
    status = {t.id: t.status for t in ctx.session.tasks}
    blocking = [d for d in task.depends_on if status.get(d) not in FINISHED]
    if blocking:
        raise _refuse(ctx, f"{task_id} depends on {', '.join(blocking)}, not done yet")
    busy = [t.id for t in ctx.session.tasks if t.status == "in_progress"]
    if busy and not ctx.session.config.implementation.parallel_independent_tasks:
        raise _refuse(ctx, f"{busy[0]} is in progress; finish it first (tasks run one at a time)")
    declared = list(dict.fromkeys([*task.affected_files, *(inside(root, f) for f in files)]))
    sources = {p: in_project(root, p, what=f"task-start {task_id}") for p in declared}
    target = backup_dir(ctx, task_id)
    listed = measure.dirty(root, ctx.label)
    extra = [p for p, h in (listed or {}).items() if p not in sources and h is not None]
    extra_sources = {}
    for path in extra:  # a path git lists that leads through a link is simply not copied
        with contextlib.suppress(InvalidInput):
            extra_sources[path] = in_project(root, path, what=f"task-start {task_id}")
    if target.exists():
        shutil.rmtree(target)
    backed_up: list[str] = []
    absent: list[str] = []
    hashes = measure.declared_hashes(root, declared)

    def apply(s: Any) -> None:
        t = find(s, task_id)
        t.status, t.attempts = "in_progress", t.attempts + 1
        t.affected_files, t.backed_up, t.absent_before = declared, backed_up, absent
        t.start_hashes, t.start_dirty, t.undeclared = hashes, listed, []

    try:
        for path, source in {**sources, **extra_sources}.items():
            if source.is_file() and (path in sources or measure.small(source)):
                try:
                    atomic_copy(source, backups.copy_of(target, path))
                except SpecrailError as exc:
                    raise IOFailure(
                        f"cannot back up {path} before {task_id} ({exc.message}); nothing was started: "
                        "free the space and run the step again",
                        file=path,
                    ) from None
                if path in sources:
                    backed_up.append(path)
            elif path in sources:
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


def _already_absent(ctx: Ctx, task: TaskRecord) -> bool:
    """A removal whose declared files were absent at task-start and still are: nothing to change."""
    files = task.affected_files
    return (
        task.action == "remove"
        and bool(files)
        and all(task.start_hashes.get(p, "?") is None and not (ctx.root / p).exists() for p in files)
    )


def _ask_no_change(ctx: Ctx, task: TaskRecord, warnings: list[str]) -> dict[str, Any]:
    """Nothing changed since task-start: the task is done only if the user says no change is needed."""
    named = ", ".join(task.affected_files) or "none"
    reason = (
        f"{task.id} changed no file since task-start (declared: {named}); is no change needed for "
        f"{task.spec_ref}?"
    )
    stamp = now()

    def apply(s: Any) -> None:
        s.pending_decision = PendingDecision(
            kind="implementation", reason=reason, options=NO_CHANGE_OPTIONS, task=task.id, raised_at=stamp
        )

    ctx.store.update(apply)
    raised = ctx.reload().pending_decision
    return {
        "status": "fail",
        "session": ctx.label,
        "task": task.id,
        "files_changed": [],
        "errors": [{"file": task.spec_ref, "message": reason}],
        "warnings": warnings,
        "pending_decision": raised.model_dump(mode="json") if raised else None,
    }


def _claimed(changed: list[str], files: list[str], root: Path) -> list[str]:
    """Warnings for `--files` that disagree with what was measured (the measure wins)."""
    named = [inside(root, f) for f in files]
    unchanged = [f for f in named if f not in changed]
    if not unchanged:
        return []
    return [
        f"--files named {', '.join(unchanged)}, unchanged since task-start; the files a task changed are "
        "measured, not taken from --files"
    ]


@one_at_a_time
def done(root: Path, session: str | None, task_id: str, files: list[str], note: str) -> dict[str, Any]:
    """Measure what the task changed, run the incremental check, record OK or the failure
    (rolled back when configured)."""
    ctx = open_ctx(root, session)
    require(ctx, "task-done", "IMPLEMENTING")
    require_fresh(ctx, "task-done")
    task = find(ctx.session, task_id)
    if task.status != "in_progress":
        hint = (
            "`task-start` it first: the task's changes are measured from its start"
            if task.status
            in (
                "pending",
                "failed",
                "rolled_back",
            )
            else "it is finished"
        )
        raise _refuse(ctx, f"{task_id} is {task.status}; {hint}")
    now_listed = measure.dirty(root, ctx.label)
    changed = measure.changed(root, task, now_listed)
    warnings = _claimed(changed, files, root)
    undeclared = [p for p in changed if p not in task.affected_files]
    if not changed and not _already_absent(ctx, task):
        return _ask_no_change(ctx, task, warnings)
    kept = measure.keep_undeclared(root, task, undeclared, backup_dir(ctx, task_id))
    if undeclared:
        warnings.append(
            f"{task_id} changed files it did not declare: {', '.join(undeclared)} (recorded with the task "
            "and kept in its rollback)"
        )
    if kept.not_restorable:
        lost = ", ".join(kept.not_restorable)
        warnings.append(f"no copy of {lost} from task-start: a rollback leaves them as they are")
    task = task.model_copy(
        update={
            "backed_up": [*task.backed_up, *kept.backed_up],
            "absent_before": [*task.absent_before, *kept.absent_before],
        }
    )
    config = ctx.session.config
    added, removed = line_counts(ctx, task, changed)
    commands = project_commands(root, config)
    check_note = ""
    if config.implementation.incremental_check:
        check = runner.run_named(commands, "check", root, reason=f"incremental check after {task_id}")
        if check.status == "NOT_CONFIGURED":
            why = (
                "no `check` command detected for this project"
                + (f" ({commands.ecosystem})" if commands.ecosystem else " (no known manifest at the root)")
                + f"; set spec_driven_feature.commands.check.run in {CONFIG_FILE}"
            )
            check, check_note = fallback.syntax_check(root, changed, why)
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
    if failed and config.implementation.rollback_on_fail and not check.environment:
        restored = restore(ctx, task)  # an environment failure says nothing about the change
    stamp = now()

    def apply(s: Any) -> None:
        t = find(s, task_id)
        t.check, t.files_changed, t.undeclared = check, changed, undeclared
        t.backed_up, t.absent_before = task.backed_up, task.absent_before
        t.lines_added, t.lines_removed = added, removed
        if not failed:
            t.status = "done"
            if not changed:
                note_text = "nothing to remove: its files were already absent"
                t.note = f"{t.note}; {note_text}" if t.note else note_text
            if note:
                t.note = f"{t.note}; {note}" if t.note else note
            settle(s, task_id, f"fixed: the check passed ({check.summary or check.status})")
            return
        t.status = "rolled_back" if restored else "failed"
        undo = f"files restored: {', '.join(restored)}" if restored else "nothing restored"
        issue = f"check {check.status} ({check.summary}); {undo}" + (f"; {note}" if note else "")
        t.note = f"{t.note}; {issue}" if t.note else issue
        what = "could not run in the project's environment" if check.environment else check.status
        log_issue(s, task_id, f"incremental check {what} ({check.summary})", undo)
        s.pending_decision = PendingDecision(
            kind="implementation",
            reason=f"incremental check {what} after {task_id} ({check.summary})",
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
        **({"check_note": check_note} if check_note else {}),
        "environment": runner.environment_failures([check], commands, FAILURE_OPTIONS),
        "files_changed": changed,
        "undeclared": undeclared,
        "warnings": warnings,
        "lines": {"added": added, "removed": removed},
        "rolled_back": bool(restored),
        "restored": restored,
        "remaining": remaining,
        "pending_decision": ctx.session.pending_decision.model_dump(mode="json")
        if ctx.session.pending_decision
        else None,
    }


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
        for name in verify_names(commands, config)
    ]
    failed = [r.name for r in results if r.status in ("FAIL", "TIMEOUT")]

    def apply(s: Any) -> None:
        s.verification = results
        if failed:
            why = "; ".join(f"{r.name} {r.status} ({r.summary})" for r in results if r.name in failed)
            log_issue(s, None, f"full verification failed: {why}")
        else:
            settle(s, None, "fixed: the full verification passed")

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
        "output": runner.failure_output(results),
        "environment": runner.environment_failures(results, commands, FAILURE_OPTIONS),
    }


def verify_names(commands: ProjectCommands, config: SpecDrivenConfig) -> list[str]:
    """The full verification: the configured names, and `typecheck` whenever the project has one
    (detected or configured) that none of them already runs."""
    names = list(config.implementation.verify)
    typecheck = commands.get("typecheck")
    runs = {c.run for c in (commands.get(n) for n in names) if c}
    if typecheck and "typecheck" not in names and typecheck.run not in runs:
        names.append("typecheck")
    return names
