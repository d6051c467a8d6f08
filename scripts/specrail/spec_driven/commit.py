"""Phase 7: commit grouping, the drafted message, the commit itself, SUMMARY.md and the outcome metrics."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from specrail.errors import InvalidInput, UsageFailure
from specrail.models.session import SpecDrivenSession
from specrail.models.spec_driven import CommitRecord, SpecDrivenOutcome
from specrail.spec_driven import gitops, reports
from specrail.spec_driven.session import Ctx, open_ctx, require

GROUPINGS = ("single", "by_phase", "by_file")
HEADER_MAX = 72


@dataclass
class Group:
    files: list[str]
    message: str


@dataclass
class Wording:
    scope: str
    description: str
    issue: str | None


def wording(
    session: SpecDrivenSession, scope: str | None, description: str | None, issue: str | None
) -> Wording:
    specs = list(session.diffs)
    default_scope = Path(specs[0]).stem if specs else session.feature
    intent = session.proposal.intent if session.proposal else session.request
    first = re.split(r"(?<=[.!?])\s", " ".join(intent.split()), maxsplit=1)[0].rstrip(".")
    text = description or (first[:1].lower() + first[1:])
    return Wording(re.sub(r"[^a-z0-9_-]+", "-", (scope or default_scope).lower()).strip("-"), text, issue)


def header(kind: str, scope: str, text: str) -> str:
    line = f"{kind}({scope}): {text}"
    return line if len(line) <= HEADER_MAX else line[: HEADER_MAX - 1].rstrip() + "…"


def message(
    session: SpecDrivenSession, w: Wording, *, specs: bool, code: bool, title: str | None = None
) -> str:
    """The seed's form: a conventional header, what changed, how it was validated, references."""
    lines = []
    if specs:
        lines += [f"- Updated {spec} to v{d.version_after}" for spec, d in session.diffs.items()]
    if code:
        changes = session.proposal.key_changes if session.proposal else []
        lines += [f"- Implemented {c[:1].lower() + c[1:]}" for c in changes]
        passed = [r.name for r in session.validations if r.status == "PASS"]
        if passed:
            lines.append(f"- Validated with {', '.join(passed)}")
    kind = "feat" if code else "docs"
    body = [title or header(kind, w.scope if code else "specs", w.description), "", *lines]
    if w.issue:
        body += ["", f"Closes #{w.issue.lstrip('#')}"]
    co_author = session.config.commit.co_author
    if co_author:
        body += ["", f"Co-Authored-By: {co_author}"]
    return "\n".join(body).strip() + "\n"


def feature_files(ctx: Ctx) -> tuple[list[str], list[str], list[str]]:
    """(spec files, code files, other changed files left out) of the feature, changed ones only."""
    session = ctx.session
    specs = list(session.diffs)
    code = [f for t in session.tasks if t.status == "done" for f in (t.files_changed or t.affected_files)]
    code = [f for f in dict.fromkeys(code) if f not in specs]
    if not gitops.is_repo(ctx.root):
        return specs, code, []
    changed = gitops.changed_files(ctx.root)
    prefix = ctx.label.rstrip("/") + "/"
    others = [p for p in changed if p not in specs and p not in code and not p.startswith(prefix)]
    return [s for s in specs if s in changed], [c for c in code if c in changed], others


def groups(ctx: Ctx, grouping: str, w: Wording) -> list[Group]:
    if grouping not in GROUPINGS:
        raise UsageFailure(f"grouping {grouping!r}; one of: {', '.join(GROUPINGS)}")
    session = ctx.session
    specs, code, _ = feature_files(ctx)
    if grouping == "single":
        out = [Group([*specs, *code], message(session, w, specs=True, code=True))]
    elif grouping == "by_phase":
        out = [
            Group(specs, message(session, w, specs=True, code=False)),
            Group(code, message(session, w, specs=False, code=True)),
        ]
    else:
        out = [
            Group(
                [spec],
                message(
                    session,
                    w,
                    specs=True,
                    code=False,
                    title=header("docs", "specs", f"update {Path(spec).name}"),
                ),
            )
            for spec in specs
        ]
        out += [
            Group(
                [path],
                message(session, w, specs=False, code=True, title=header("feat", w.scope, f"update {path}")),
            )
            for path in code
        ]
    return [g for g in out if g.files]


