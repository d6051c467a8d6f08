"""Phase 7: the user's choice on the commit plan (Commit, Adjust, Don't commit yet; the plan itself is
in `commit_plan`), the commits with the session's record, SUMMARY.md and the outcome.

The session's record (its folder, without the lock, temp files and rollback copies) goes into the
last commit of the feature. That commit cannot name its own hash, so its entry in the record has
`hash: null` and `carries_record: true`; `git log -- {session}/workflow-session.json` finds it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from specrail import fileio
from specrail.errors import InvalidInput
from specrail.fileio import atomic_write_text, now
from specrail.models.session import SpecDrivenSession
from specrail.models.spec_driven import CommitChoice, CommitRecord, DecisionRecord, SpecDrivenOutcome
from specrail.spec_driven import backups, generated, gitops, overlap_check, reports
from specrail.spec_driven.commit_plan import NOT_YET, Group, choice_of, feature_files, line_stats, planned
from specrail.spec_driven.session import (
    Ctx,
    one_at_a_time,
    open_ctx,
    record_files,
    require,
    write_record_ignore,
)


def outcome(session: SpecDrivenSession, ended: datetime) -> SpecDrivenOutcome:
    questions = len(session.proposal.open_questions) if session.proposal else 0
    tasks = session.tasks
    ran = [r for r in session.validations if r.status not in ("NOT_CONFIGURED", "SKIPPED")]
    started = datetime.fromisoformat(session.created_at.replace("Z", "+00:00"))
    return SpecDrivenOutcome(
        proposal_clarity=round(1 / (1 + questions), 3),
        refinement_rounds=sum(len(r.rounds) for r in session.refinement.values()),
        alignment_triggered=bool(session.alignment and session.alignment.triggered),
        implementation_success_rate=round(sum(t.status == "done" for t in tasks) / len(tasks), 3)
        if tasks
        else 1.0,
        validation_pass_rate=round(sum(r.status == "PASS" for r in ran) / len(ran), 3) if ran else 1.0,
        total_duration_mins=max(0, int((ended - started).total_seconds() // 60)),
        deferred_items=len(session.deferred_items),
        unproven_accepted=[
            f"{e.spec}#{e.section} {e.title}: {e.accepted}" for e in session.evidence if e.accepted
        ],
    )


def code_stats(ctx: Ctx) -> dict[str, int]:
    """Code files and lines of the feature (specs left out): from git, else from the tasks' copies."""
    session = ctx.session
    specs = set(session.diffs)
    _, code, _ = feature_files(ctx)
    if code and gitops.is_repo(ctx.root):
        stats = line_stats(ctx.root, [c for c in code if c not in specs])
        return {
            "files": len(stats),
            "added": sum(a for a, _ in stats.values()),
            "removed": sum(r for _, r in stats.values()),
        }
    files = {p for t in session.tasks if t.status == "done" for p in t.files_changed}
    done = [t for t in session.tasks if t.status == "done"]
    return {
        "files": len(files),
        "added": sum(t.lines_added for t in done),
        "removed": sum(t.lines_removed for t in done),
    }


def artifacts(ctx: Ctx) -> list[str]:
    names = [
        reports.PROPOSAL,
        reports.DIFFS_DIR + "/",
        reports.REFINEMENT_SUMMARY,
        reports.ALIGNMENT_REPORT,
        reports.IMPLEMENTATION_LOG,
        reports.VALIDATION_REPORT,
        reports.SUMMARY,
        "workflow-session.json",
    ]
    return [f"{ctx.label}/{n}" for n in names if n == reports.SUMMARY or (ctx.dir / n.rstrip("/")).exists()]


