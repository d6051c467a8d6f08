"""Phase 3: record refinement rounds per spec and decide CONVERGED / CONTINUE / STALLED / MAX_ROUNDS."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from specrail.errors import InvalidInput, UsageFailure
from specrail.fileio import now, read_text
from specrail.models.session import SpecDrivenSession
from specrail.models.spec_driven import DecisionRecord, PendingDecision, RefineRound, SpecRefinement
from specrail.spec_driven import diff, generated, reports
from specrail.spec_driven.session import Ctx, one_at_a_time, open_ctx, require
from specrail.spec_driven.snapshot import resolve_spec
from specrail.validation.placeholders import outside_fences, placeholders_in

STALL_OPTIONS = ["Continue", "Reduce scope", "Accept partial", "Abort"]


@dataclass(frozen=True)
class Assessment:
    verdict: str
    open_gaps: int
    rounds_without_reduction: int
    rounds_in_window: int


def open_after(rounds: list[RefineRound], found: int, resolved: int) -> int:
    previous = rounds[-1].open_gaps if rounds else 0
    if resolved > previous + found:
        raise InvalidInput(
            f"{resolved} gaps resolved, but only {previous} were open and {found} found this round",
            pointer="/gaps_resolved",
        )
    return previous + found - resolved


def agree(rounds: list[RefineRound], found: int, resolved: int, open_ids: list[str]) -> str | None:
    """What is wrong when `--found`, `--resolved` and the `--open` list disagree with the previous
    round's open gaps (None when they agree)."""
    previous = rounds[-1] if rounds else None
    before = previous.open_gaps if previous else 0
    if len(open_ids) != before + found - resolved:
        return (
            f"{len(open_ids)} gaps listed open, but {before} were open after the previous round, "
            f"{found} found and {resolved} resolved make {before + found - resolved}"
        )
    if previous is None or not previous.open_ids:
        return None
    gone = [g for g in previous.open_ids if g not in open_ids]
    new = [g for g in open_ids if g not in previous.open_ids]
    if len(gone) > resolved:
        return f"{', '.join(gone)} left the open list, but only {resolved} gap(s) were resolved"
    if len(new) > found:
        return f"{', '.join(new)} joined the open list, but only {found} gap(s) were found"
    return None


DECISION_NEEDED = re.compile(r"\[DECISION NEEDED\]", re.IGNORECASE)


def placeholders(root: Path, spec: str) -> list[str]:
    """Placeholders the spec still holds (TBD, TODO, FIXME, ???, [DECISION NEEDED] ...), outside
    code, as `line N: 'marker'`."""
    path = root / spec
    if not path.is_file():
        return []
    out = []
    for number, line in outside_fences(read_text(path, spec).splitlines()):
        found = [*placeholders_in(line), *DECISION_NEEDED.findall(line)]
        out += [f"line {number}: {marker!r}" for marker in found]
    return out


def open_items(values: list[str]) -> list[str]:
    """The `--open` items: `ID[:SEVERITY] - description` as given, a list without descriptions
    (`G1:CRITICAL,G4`) split at its commas; `none` dropped."""
    items: list[str] = []
    for value in values:
        parts = [value] if GAP_NOTE in value else value.split(",")
        items += [p.strip() for p in parts if p.strip() and p.strip().lower() not in ("none", "-")]
    return items


def parse_open(raw: list[str]) -> tuple[list[str], list[str], dict[str, str]]:
    """(open gap ids, the CRITICAL ones, their descriptions) from `ID`, `ID:CRITICAL` or
    `ID[:SEVERITY] - description` items, duplicates dropped."""
    ids: dict[str, bool] = {}
    notes: dict[str, str] = {}
    for given in raw:
        item, _, note = given.partition(GAP_NOTE)
        gap, _, severity = item.strip().partition(":")
        gap = gap.strip()
        if not gap or severity.strip().upper() not in ("", "CRITICAL", "MEDIUM", "LOW"):
            raise UsageFailure(f"--open {item!r} is not ID or ID:SEVERITY (CRITICAL, MEDIUM, LOW)")
        ids[gap] = ids.get(gap, False) or severity.strip().upper() == "CRITICAL"
        if note.strip():
            notes[gap] = " ".join(note.split())
    return list(ids), [g for g, critical in ids.items() if critical], notes