def commit_plan(
    root: Path,
    session: str | None,
    grouping: str | None,
    scope: str | None,
    description: str | None,
    issue: str | None,
) -> dict[str, Any]:
    ctx = open_ctx(root, session)
    require(ctx, "commit-plan", "COMMITTING")
    chosen = grouping or ctx.session.config.commit.default_grouping
    w = wording(ctx.session, scope, description, issue)
    planned = groups(ctx, chosen, w)
    specs, code, others = feature_files(ctx)
    return {
        "status": "ok",
        "session": ctx.label,
        "grouping": chosen,
        "groupings": list(GROUPINGS),
        "commits": [asdict(g) for g in planned],
        "spec_files": specs,
        "code_files": code,
        "left_out": others,
        "confirm_required": ctx.session.config.commit.require_user_confirm,
        "git": gitops.is_repo(root),
    }


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
    )


def code_stats(ctx: Ctx, commits: list[CommitRecord]) -> dict[str, int]:
    session = ctx.session
    specs = set(session.diffs)
    per_file: dict[str, tuple[int, int]] = {}
    if commits:
        for c in commits:
            for path, (a, r) in gitops.numstat(ctx.root, c.hash).items():
                if path not in specs:
                    old = per_file.get(path, (0, 0))
                    per_file[path] = (old[0] + a, old[1] + r)
    else:
        for t in session.tasks:
            for path in t.files_changed:
                per_file.setdefault(path, (0, 0))
        added = sum(t.lines_added for t in session.tasks)
        removed = sum(t.lines_removed for t in session.tasks)
        return {"files": len(per_file), "added": added, "removed": removed}
    return {
        "files": len(per_file),
        "added": sum(a for a, _ in per_file.values()),
        "removed": sum(r for _, r in per_file.values()),
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


def finish(ctx: Ctx, commits: list[CommitRecord], reason: str) -> dict[str, Any]:
    """Write SUMMARY.md, store the outcome metrics, COMMITTING -> COMPLETE."""
    ended = datetime.now(UTC)
    session = ctx.session.model_copy(deep=True)
    session.commits = [*session.commits, *commits]
    metrics = outcome(session, ended)
    minutes = metrics.total_duration_mins
    duration = f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"
    stats = code_stats(ctx, session.commits)
    reports.write(ctx.dir, reports.SUMMARY, reports.summary(session, stats, artifacts(ctx), duration))

    def apply(s: Any) -> None:
        s.commits = session.commits
        s.outcome = metrics

    ctx.store.transition("COMPLETE", reason, apply)
    return {
        "status": "ok",
        "session": ctx.label,
        "commits": [c.model_dump(mode="json") for c in session.commits],
        "code": stats,
        "outcome": metrics.model_dump(mode="json"),
        "summary": f"{ctx.label}/{reports.SUMMARY}",
    }


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
) -> dict[str, Any]:
    """Commit the feature's files as planned (only with the user's confirmation), then finish."""
    ctx = open_ctx(root, session)
    require(ctx, "commit", "COMMITTING")
    if skip:
        return finish(ctx, [], "finished without a commit (the user chose not to commit yet)")
    if ctx.session.config.commit.require_user_confirm and not confirm:
        raise InvalidInput(
            "committing needs the user's confirmation: show `commit-plan`, ask, then run `commit --confirm`",
            file=str(ctx.store.path),
            pointer="/config/commit/require_user_confirm",
        )
    if not gitops.is_repo(root):
        raise UsageFailure(
            f"{root} is not a git repository; use `commit --skip` to finish without committing"
        )
    chosen = grouping or ctx.session.config.commit.default_grouping
    planned = groups(ctx, chosen, wording(ctx.session, scope, description, issue))
    if not planned:
        raise InvalidInput(
            "nothing to commit: no spec or task file has uncommitted changes (use `commit --skip` to finish)"
        )
    made: list[CommitRecord] = []
    for group in planned:
        pending = gitops.changed_files(root, group.files)
        if not pending:
            continue
        try:
            digest = gitops.commit(root, pending, group.message)
        except Exception:
            if made:  # keep what was committed, so a retry does not lose it

                def keep(s: Any) -> None:
                    s.commits = [*s.commits, *made]

                ctx.store.update(keep)
            raise
        made.append(CommitRecord(hash=digest, message=group.message.strip(), files=pending))
    return finish(ctx, made, f"{len(made)} commit(s) created ({chosen})")