def write_summary(ctx: Ctx, session: SpecDrivenSession, stats: dict[str, int], *, final: bool) -> None:
    started = datetime.fromisoformat(session.created_at.replace("Z", "+00:00"))
    minutes = max(0, int((datetime.now(UTC) - started).total_seconds() // 60))
    duration = f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"
    lines = reports.summary(session, stats, artifacts(ctx), duration, final=final)
    generated.write(ctx, reports.SUMMARY, lines)


def not_yet(ctx: Ctx, note: str) -> dict[str, Any]:
    """ "Don't commit yet": the session stays in COMMITTING, ready for `commit-plan` later."""
    stamp = now()
    write_summary(ctx, ctx.session, code_stats(ctx), final=False)

    choice = choice_of(ctx, None, None, None, None, None)

    def apply(s: Any) -> None:
        s.decisions.append(DecisionRecord(kind="commit", choice=NOT_YET, note=note, at=stamp))
        s.commit_choice = choice.model_copy(update={"not_yet": True})

    ctx.store.update(apply)
    return {
        "status": "ok",
        "session": ctx.label,
        "committed": False,
        "commits": [],
        "summary": f"{ctx.label}/{reports.SUMMARY}",
    }


def finish(
    ctx: Ctx,
    commits: list[CommitRecord],
    stats: dict[str, int],
    reason: str,
    choice: CommitChoice | None = None,
) -> SpecDrivenSession:
    """Write SUMMARY.md and the outcome metrics; COMMITTING -> COMPLETE."""
    session = ctx.session.model_copy(deep=True)
    session.commits = [*session.commits, *commits]
    metrics = outcome(session, datetime.now(UTC))
    write_summary(ctx, session, stats, final=True)

    def apply(s: Any) -> None:
        s.commits = session.commits
        s.outcome = metrics
        if choice is not None:
            s.commit_choice = choice

    ctx.store.transition("COMPLETE", reason, apply)
    backups.remove(ctx.root, ctx.dir)
    return ctx.reload()


def answer(ctx: Ctx, done: SpecDrivenSession, stats: dict[str, int], **extra: Any) -> dict[str, Any]:
    return {
        "status": "ok",
        "session": ctx.label,
        "committed": bool(done.commits),
        "commits": [c.model_dump(mode="json") for c in done.commits],
        "code": stats,
        "outcome": done.outcome.model_dump(mode="json") if done.outcome else None,
        "summary": f"{ctx.label}/{reports.SUMMARY}",
        **extra,
    }


@one_at_a_time
def commit(
    root: Path,
    session: str | None,
    *,
    confirm: bool,
    skip: bool,
    grouping: str | None,
    scope: str | None,
    description: str | None,
    issue: str | None,
    message_text: str | None = None,
    note: str = "",
) -> dict[str, Any]:
    """Commit the feature as planned, the session's record in the last commit, then COMPLETE.
    With `skip` ("Don't commit yet") nothing is committed and the session waits in COMMITTING."""
    ctx = open_ctx(root, session)
    require(ctx, "commit", "COMMITTING")
    if skip:
        return not_yet(ctx, note)
    from specrail.spec_driven.outputs import problems

    wrong = problems(ctx)
    if wrong:
        raise InvalidInput(
            f"`specrail spec-driven status` lists {len(wrong)} problem(s); fix them, then commit: "
            + "; ".join(wrong[:5]),
            file=ctx.label,
        )
    overlap_check.refuse_moved(root, ctx.session, str(ctx.store.path))
    if ctx.session.config.commit.require_user_confirm and not confirm:
        raise InvalidInput(
            "committing needs the user's confirmation: show `commit-plan`, ask, then run `commit --confirm`",
            file=str(ctx.store.path),
            pointer="/config/commit/require_user_confirm",
        )
    stats = code_stats(ctx)
    if not gitops.is_repo(root):
        done = finish(ctx, [], stats, "finished without a commit: the project is not a git repository")
        return answer(ctx, done, stats, git=False)
    choice = choice_of(ctx, grouping, scope, description, message_text, issue)
    plan = planned(ctx, choice)
    record = as_shown(ctx, plan)
    made: list[CommitRecord] = []
    try:
        for group in plan[:-1]:
            pending = gitops.changed_files(root, group.files)
            if pending:
                made.append(
                    CommitRecord(
                        hash=gitops.commit(root, pending, group.message),
                        message=group.message.strip(),
                        files=pending,
                    )
                )
        last = plan[-1]
        done, ignored = commit_with_record(ctx, last, made, stats, choice, record)
    except Exception:
        if made:  # keep what was committed, so a retry does not lose it

            def keep(s: Any) -> None:
                s.commits = [*s.commits, *made]

            ctx.store.update(keep)
        raise
    commits = [c.model_dump(mode="json") for c in done.commits]
    if commits and commits[-1]["hash"] is None:
        commits[-1]["hash"] = gitops.head(root)
    result = answer(ctx, done, stats, git=True, grouping=choice.grouping)
    result["commits"] = commits
    if ignored:
        result["warnings"] = [
            f"{ctx.label}/ is ignored by git, so the session's record was not committed; "
            "un-ignore specs/meta/sessions/ to keep it with the feature"
        ]
    return result


def as_shown(ctx: Ctx, plan: list[Group]) -> list[str]:
    """The record files to commit: those of the plan the user saw (with the record and SUMMARY.md,
    which the last step writes). Refused, before anything is written, when the plan now differs."""
    shown = ctx.session.commit_choice
    own = [f"{ctx.label}/workflow-session.json", f"{ctx.label}/{reports.SUMMARY}"]
    if shown is None or shown.files is None or shown.record is None:
        return list(dict.fromkeys([*record_files(ctx.root, ctx.dir), *own]))
    now_files = [g.files for g in plan]
    added = sorted(set(record_files(ctx.root, ctx.dir)) - set(shown.record) - set(own))
    if now_files != shown.files or added:
        what = f"files of the session folder not in it: {', '.join(added)}" if added else "its files changed"
        raise InvalidInput(
            f"refused: the commit plan the user saw is not what would be committed now ({what}); "
            "run `commit-plan` again, show it to the user, then `commit --confirm`",
            file=ctx.label,
            pointer="/commit_choice",
        )
    return list(dict.fromkeys([*shown.record, *own]))


def commit_with_record(
    ctx: Ctx,
    last: Group,
    made: list[CommitRecord],
    stats: dict[str, int],
    choice: CommitChoice,
    record: list[str],
) -> tuple[SpecDrivenSession, bool]:
    """The last commit: finish the session (record COMPLETE, SUMMARY.md), then commit its files with
    the record. If git refuses, the record and SUMMARY.md are put back as they were."""
    root = ctx.root
    pending = gitops.changed_files(root, last.files) if last.files else []
    write_record_ignore(ctx.dir)
    ignored = gitops.is_ignored(root, f"{ctx.label}/workflow-session.json")
    entry = CommitRecord(hash=None, message=last.message.strip(), files=pending, carries_record=not ignored)
    summary_path = ctx.dir / reports.SUMMARY
    paths = [*pending, *([] if ignored else record)]
    if not paths:
        raise InvalidInput(
            "nothing to commit: no spec or task file has uncommitted changes and the session folder is "
            "ignored by git",
            file=ctx.label,
        )
    saved = {p: fileio.read_text(p, str(p)) if p.is_file() else None for p in (ctx.store.path, summary_path)}
    done = finish(ctx, [*made, entry], stats, f"{len(made) + 1} commit(s) ({choice.grouping})", choice)
    try:
        paths = [*pending, *([] if ignored else gitops.changed_files(root, record))]
        digest = gitops.commit(root, paths, last.message)
    except Exception:
        with ctx.store.locked():
            for path, text in saved.items():
                if text is None:
                    path.unlink(missing_ok=True)
                else:
                    atomic_write_text(path, text)
        raise
    if ignored:  # the record stays out of git, so it can name the commit

        def name(s: Any) -> None:
            s.commits[-1].hash = digest

        ctx.store.update(name)
        done = ctx.reload()
    return done, ignored