GAP_NOTE = " - "


def reduced(rounds: list[RefineRound], index: int) -> bool:
    """Whether round `index` lowered the open gaps (round 1 against the gaps it found)."""
    current = rounds[index]
    baseline = rounds[index - 1].open_gaps if index > 0 else current.gaps_found
    return current.open_gaps < baseline


def assess(record: SpecRefinement, max_rounds: int, stall_threshold: int) -> Assessment:
    """The verdict on the last round, counting rounds since the window start (reset by a decision)."""
    rounds = record.rounds
    last = rounds[-1]
    window = range(record.window_start, len(rounds))
    streak = 0
    for index in reversed(window):
        if reduced(rounds, index):
            break
        streak += 1
    if last.open_gaps == 0 and last.open_critical == 0:
        verdict = "CONVERGED"
    elif streak >= stall_threshold:
        verdict = "STALLED"
    elif len(window) >= max_rounds:
        verdict = "MAX_ROUNDS"
    else:
        verdict = "CONTINUE"
    return Assessment(verdict, last.open_gaps, streak, len(window))


DEFERRED_CRITICAL = "Deferred CRITICAL gap"


def deferred_criticals(spec: str, last: RefineRound) -> list[str]:
    """What "Accept partial" leaves open that is CRITICAL, as deferred items."""
    if last.open_critical_ids:
        return [
            f"{DEFERRED_CRITICAL}: {spec}: {gap}"
            + (f" - {last.open_notes[gap]}" if gap in last.open_notes else "")
            for gap in last.open_critical_ids
        ]
    if last.open_critical:
        return [f"{DEFERRED_CRITICAL}: {spec}: {last.open_critical} CRITICAL gap(s) left open"]
    return []


def all_final(session: SpecDrivenSession) -> bool:
    return bool(session.refinement) and all(r.final for r in session.refinement.values())


def spec_of(ctx: Ctx, raw: str) -> str:
    """The affected spec named by `raw` (a path, a path under specs/, or a file name)."""
    known = list(ctx.session.diffs)
    by_name = [s for s in known if Path(s).name == raw or Path(s).stem == raw]
    if raw in known:
        return raw
    if len(by_name) == 1:
        return by_name[0]
    resolved = resolve_spec(ctx.root, ctx.session.config.specs_dir, raw, new=True)[0]
    if resolved not in known:
        raise UsageFailure(f"{raw} is not an affected spec with a diff; affected: {', '.join(known)}")
    return resolved


def write_summary(ctx: Ctx) -> None:
    generated.write(ctx, reports.REFINEMENT_SUMMARY, reports.refinement_summary(ctx.reload()))


