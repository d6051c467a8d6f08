"""A session's recorded settings (alignment, validation level, round limit): kept on resume,
changed only by the user's own step, `specrail spec-driven settings`."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from specrail import states
from specrail.errors import InvalidInput, UsageFailure
from specrail.fileio import now
from specrail.models.session import Overrides, SpecDrivenSession
from specrail.models.spec_driven import DecisionRecord
from specrail.spec_driven.session import effective, load_config, merge_overrides, one_at_a_time, open_ctx

FLAGS = {"skip_alignment": "--skip-alignment", "validation": "--validation", "max_rounds": "--max-rounds"}


def changes(old: Overrides, given: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    """The settings `given` would change: name -> (recorded, asked for)."""
    return {
        name: (getattr(old, name), value)
        for name, value in given.items()
        if value is not None and getattr(old, name) != value
    }


def _flag(name: str, value: Any) -> str:
    if name == "skip_alignment":
        return "--skip-alignment" if value else "--no-skip-alignment"
    return f"{FLAGS[name]} {shlex.quote(str(value))}"


def describe(changed: dict[str, tuple[Any, Any]]) -> str:
    return "; ".join(f"{name}: {old} -> {new}" for name, (old, new) in changed.items())


def refuse_on_resume(session: SpecDrivenSession, given: dict[str, Any], label: str, file: str) -> None:
    """A resumed session keeps its settings: asking for others is refused, with the user's step."""
    changed = changes(session.overrides, given)
    if not changed:
        return
    flags = " ".join(_flag(name, new) for name, (_, new) in changed.items())
    raise InvalidInput(
        f"the session keeps the settings it started with ({describe(changed)}); changing them is the "
        f"user's decision: ask them, then run `specrail spec-driven settings --session {label} {flags} "
        "--json` (the client asks them first)",
        file=file,
        pointer=f"/overrides/{next(iter(changed))}",
    )


@one_at_a_time
def change(root: Path, session: str | None, given: dict[str, Any]) -> dict[str, Any]:
    """Record the settings the user chose for a running session (a decision step)."""
    ctx = open_ctx(root, session)
    if ctx.session.state in states.TERMINAL:
        raise InvalidInput(f"the session is {ctx.session.state}", file=str(ctx.store.path), pointer="/state")
    changed = changes(ctx.session.overrides, given)
    if not changed:
        raise UsageFailure("nothing to change: give a setting that differs from the session's")
    base = load_config(root)

    def apply(s: Any) -> None:
        s.overrides = merge_overrides(s.overrides, given)
        s.config = effective(base, s.overrides)
        s.decisions.append(DecisionRecord(kind="settings", choice=describe(changed), at=now()))

    ctx.store.update(apply)
    updated = ctx.reload()
    return {
        "status": "ok",
        "session": ctx.label,
        "changed": {name: {"from": old, "to": new} for name, (old, new) in changed.items()},
        "overrides": updated.overrides.model_dump(mode="json"),
    }
