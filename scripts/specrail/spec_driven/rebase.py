"""`specrail spec-driven rebase`: re-run a spec's diff against the branch after its base moved."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from specrail.errors import InvalidInput, UsageFailure
from specrail.fileio import atomic_write_bytes
from specrail.spec_driven import gitops, specdoc
from specrail.spec_driven.overlap import batch
from specrail.spec_driven.session import one_at_a_time, open_ctx, require
from specrail.spec_driven.snapshot import sha256


@one_at_a_time
def rebase(root: Path, session: str | None, spec_raw: str) -> dict[str, Any]:
    """Take the branch's text of SPEC (HEAD) as the session's new "before", and re-record its diff:
    the moved sections' new base is what the branch holds now."""
    from specrail.spec_driven import diff
    from specrail.spec_driven.snapshot import resolve_spec

    ctx = open_ctx(root, session)
    require(ctx, "rebase", "IMPLEMENTING", "VALIDATING", "COMMITTING")
    spec = resolve_spec(root, ctx.session.config.specs_dir, spec_raw)[0]
    snap = ctx.session.snapshots.get(spec)
    if snap is None or snap.copy_path is None or spec not in ctx.session.diffs:
        raise UsageFailure(f"{spec} has no snapshot and diff in this session")
    [data] = batch(root, [f"HEAD:{spec}"]) if gitops.is_repo(root) else [None]
    if data is None:
        raise InvalidInput(f"{spec} is not committed on this branch: nothing to rebase on", file=spec)
    copy = ctx.dir / snap.copy_path
    old = copy.read_bytes()
    atomic_write_bytes(copy, data)
    try:
        built = diff.build(ctx, spec, None)
        if built.problems:
            raise InvalidInput("; ".join(built.problems), file=spec)
        summary = diff.write_record(ctx, built)
    except Exception:
        atomic_write_bytes(copy, old)
        raise
    version = specdoc.parse(data.decode("utf-8", errors="replace")).version
    moved = snap.model_copy(update={"sha256": sha256(data), "version": version})

    def apply(s: Any) -> None:
        s.snapshots[spec] = moved
        s.diffs[spec] = summary

    ctx.store.update(apply)
    return {
        "status": "ok",
        "session": ctx.label,
        "spec": spec,
        "bases": summary.bases,
        "sections": [c.model_dump(mode="json") for c in built.record.sections],
    }