@one_at_a_time
def refine_round(
    root: Path,
    session: str | None,
    spec_name: str,
    *,
    found: int,
    resolved: int,
    open_critical: int | None,
    decisions: list[str],
    deferred: list[str],
    open_list: list[str] | None = None,
) -> dict[str, Any]:
    """Record one round for one spec, refresh its diff record, and act on the verdict.

    With `open_list` (the refiner's gaps still open) the open count is that list's length; else
    it is the previous round's open gaps + found - resolved."""
    ctx = open_ctx(root, session)
    require(ctx, "refine-round", "REFINING")
    spec = spec_of(ctx, spec_name)
    config = ctx.session.config.refinement
    current = ctx.session.refinement.get(spec) or SpecRefinement()
    open_ids: list[str] = []
    critical_ids: list[str] = []
    notes: dict[str, str] = {}
    if open_list is not None:
        open_ids, critical_ids, given = parse_open(open_items(open_list))
        earlier = current.rounds[-1].open_notes if current.rounds else {}
        notes = {g: given.get(g) or earlier[g] for g in open_ids if given.get(g) or g in earlier}
        open_gaps = len(open_ids)
        if open_critical is not None and open_critical != len(critical_ids):
            raise UsageFailure(
                f"--open-critical {open_critical}, but {len(critical_ids)} of the --open gaps are CRITICAL"
            )
        open_critical = len(critical_ids)
    else:
        try:
            open_gaps = open_after(current.rounds, found, resolved)
        except InvalidInput as exc:
            raise InvalidInput(exc.message, file=spec) from None
        if open_critical is None:
            raise UsageFailure("give the open gaps (--open ID[:CRITICAL] ...), or --open-critical N")
    if open_critical > open_gaps:
        raise InvalidInput(f"{open_critical} open CRITICAL gaps but only {open_gaps} open gaps", file=spec)
    if open_list is not None:
        wrong = agree(current.rounds, found, resolved, open_ids)
        if wrong:
            raise InvalidInput(f"the round does not add up: {wrong}; nothing recorded", file=spec)
    left = placeholders(root, spec) if open_gaps == 0 else []
    if left:
        shown = "; ".join(left[:5]) + (f" (+{len(left) - 5} more)" if len(left) > 5 else "")
        raise InvalidInput(
            f"the round reports no open gap, but {spec} still holds placeholders: {shown}; write the "
            "content, or list each as an open gap with --open; nothing recorded",
            file=spec,
        )
    refreshed = diff.refresh(ctx, spec)  # the round may have edited the spec
    stamp = now()
    new_round = RefineRound(
        round=len(current.rounds) + 1,
        gaps_found=found,
        gaps_resolved=resolved,
        open_critical=open_critical,
        open_gaps=open_gaps,
        verdict="CONTINUE",
        at=stamp,
        decisions=decisions,
        deferred=deferred,
        open_ids=open_ids,
        open_critical_ids=critical_ids,
        open_notes=notes,
    )
    trial = current.model_copy(deep=True)
    trial.rounds.append(new_round)
    result = assess(trial, config.max_rounds, config.stall_threshold)
    new_round.verdict = result.verdict  # type: ignore[assignment]
    escalate = result.verdict in ("STALLED", "MAX_ROUNDS")
    auto = escalate and config.auto_accept_partial
    why = (
        f"{spec}: {result.rounds_without_reduction} rounds without fewer open gaps"
        if result.verdict == "STALLED"
        else f"{spec}: {result.rounds_in_window} rounds reached the limit of {config.max_rounds}"
    )

    def apply(s: Any) -> None:
        record = s.refinement.setdefault(spec, SpecRefinement())
        record.rounds.append(new_round)
        s.diffs[spec] = refreshed
        s.deferred_items.extend(f"Refinement: {spec}: {d}" for d in deferred)
        if result.verdict == "CONVERGED":
            record.final = "CONVERGED"
        elif result.verdict == "CONTINUE":
            record.final = None
        elif auto:
            record.final = "ACCEPTED_PARTIAL"
            s.deferred_items.append(
                f"Refinement: {spec}: {open_gaps} open gaps accepted ({result.verdict}, auto_accept_partial)"
            )
            s.deferred_items.extend(deferred_criticals(spec, new_round))
            s.decisions.append(
                DecisionRecord(kind="stall", choice="Accept partial", note="auto_accept_partial", at=stamp)
            )
        else:
            record.final = None
            s.pending_decision = PendingDecision(
                kind="stall", reason=why, options=STALL_OPTIONS, spec=spec, raised_at=stamp
            )

    trial_session = ctx.session.model_copy(deep=True)
    apply(trial_session)
    if escalate and not auto:
        ctx.store.transition("STALLED", why, apply)
    elif all_final(trial_session):
        ctx.store.transition("ALIGNING", "refinement: every spec converged or accepted as partial", apply)
    else:
        ctx.store.update(apply)
    write_summary(ctx)
    after = ctx.session
    return {
        "status": "ok",
        "session": ctx.label,
        "spec": spec,
        "round": new_round.round,
        "open_gaps": open_gaps,
        "open_critical": open_critical,
        "open_ids": open_ids,
        "open_notes": notes,
        "verdict": result.verdict,
        "auto_accepted": auto,
        "rounds_without_reduction": result.rounds_without_reduction,
        "final": after.refinement[spec].final,
        "pending_decision": after.pending_decision.model_dump(mode="json")
        if after.pending_decision
        else None,
        "remaining_specs": [s for s, r in after.refinement.items() if not r.final],
    }
