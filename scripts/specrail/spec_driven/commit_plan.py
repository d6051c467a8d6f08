"""Phase 7's commit plan: which files go into which commit (single, by phase, by file), the drafted
messages, the lines each file adds and removes, and the user's choice that `commit --confirm` uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specrail import fileio
from specrail.errors import UsageFailure
from specrail.fileio import now
from specrail.models.spec_driven import CommitChoice
from specrail.spec_driven import evidence, gitops
from specrail.spec_driven.commit_message import Wording, header, message, wording
from specrail.spec_driven.session import (
    Ctx,
    one_at_a_time,
    open_ctx,
    record_files,
    require,
)

GROUPINGS = ("single", "by_phase", "by_file")
CHOICES = ["Commit", "Adjust", "Don't commit yet"]
NOT_YET = "Don't commit yet"


@dataclass
class Group:
    files: list[str]
    message: str
    record: bool = False
    lines: list[dict[str, Any]] = field(default_factory=list)


def feature_files(ctx: Ctx) -> tuple[list[str], list[str], list[str]]:
    """(spec files, code files, other changed files left out) of the feature, changed ones only."""
    session = ctx.session
    specs = list(session.diffs)
    code = [f for t in session.tasks if t.status == "done" for f in (t.files_changed or t.affected_files)]
    code += evidence.linked_files(session)
    code = [f for f in dict.fromkeys(code) if f not in specs]
    if not gitops.is_repo(ctx.root):
        return specs, code, []
    changed = gitops.changed_files(ctx.root)
    prefix = ctx.label.rstrip("/") + "/"
    others = [p for p in changed if p not in specs and p not in code and not p.startswith(prefix)]
    return [s for s in specs if s in changed], [c for c in code if c in changed], others


def line_stats(root: Path, paths: list[str]) -> dict[str, tuple[int, int]]:
    """Lines added and removed per path against HEAD; an untracked file counts all its lines added."""
    tracked = gitops.worktree_numstat(root, paths) if gitops.is_repo(root) else {}
    out = {}
    for path in paths:
        if path in tracked:
            out[path] = tracked[path]
        else:
            target = root / path
            out[path] = (
                (len(fileio.read_bytes(target, str(target)).splitlines()), 0) if target.is_file() else (0, 0)
            )
    return out


def groups(ctx: Ctx, grouping: str, w: Wording) -> list[Group]:
    """The planned commits; the last one carries the session's record (alone if nothing else changed)."""
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
    out = [g for g in out if g.files]
    if w.message is not None:
        if len(out) > 1:
            raise UsageFailure(
                f"--message sets the message of one commit, and the {grouping} grouping makes {len(out)}; "
                "use --grouping single, or adjust --scope and --description"
            )
        for g in out:
            g.message = w.message
    if not out:
        text = w.message or header("docs", "specs", f"record the {session.feature} session") + "\n"
        out = [Group([], text)]
    out[-1].record = True
    stats = line_stats(ctx.root, [f for g in out for f in g.files])
    for g in out:
        g.lines = [{"file": f, "added": stats[f][0], "removed": stats[f][1]} for f in g.files]
    return out


def choice_of(
    ctx: Ctx,
    grouping: str | None,
    scope: str | None,
    description: str | None,
    message_text: str | None,
    issue: str | None,
) -> CommitChoice:
    """The options given now, else those of the plan last shown, else the configured defaults."""
    last = ctx.session.commit_choice
    given = {"scope": scope, "description": description, "message": message_text, "issue": issue}
    data: dict[str, Any] = {k: v for k, v in (last.model_dump() if last else {}).items() if k in given}
    data.update({k: v for k, v in given.items() if v is not None})
    chosen = grouping or (last.grouping if last else ctx.session.config.commit.default_grouping)
    return CommitChoice(grouping=chosen, shown_at=now(), **data)  # type: ignore[arg-type]


def planned(ctx: Ctx, choice: CommitChoice) -> list[Group]:
    w = wording(ctx.session, choice.scope, choice.description, choice.issue, choice.message)
    return groups(ctx, choice.grouping, w)


def plan_answer(ctx: Ctx, choice: CommitChoice, made: list[Group]) -> dict[str, Any]:
    specs, code, others = feature_files(ctx)
    return {
        "grouping": choice.grouping,
        "groupings": list(GROUPINGS),
        "commits": [
            {
                "files": g.files,
                "message": g.message,
                "lines": g.lines,
                "added": sum(x["added"] for x in g.lines),
                "removed": sum(x["removed"] for x in g.lines),
                "session_record": f"{ctx.label}/" if g.record else None,
            }
            for g in made
        ],
        "spec_files": specs,
        "code_files": code,
        "left_out": others,
        "session_record": record_files(ctx.root, ctx.dir),
        "choices": CHOICES,
    }


@one_at_a_time
def commit_plan(
    root: Path,
    session: str | None,
    grouping: str | None,
    scope: str | None,
    description: str | None,
    issue: str | None,
    message_text: str | None = None,
) -> dict[str, Any]:
    """Show the commits that would be made; the choice shown is what `commit --confirm` will use."""
    ctx = open_ctx(root, session)
    require(ctx, "commit-plan", "COMMITTING")
    choice = choice_of(ctx, grouping, scope, description, message_text, issue)
    made = planned(ctx, choice)
    choice.files = [g.files for g in made]
    choice.record = record_files(ctx.root, ctx.dir)

    def keep(s: Any) -> None:
        s.commit_choice = choice

    ctx.store.update(keep)
    return {
        "status": "ok",
        "session": ctx.label,
        **plan_answer(ctx, choice, made),
        "adjust": "run commit-plan again with --grouping single|by_phase|by_file, --scope, "
        "--description, --issue or --message (one commit); `commit --confirm` commits the last plan shown",
        "confirm_required": ctx.session.config.commit.require_user_confirm,
        "git": gitops.is_repo(root),
    }
