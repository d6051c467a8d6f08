"""The files specrail writes into a session folder, and their sha256 recorded when written.

The diff records and the reports (refinement summary, alignment report, implementation log,
validation report, SUMMARY.md) are specrail's output, read again later: `tasks` plans from the
diff records, and the commit takes every one of them. One changed by another hand is refused
before it is used, and `status` lists it (so `commit` refuses). The reports are made from the
record alone: `specrail spec-driven reports` writes them again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from specrail.errors import InvalidInput
from specrail.spec_driven import reports
from specrail.spec_driven.session import Ctx, one_at_a_time, open_ctx

REPORTS = (
    reports.REFINEMENT_SUMMARY,
    reports.ALIGNMENT_REPORT,
    reports.IMPLEMENTATION_LOG,
    reports.VALIDATION_REPORT,
    reports.SUMMARY,
)


def digest(path: Path) -> str | None:
    if path.is_symlink() or not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()


def remember(ctx: Ctx, names: Iterable[str]) -> None:
    """Record the sha256 of files specrail just wrote (names relative to the session folder)."""
    hashes = {name: digest(ctx.dir / name) for name in names}

    def apply(s: Any) -> None:
        for name, value in hashes.items():
            if value is not None:
                s.generated[name] = value

    ctx.store.update(apply)
    ctx.reload()


def write(ctx: Ctx, name: str, lines: list[str]) -> None:
    """Write a report of the session and record its hash."""
    reports.write(ctx.dir, name, lines)
    remember(ctx, [name])


def changed(ctx: Ctx, names: Iterable[str] | None = None) -> list[str]:
    """Generated files (of `names`, default all recorded) that differ from what specrail wrote."""
    recorded = ctx.session.generated
    wanted = recorded if names is None else [n for n in names if n in recorded]
    out = []
    for name in wanted:
        now = digest(ctx.dir / name)
        state = "removed" if now is None else "changed"
        if now != recorded[name]:
            out.append(f"{ctx.label}/{name}: {state} after specrail wrote it ({fix(name)})")
    return out


def fix(name: str) -> str:
    if name.startswith(reports.DIFFS_DIR + "/"):
        return "record the diff again with `specrail spec-driven diff --spec SPEC`"
    return "write it again from the record with `specrail spec-driven reports`"


def require_unchanged(ctx: Ctx, names: Iterable[str], action: str) -> None:
    wrong = changed(ctx, names)
    if wrong:
        raise InvalidInput(f"`{action}` refused: " + "; ".join(wrong), file=ctx.label)


def rewrite(ctx: Ctx) -> list[str]:
    """Write every report the session has reached again from its record; the names written."""
    s = ctx.reload()
    made: dict[str, list[str]] = {}
    if s.refinement:
        made[reports.REFINEMENT_SUMMARY] = reports.refinement_summary(s)
    if s.alignment is not None and (ctx.dir / reports.ALIGNMENT_REPORT).exists():
        made[reports.ALIGNMENT_REPORT] = reports.alignment_report(s)
    if s.tasks:
        made[reports.IMPLEMENTATION_LOG] = reports.implementation_log(s)
    if s.validations:
        made[reports.VALIDATION_REPORT] = reports.validation_report(s)
    for name, lines in made.items():
        reports.write(ctx.dir, name, lines)
    if reports.SUMMARY in s.generated and s.state != "COMPLETE":
        from specrail.spec_driven.commit import code_stats, write_summary

        write_summary(ctx, s, code_stats(ctx), final=False)
        made[reports.SUMMARY] = []
    remember(ctx, made)
    return list(made)


@one_at_a_time
def rewrite_step(root: Path, session: str | None) -> dict[str, Any]:
    """`specrail spec-driven reports`: the session's reports written again from its record."""
    ctx = open_ctx(root, session)
    if ctx.session.state in ("COMPLETE", "ABORTED"):
        raise InvalidInput(f"the session is {ctx.session.state}; its reports are final", file=ctx.label)
    written = rewrite(ctx)
    return {"status": "ok", "session": ctx.label, "written": [f"{ctx.label}/{n}" for n in written]}
