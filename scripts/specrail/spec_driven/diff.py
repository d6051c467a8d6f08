"""Phase 2: compare each spec with its snapshot by numbered section and write the diff records."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specrail import fileio
from specrail.errors import InvalidInput, UsageFailure
from specrail.fileio import atomic_write_json, now
from specrail.models.spec_driven import DiffRecord, DiffSummary, SectionChange, SpecRefinement
from specrail.spec_driven import generated, overlap, reports, specdoc
from specrail.spec_driven.session import Ctx, one_at_a_time, open_ctx, require
from specrail.spec_driven.snapshot import before_text, resolve_spec, sha256

DEPRECATED_MARK = re.compile(r"\s*[\[(]\s*deprecated\s*[\])]", re.IGNORECASE)


def _excerpt(text: str, limit: int = 90) -> str:
    words = " ".join(text.split())
    return words if len(words) <= limit else words[: limit - 1].rstrip() + "…"


def _first_line(body: str) -> str:
    lines = (ln.strip() for ln in body.splitlines())
    return next((ln for ln in lines if ln and not specdoc.DEPENDS_LINE.match(ln)), "")


def _modified(old: specdoc.SpecSection, new: specdoc.SpecSection) -> str | None:
    """A summary when the section changed, else None."""
    notes = []
    if old.title != new.title:
        notes.append(f"retitled from '{old.title}'")
    if old.normalized != new.normalized:
        diff = list(difflib.ndiff(old.normalized.splitlines(), new.normalized.splitlines()))
        added = [ln[2:] for ln in diff if ln.startswith("+ ")]
        removed = [ln[2:] for ln in diff if ln.startswith("- ")]
        text = f"+{len(added)}/-{len(removed)} lines"
        first = next((ln for ln in added if ln.strip()), "")
        notes.append(f"{text}; now: {_excerpt(first, 70)}" if first else text)
    if notes and old.number != new.number:  # a new number alone is no change to implement
        notes.insert(0, f"renumbered from {old.number}")
    return "; ".join(notes) if notes else None


def compare(before: specdoc.SpecDoc | None, after: specdoc.SpecDoc) -> list[SectionChange]:
    """ADDED / MODIFIED / DEPRECATED per numbered section, in the order of the new spec.

    Sections are matched by number and title, then by title alone (renumbered), then by identical
    text (moved and retitled), then by number (retitled). A section missing from the new spec, or
    newly marked deprecated, is DEPRECATED.
    """
    old_secs = before.sections if before else []
    unmatched_old = list(old_secs)
    pairs: dict[int, specdoc.SpecSection] = {}
    for rule in (
        lambda o, n: o.number == n.number and o.title == n.title,
        lambda o, n: o.title == n.title,
        lambda o, n: bool(o.normalized) and o.normalized == n.normalized,
        lambda o, n: o.number == n.number,
    ):
        for i, new in enumerate(after.sections):
            if i in pairs:
                continue
            match = next((o for o in unmatched_old if rule(o, new)), None)
            if match is not None:
                pairs[i] = match
                unmatched_old.remove(match)
    changes: list[SectionChange] = []

    def add(sec: specdoc.SpecSection, change: str, summary: str, body: str) -> None:
        changes.append(
            SectionChange(
                section=sec.number,
                title=_excerpt(DEPRECATED_MARK.sub("", sec.title).strip() or sec.title, 120),
                change=change,  # type: ignore[arg-type]
                summary=summary,
                files=specdoc.mentioned_paths(body),
                depends=specdoc.dependency_hints(body),
            )
        )

    for i, new in enumerate(after.sections):
        old = pairs.get(i)
        if old is None:
            first = _first_line(new.body)
            add(new, "ADDED", f"New section: {_excerpt(first)}" if first else "New section", new.body)
        elif new.deprecated and not old.deprecated:
            marker = next((ln for ln in new.body.splitlines() if specdoc.DEPRECATED_LINE.match(ln)), "")
            reason = specdoc.DEPRECATED_LINE.sub("", marker).strip(" *_:]>-")
            add(
                new,
                "DEPRECATED",
                f"Marked deprecated: {_excerpt(reason)}" if reason else "Marked deprecated",
                old.body,
            )
        else:
            summary = _modified(old, new)
            if summary is not None:
                add(new, "MODIFIED", summary, new.body)
    taken = {c.section for c in changes}
    for old in unmatched_old:
        if old.number not in taken:
            add(old, "DEPRECATED", f"Removed (was '{_excerpt(old.title, 60)}')", old.body)
    return changes


def record_name(spec: str, specs_dir: str) -> str:
    """`spec_diffs/{name}.diff.md`: the spec's path under the specs folder, '/' as '-', no `.md`."""
    prefix = specs_dir.rstrip("/") + "/"
    inner = spec[len(prefix) :] if spec.startswith(prefix) else spec
    return inner.removesuffix(".md").replace("/", "-")


def derived_implications(record: DiffRecord) -> list[str]:
    out = []
    for change in record.sections:
        if change.files:
            verb = {"ADDED": "implement in", "MODIFIED": "update", "DEPRECATED": "remove from"}[change.change]
            out.append(f"{change.section} {change.title} ({change.change}): {verb} {', '.join(change.files)}")
    return out


@dataclass
class Built:
    spec: str
    record: DiffRecord
    problems: list[str]
    bases: dict[str, str | None] = field(default_factory=dict)


