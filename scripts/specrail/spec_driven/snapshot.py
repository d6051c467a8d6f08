"""Phase 2's "before": a copy of each affected spec inside the session folder, with hash and version."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from specrail import fileio
from specrail.errors import InvalidInput
from specrail.fileio import atomic_write_bytes, now, read_text
from specrail.models.session import SpecDrivenSession
from specrail.models.spec_driven import Snapshot
from specrail.spec_driven import specdoc
from specrail.spec_driven.confine import under
from specrail.spec_driven.session import Ctx, one_at_a_time, open_ctx, rel, require
from specrail.validation.patterns import REL_PATH_PATTERN

SNAPSHOTS_DIR = "snapshots"


def inside(root: Path, raw: str) -> str:
    """`raw` as a relative POSIX path that stays inside the project, or InvalidInput."""
    path = Path(raw)
    if path.is_absolute():
        relative = rel(root, path)
        if Path(relative).is_absolute():
            raise InvalidInput(f"{raw} is outside the project", file=raw)
        raw = relative
    cleaned = raw.replace("\\", "/").removeprefix("./")
    if not re.match(REL_PATH_PATTERN, cleaned):
        raise InvalidInput(f"{raw!r} is not a relative path inside the project", file=raw)
    resolved = (root / cleaned).resolve()
    if not resolved.is_relative_to(root.resolve()):
        raise InvalidInput(f"{raw} leads outside the project (symlink?)", file=raw)
    return cleaned


def resolve_spec(root: Path, specs_dir: str, raw: str, *, new: bool = False) -> tuple[str, bool]:
    """(path relative to the root, exists) of a spec named as a path or relative to `specs_dir`."""
    cleaned = inside(root, raw)
    candidates = [cleaned, f"{specs_dir.rstrip('/')}/{cleaned}"]
    for candidate in candidates:
        if (root / candidate).is_file():
            return candidate, True
    if not cleaned.endswith(".md"):
        raise InvalidInput(f"{raw} is not a Markdown spec (.md)", file=raw)
    if new:
        return cleaned if "/" in cleaned else candidates[1], False
    raise InvalidInput(f"affected spec {raw} does not exist (mark a spec to create with '(new)')", file=raw)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def take(root: Path, folder: Path, spec: str) -> Snapshot:
    """Copy `spec` (if it exists) under `{session}/snapshots/` and describe it."""
    source = root / inside(root, spec)  # a spec named by the record is confined like one given
    if not source.is_file():
        return Snapshot(path=spec, sha256=None, version=None, existed=False, taken_at=now())
    data = fileio.read_bytes(source, str(source))
    where = "the session folder"
    copy = under(folder, f"{SNAPSHOTS_DIR}/{spec}", what=f"the snapshot of {spec}", where=where)
    copy.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(copy, data)
    version = specdoc.parse(data.decode("utf-8", errors="replace")).version
    return Snapshot(
        path=spec,
        sha256=sha256(data),
        version=version,
        existed=True,
        copy_path=f"{SNAPSHOTS_DIR}/{spec}",
        taken_at=now(),
    )


def missing(session: SpecDrivenSession) -> list[str]:
    """Affected specs of the proposal without a snapshot yet."""
    affected = session.proposal.affected_specs if session.proposal else []
    return [s for s in affected if s not in session.snapshots]


def before_text(ctx: Ctx, spec: str) -> str | None:
    snap = ctx.session.snapshots.get(spec)
    if snap is None or not snap.existed or snap.copy_path is None:
        return None
    copy = under(ctx.dir, snap.copy_path, what=f"the snapshot of {spec}", where="the session folder")
    return read_text(copy, str(copy))


@one_at_a_time
def snapshot(root: Path, session: str | None, specs: list[str]) -> dict[str, Any]:
    """Record the "before" of affected specs. A spec already recorded keeps its first snapshot."""
    ctx = open_ctx(root, session)
    require(ctx, "snapshot", "PENDING", "SPEC_UPDATE")
    current = ctx.session
    if current.proposal is None:
        raise InvalidInput("record the proposal first: `specrail spec-driven proposal`")
    config = current.config
    wanted = [
        resolve_spec(root, config.specs_dir, s, new=True)[0] for s in specs
    ] or current.proposal.affected_specs
    kept = [s for s in wanted if s in current.snapshots]
    taken = {s: take(root, ctx.dir, s) for s in wanted if s not in current.snapshots}

    def apply(s: Any) -> None:
        for spec, snap in taken.items():
            s.snapshots[spec] = snap
            if spec not in s.proposal.affected_specs:
                s.proposal.affected_specs.append(spec)
                if not snap.existed:
                    s.proposal.new_specs.append(spec)

    ctx.store.update(apply)
    return {
        "status": "ok",
        "session": ctx.label,
        "taken": [snap.model_dump(mode="json") for snap in taken.values()],
        "kept": kept,
    }
