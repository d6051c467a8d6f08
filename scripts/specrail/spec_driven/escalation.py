"""The user's answer to an escalation (STALLED, BLOCKED, a failed task), applied through the state machine.

| decision       | option              | effect                                                        |
|----------------|---------------------|---------------------------------------------------------------|
| stall          | Continue            | STALLED -> REFINING, a fresh window of rounds for the spec    |
| stall          | Reduce scope        | STALLED -> REFINING, the reduced scope logged as deferred     |
| stall          | Accept partial      | STALLED -> ALIGNING (or REFINING while other specs refine)    |
| alignment      | Fix & Retry         | BLOCKED -> ALIGNING                                           |
| validation     | Fix & Retry         | BLOCKED -> VALIDATING                                         |
| validation     | Skip Validation     | BLOCKED -> COMMITTING, the failures logged as deferred        |
| validation     | Rollback to Phase 5 | BLOCKED -> IMPLEMENTING, verification to be run again         |
| alignment/val. | Rollback to Phase 3 | BLOCKED -> REFINING, every spec refines again                 |
| implementation | Diagnose & Fix      | the task goes back to pending (state stays IMPLEMENTING)      |
| implementation | Rollback Change     | the task's files restored, the task skipped and logged        |
| implementation | Pause for User      | the task goes back to pending for the user to fix by hand     |
| implementation | Abort Phase         | every unfinished task skipped; next is `verify`               |
| evidence       | Add tests           | BLOCKED -> VALIDATING, the validations (and evidence) again   |
| evidence       | Accept unproven     | BLOCKED -> COMMITTING, each unproven section with the reason  |
| implementation | No change needed    | the task that changed nothing is done, by the user's word     |
| implementation | Implement it        | the task stays in progress; `task-done` again once changed    |
| any            | Abort               | -> ABORTED                                                    |
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from specrail.decisions import users_only
from specrail.errors import InvalidInput, UsageFailure
from specrail.fileio import now
from specrail.models.session import SpecDrivenSession
from specrail.models.spec_driven import CommandResult, DecisionRecord, PendingDecision
from specrail.spec_driven import evidence, generated, implement, reports, task_restore
from specrail.spec_driven.refine import all_final, deferred_criticals
from specrail.spec_driven.session import Ctx, one_at_a_time, open_ctx, require

ALIGNMENT_OPTIONS = ["Fix & Retry", "Rollback to Phase 3", "Abort"]
Change = Callable[[SpecDrivenSession], None]


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def pick(decision: PendingDecision, choice: str) -> str:
    """The option named by `choice`: its number, its text, or an unambiguous start of it."""
    options = decision.options
    if choice.strip().isdigit() and 1 <= int(choice) <= len(options):
        return options[int(choice) - 1]
    wanted = _norm(choice)
    exact = [o for o in options if _norm(o) == wanted]
    starts = [o for o in options if wanted and _norm(o).startswith(wanted)]
    found = exact or starts
    if len(found) != 1:
        raise UsageFailure(f"choice {choice!r} is not one of: {', '.join(options)}")
    return found[0]


def reopen_refinement(s: SpecDrivenSession) -> None:
    """Every spec refines again from a fresh window; later phases run again."""
    for record in s.refinement.values():
        record.final = None
        record.window_start = len(record.rounds)
    s.alignment = None
    s.verification = []
    s.validations = []
    s.validation_plan = []


def _stall(choice: str, d: PendingDecision, note: str, s: SpecDrivenSession) -> tuple[str | None, Change]:
    spec = d.spec or ""

    def fresh_window(x: SpecDrivenSession) -> None:
        record = x.refinement[spec]
        record.window_start = len(record.rounds)

    if choice == "Continue":
        return "REFINING", fresh_window
    if choice == "Reduce scope":
        if not note:
            raise UsageFailure("say what is left out: `resolve --choice 'Reduce scope' --note '...'`")

        def reduce(x: SpecDrivenSession) -> None:
            fresh_window(x)
            x.deferred_items.append(f"Scope reduced for {spec}: {note}")

        return "REFINING", reduce

    def accept(x: SpecDrivenSession) -> None:
        record = x.refinement[spec]
        record.final = "ACCEPTED_PARTIAL"
        gaps = record.rounds[-1].open_gaps if record.rounds else 0
        x.deferred_items.append(f"Refinement: {spec}: {gaps} open gaps accepted (partial)")
        if record.rounds:
            x.deferred_items.extend(deferred_criticals(spec, record.rounds[-1]))

    trial = s.model_copy(deep=True)
    accept(trial)
    return ("ALIGNING" if all_final(trial) else "REFINING"), accept


def _blocked(choice: str, d: PendingDecision, note: str, s: SpecDrivenSession) -> tuple[str | None, Change]:
    if choice == "Fix & Retry":
        return ("ALIGNING" if d.kind == "alignment" else "VALIDATING"), lambda x: None
    if choice == "Rollback to Phase 3":
        return "REFINING", reopen_refinement
    if choice == "Rollback to Phase 5":

        def back(x: SpecDrivenSession) -> None:
            x.verification, x.validations, x.validation_plan = [], [], []

        return "IMPLEMENTING", back

    def skip(x: SpecDrivenSession) -> None:  # Skip Validation
        failed = [
            r for r in x.validations if r.critical and r.status in ("FAIL", "TIMEOUT", "NOT_CONFIGURED")
        ]
        x.deferred_items.extend(
            f"Validation skipped after {r.status}: {r.name} ({r.summary})" for r in failed
        )

    return "COMMITTING", skip


def _evidence(choice: str, note: str) -> tuple[str | None, Change]:
    if choice == "Add tests":  # the tests are written and linked, then the validations run again
        return "VALIDATING", lambda x: None
    if not note:
        raise UsageFailure("say why: `resolve --choice 'Accept unproven' --note 'the reason'`")
    return "COMMITTING", lambda x: evidence.accept(x, note)


def _task(ctx: Ctx, choice: str, d: PendingDecision, note: str) -> tuple[str | None, Change]:
    task = implement.find(ctx.session, d.task or "")
    if choice == "No change needed":

        def accept(x: SpecDrivenSession) -> None:
            t = implement.find(x, task.id)
            why = f"no change needed (the user's decision){': ' + note if note else ''}"
            t.status, t.files_changed, t.note = "done", [], f"{t.note}; {why}" if t.note else why
            t.check = CommandResult(
                name="check", command=None, status="SKIPPED", duration_s=0.0, reason="no file changed"
            )

        return None, accept
    if choice == "Implement it":
        return None, lambda x: None
    if choice in ("Diagnose & Fix", "Pause for User"):
        reason = (
            "paused for the user to fix by hand" if choice == "Pause for User" else "to be fixed and re-run"
        )

        def again(x: SpecDrivenSession) -> None:
            t = implement.find(x, task.id)
            t.status = "pending"
            t.note = f"{t.note}; {choice}: {note or reason}" if t.note else f"{choice}: {note or reason}"
            implement.settle(x, task.id, f"the user chose {choice}: {note or reason}", close=False)

        return None, again
    if choice == "Rollback Change":
        restored = task_restore.restore(ctx, task) if task.status != "rolled_back" else []

        def drop(x: SpecDrivenSession) -> None:
            t = implement.find(x, task.id)
            t.status = "skipped"
            if restored:
                done = "rolled back: " + ", ".join(restored)
            elif task.status == "rolled_back":
                done = "rolled back when the check failed"
            else:
                done = "dropped; no copy was taken at task-start, so its files are left as they are"
            t.note = f"{t.note}; {note or done}" if t.note else note or done
            implement.settle(x, task.id, f"the user chose Rollback Change: {note or done}")
            x.deferred_items.append(f"Implementation: {t.id} {t.title} rolled back")

        return None, drop

    def stop(x: SpecDrivenSession) -> None:  # Abort Phase
        implement.settle(x, task.id, f"the user chose Abort Phase: {note or 'implementation phase aborted'}")
        for t in x.tasks:
            if t.status not in implement.FINISHED:
                if t.status == "in_progress":
                    task_restore.restore(ctx, t)
                stop_note = note or "implementation phase aborted"
                t.status, t.note = "skipped", f"{t.note}; {stop_note}" if t.note else stop_note
                x.deferred_items.append(f"Implementation: {t.id} {t.title} not implemented (phase aborted)")

    return None, stop


@one_at_a_time
def resolve(root: Path, session: str | None, choice: str, note: str = "") -> dict[str, Any]:
    """Apply the user's choice for the pending decision; record it; clear the decision."""
    ctx = open_ctx(root, session)
    require(ctx, "resolve", "STALLED", "BLOCKED", "IMPLEMENTING", decision_ok=True)
    decision = ctx.session.pending_decision
    if decision is None:
        raise InvalidInput("no decision is pending", file=str(ctx.store.path), pointer="/pending_decision")
    picked = pick(decision, choice)
    if decision.user_choice is not None and picked != decision.user_choice:
        users_only(
            f"choosing {picked!r}",
            f"the user chose {decision.user_choice!r} when asked; run "
            f"`specrail spec-driven resolve --choice {decision.user_choice!r}`",
            file=str(ctx.store.path),
            pointer="/pending_decision/user_choice",
        )
    target: str | None
    if picked == "Abort":
        target, change = "ABORTED", (lambda x: None)
    elif decision.kind == "stall":
        target, change = _stall(picked, decision, note, ctx.session)
    elif decision.kind == "evidence":
        target, change = _evidence(picked, note)
    elif decision.kind in ("alignment", "validation"):
        target, change = _blocked(picked, decision, note, ctx.session)
    else:
        target, change = _task(ctx, picked, decision, note)
    stamp = now()

    def apply(s: Any) -> None:
        change(s)
        s.pending_decision = None
        s.decisions.append(DecisionRecord(kind=decision.kind, choice=picked, note=note, at=stamp))

    if target is None:
        ctx.store.update(apply)
    else:
        ctx.store.transition(target, f"user chose {picked!r} ({decision.reason})", apply)
    after = ctx.reload()
    if decision.kind == "stall":
        generated.write(ctx, reports.REFINEMENT_SUMMARY, reports.refinement_summary(after))
    if decision.kind == "implementation":
        generated.write(ctx, reports.IMPLEMENTATION_LOG, reports.implementation_log(after))
    return {
        "status": "ok",
        "session": ctx.label,
        "decision": decision.kind,
        "choice": picked,
        "state": after.state,
    }