def build(ctx: Ctx, spec: str, implications: list[str] | None) -> Built:
    """The diff record of `spec` and what is wrong with the update (version, history, no change)."""
    path = ctx.root / spec
    if not path.is_file():
        raise InvalidInput(
            f"{spec} no longer exists; a spec is deprecated section by section, not deleted", file=spec
        )
    old_text = before_text(ctx, spec)
    before = specdoc.parse(old_text) if old_text is not None else None
    after = specdoc.parse(fileio.read_text(path, str(path)))
    sections = compare(before, after)
    rows_added = [row for row in after.history_rows if not before or row not in before.history_rows]
    previous = ctx.session.diffs.get(spec)
    kept: list[str] = []
    if implications is None and previous is not None:
        twin = ctx.dir / previous.record.replace(".diff.md", ".diff.json")
        if twin.is_file():
            kept = DiffRecord.model_validate_json(fileio.read_text(twin, str(twin))).implications
    record = DiffRecord(
        spec=spec,
        version_before=before.version if before else None,
        version_after=after.version,
        version_bumped=specdoc.bumped(before.version if before else None, after.version),
        revision_row_added=bool(rows_added),
        new_spec=before is None,
        sections=sections,
        implications=implications if implications is not None else kept,
    )
    problems = []
    # Only a spec that carries a version line is held to the seed's version bump and history row.
    if before is not None and before.version is not None and after.version is None:
        problems.append(f"the version line ({before.version}) was removed; raise it instead")
    elif after.version is not None and not record.version_bumped:
        problems.append(f"version not bumped ({record.version_before} → {record.version_after})")
    if after.version is not None and before is not None and before.version is not None:
        if after.history_line is None:
            problems.append("no 'Revision History' section with a table")
        elif not record.revision_row_added:
            problems.append("no row added to the Revision History table")
    if not sections:
        problems.append("no section changed (sections are compared by number, else by heading path)")
    return Built(spec, record, problems, overlap.bases(old_text, [c.section for c in sections]))


def write_record(ctx: Ctx, built: Built) -> DiffSummary:
    name = record_name(built.spec, ctx.session.config.specs_dir)
    folder = ctx.dir / reports.DIFFS_DIR
    reports.write(
        folder, f"{name}.diff.md", reports.diff_record(built.record, derived_implications(built.record))
    )
    atomic_write_json(folder / f"{name}.diff.json", built.record.model_dump(mode="json"))
    generated.remember(ctx, [f"{reports.DIFFS_DIR}/{name}.diff.md", f"{reports.DIFFS_DIR}/{name}.diff.json"])
    counts = {
        kind: sum(1 for c in built.record.sections if c.change == kind)
        for kind in ("ADDED", "MODIFIED", "DEPRECATED")
    }
    return DiffSummary(
        record=f"{reports.DIFFS_DIR}/{name}.diff.md",
        version_before=built.record.version_before,
        version_after=built.record.version_after,
        added=counts["ADDED"],
        modified=counts["MODIFIED"],
        deprecated=counts["DEPRECATED"],
        recorded_at=now(),
        spec_sha256=sha256(fileio.read_bytes(ctx.root / built.spec, built.spec)),
        bases=built.bases,
    )


def refresh(ctx: Ctx, spec: str) -> DiffSummary:
    """Re-record one spec's diff (after a refinement round edited it); InvalidInput if now invalid."""
    built = build(ctx, spec, None)
    if built.problems:
        raise InvalidInput("; ".join(built.problems), file=spec)
    return write_record(ctx, built)


@one_at_a_time
def diff(root: Path, session: str | None, specs: list[str], implications: list[str] | None) -> dict[str, Any]:
    """Record the diffs; in SPEC_UPDATE, go on to REFINING once every affected spec has a valid one."""
    ctx = open_ctx(root, session)
    # In IMPLEMENTING only to re-record a spec edited after its diff (the tasks are then re-planned).
    require(ctx, "diff", "SPEC_UPDATE", "REFINING", "ALIGNING", "IMPLEMENTING")
    snapshots = ctx.session.snapshots
    if not snapshots:
        raise UsageFailure("no snapshot recorded: `start-update` takes them")
    wanted = [resolve_spec(root, ctx.session.config.specs_dir, s, new=True)[0] for s in specs] or list(
        snapshots
    )
    unknown = [s for s in wanted if s not in snapshots]
    if unknown:
        raise UsageFailure(f"no snapshot of {', '.join(unknown)}: run `snapshot --spec` before editing it")
    if implications is not None and len(wanted) != 1:
        raise UsageFailure("--implication applies to one spec: pass --spec too")
    built = [build(ctx, spec, implications) for spec in wanted]
    good = {b.spec: write_record(ctx, b) for b in built if not b.problems}
    failed = {b.spec: b.problems for b in built if b.problems}

    def apply(s: Any) -> None:
        s.diffs.update(good)
        for spec in s.diffs:
            s.refinement.setdefault(spec, SpecRefinement())

    recorded = set(ctx.session.diffs) | set(good)
    complete = not failed and all(spec in recorded for spec in snapshots)
    if ctx.session.state == "SPEC_UPDATE" and complete:
        ctx.store.transition("REFINING", f"diffs recorded for {len(snapshots)} spec(s)", apply)
    elif good:
        ctx.store.update(apply)
    return {
        "status": "fail" if failed else "ok",
        "session": ctx.label,
        "recorded": {spec: summary.model_dump(mode="json") for spec, summary in good.items()},
        "sections": {b.spec: [c.model_dump(mode="json") for c in b.record.sections] for b in built},
        "errors": [{"file": spec, "message": "; ".join(p)} for spec, p in failed.items()],
        "missing": sorted(spec for spec in snapshots if spec not in recorded),
        "warnings": overlap.warnings(root, ctx.label) if good else [],
    }
