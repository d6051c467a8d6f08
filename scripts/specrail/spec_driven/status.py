"""Where a session stands: state, outputs present and valid, pending decision, and the precise next step."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from specrail import states
from specrail.errors import TransitionRefused, UsageFailure
from specrail.models.session import SpecDrivenSession
from specrail.spec_driven import reports
from specrail.spec_driven.implement import FINISHED
from specrail.spec_driven.session import Ctx, active_sessions, open_ctx, rel
from specrail.spec_driven.snapshot import sha256
from specrail.spec_driven.tasks import require_fresh, spec_hash
from specrail.validation.check import check_file

PHASE_OF_STATE = {
    "PENDING": 1,
    "SPEC_UPDATE": 2,
    "REFINING": 3,
    "STALLED": 3,
    "ALIGNING": 4,
    "IMPLEMENTING": 5,
    "VALIDATING": 6,
    "COMMITTING": 7,
    "COMPLETE": 8,
}
# Outputs of the phases before this number should exist in the state.
REACHED = {**PHASE_OF_STATE, "STALLED": 4}


def _cmd(ctx: Ctx, step: str, *args: str) -> str:
    return " ".join(["specrail spec-driven", step, "--session", shlex.quote(ctx.label), *args, "--json"])


def _step(step: str, instruction: str, command: str | None = None) -> dict[str, Any]:
    return {"step": step, "instruction": instruction, "command": command}


def _pending(ctx: Ctx) -> dict[str, Any]:
    s = ctx.session
    path = ctx.dir / reports.PROPOSAL
    where = f"{ctx.label}/{reports.PROPOSAL}"
    if not path.is_file():
        return _step(
            "write-proposal",
            f"Write {where}: `## Proposal Summary`, then **Request:** (paraphrased), **Intent:**, "
            "**Affected Specs:** (one `- path - sections` line each, `(new)` after a spec to create), "
            "**Key Changes:** (numbered), **Open Questions:** (a list, or None); then record it.",
            _cmd(ctx, "proposal"),
        )
    if s.proposal is None or sha256(path.read_bytes()) != s.proposal.sha256:
        return _step("record-proposal", f"Record {where}.", _cmd(ctx, "proposal"))
    for number, q in enumerate(s.proposal.open_questions, start=1):
        if q.answer is None:
            return _step(
                "answer-question",
                f"Ask the user open question {number} (AskUserQuestion): {q.question} "
                "Then record the answer.",
                _cmd(ctx, "answer-question", "--number", str(number), "--answer", "'...'"),
            )
    if not s.proposal.confirmed:
        return _step(
            "confirm-proposal",
            "Show the proposal summary to the user; once they confirm it is "
            "accurate, record the confirmation.",
            _cmd(ctx, "proposal", "--confirm"),
        )
    return _step("start-update", "Take the snapshots and start the spec update.", _cmd(ctx, "start-update"))


def _implementing(ctx: Ctx) -> dict[str, Any]:
    s = ctx.session
    if not s.tasks:
        return _step("tasks", "Extract the implementation tasks from the diff records.", _cmd(ctx, "tasks"))
    try:
        require_fresh(ctx, "task-start")
    except TransitionRefused as exc:
        rediff = (exc.pointer or "").startswith("/diffs/")
        gone = [spec for spec in s.diffs if spec_hash(ctx, spec) is None] if rediff else []
        restore = (
            f"Restore {', '.join(gone)} (a spec is deprecated section by section, not deleted); "
            if gone
            else ""
        )
        return _step(
            "diff" if rediff else "tasks",
            f"{restore}A spec changed after the tasks were planned: record its diff again, then re-plan "
            "the tasks (finished tasks whose section did not change stay done).",
            _cmd(ctx, "diff") if rediff else _cmd(ctx, "tasks"),
        )
    busy = next((t for t in s.tasks if t.status == "in_progress"), None)
    if busy:
        return _step(
            "task-done",
            f"Implement {busy.id} {busy.title} ({busy.spec_ref}) in "
            f"{', '.join(busy.affected_files) or 'the files it needs'}; then record it with the files "
            "you changed.",
            _cmd(ctx, "task-done", busy.id, "--files", "PATH,..."),
        )
    status = {t.id: t.status for t in s.tasks}
    ready = next(
        (
            t
            for t in s.tasks
            if t.status not in FINISHED and all(status.get(d) in FINISHED for d in t.depends_on)
        ),
        None,
    )
    if ready:
        return _step(
            "task-start",
            f"Start {ready.id} {ready.title} ({ready.spec_ref}); name the files it will "
            "change with --files so they can be rolled back.",
            _cmd(ctx, "task-start", ready.id, "--files", "PATH,..."),
        )
    if any(t.status not in FINISHED for t in s.tasks):
        return _step(
            "blocked-tasks", "Unfinished tasks wait on each other; check `tasks`.", _cmd(ctx, "tasks")
        )
    failed = [r.name for r in s.verification if r.status in ("FAIL", "TIMEOUT")]
    if failed:
        return _step(
            "verify",
            f"Verification failed ({', '.join(failed)}): fix the code, then verify again.",
            _cmd(ctx, "verify"),
        )
    return _step("verify", "Run the full verification.", _cmd(ctx, "verify"))


def _validating(ctx: Ctx) -> dict[str, Any]:
    from specrail.spec_driven.validation import changed_paths, plan

    s = ctx.session
    unjudged = plan(s.config, s.overrides.validation, changed_paths(ctx), s.judgements).unjudged
    if unjudged:
        conditions = "; ".join(f"{c.name}: {c.when}" for c in unjudged)
        return _step(
            "judge-conditions",
            f"Ask the validator agent whether each condition holds for this change ({conditions}), "
            "then record each verdict.",
            _cmd(ctx, "validate-plan", "--judged", f"'{unjudged[0].name}=yes: why'"),
        )
    return _step("run-validations", "Run the validations of the plan.", _cmd(ctx, "run-validations"))


def _committing(ctx: Ctx) -> dict[str, Any]:
    s = ctx.session
    if s.commit_choice is not None and s.commit_choice.not_yet:
        return _step(
            "commit-plan",
            "The user chose not to commit yet. When they want to commit, show the "
            "commit plan again and ask: Commit, Adjust, Don't commit yet.",
            _cmd(ctx, "commit-plan"),
        )
    if s.commit_choice is None:
        return _step(
            "commit-plan",
            "Show the user the commit plan (commits, files with line counts, messages, left-out files) "
            "and ask: Commit, Adjust, Don't commit yet. Commit: `commit --confirm` (it commits the plan "
            "last shown). Adjust: ask what to change (--grouping single|by_phase|by_file, --scope, "
            "--description, --issue, or --message for one commit), run commit-plan with it and ask "
            "again. Don't commit yet: `commit --skip --note 'why'` (the session waits in COMMITTING; "
            "--resume picks it up).",
            _cmd(ctx, "commit-plan"),
        )
    return _step(
        "commit",
        "Commit the plan last shown once the user confirms it; Adjust: run commit-plan again with "
        "other options; Don't commit yet: `commit --skip`.",
        _cmd(ctx, "commit", "--confirm"),
    )


def next_step(ctx: Ctx) -> dict[str, Any]:
    """The one thing to do now, as an instruction and (where mechanical) the command."""
    s = ctx.session
    d = s.pending_decision
    if d is not None:
        options = ", ".join(d.options)
        return _step(
            "resolve",
            f"Ask the user (AskUserQuestion): {d.reason}. Options: {options}. Then apply their choice.",
            _cmd(ctx, "resolve", "--choice", "'<option>'"),
        )
    state = s.state
    if state == "PENDING":
        return _pending(ctx)
    if state == "SPEC_UPDATE":
        todo = [spec for spec in s.snapshots if spec not in s.diffs]
        return _step(
            "diff",
            f"Edit {', '.join(todo) or 'the specs'}: apply the key changes section by section and keep "
            "the headings (sections are matched by number, else by heading path, and by title when "
            "renumbered); mark a retired section [DEPRECATED] with a **Deprecated:** line instead of "
            "deleting it; name code files in backticks (`src/x.py`); add `Depends: N.N` where order "
            "matters; a versioned spec also gets a raised version and a Revision History row. Then "
            "record the diffs. To add a spec later, run `snapshot --spec PATH` before editing it.",
            _cmd(ctx, "diff"),
        )
    if state == "REFINING":
        spec = next(p for p, r in s.refinement.items() if not r.final) if s.refinement else ""
        done = s.refinement[spec].rounds if spec else []
        last = done[-1] if done else None
        carried = ""
        if last is not None and last.open_ids:
            marked = [f"{g} (CRITICAL)" if g in last.open_critical_ids else g for g in last.open_ids]
            carried = f" Give the refiner the gaps still open after round {last.round}: {', '.join(marked)}."
        elif last is not None and last.open_gaps:
            carried = f" {last.open_gaps} gaps were still open after round {last.round}."
        return _step(
            "refine-round",
            f"Refinement round {len(done) + 1} of {spec}: review it (spec-refiner agent), fix "
            f"the gaps in the spec, then record the round: --open is the refiner's `open:` list "
            "('G1:CRITICAL,G4', or none), with one --decision 'what - Rationale: why' and one "
            f"--deferred 'what - Reason: why' per item it reported.{carried}",
            _cmd(
                ctx,
                "refine-round",
                "--spec",
                spec,
                "--found",
                "N",
                "--resolved",
                "N",
                "--open",
                "'ID[:CRITICAL],...'",
            ),
        )
    if state == "ALIGNING" and s.overrides.skip_alignment:
        return _step(
            "align-check",
            "Alignment is skipped (--skip-alignment): no aligner review; record the skip.",
            _cmd(ctx, "align-check"),
        )
    if state == "ALIGNING":
        return _step(
            "align-check",
            "Run the alignment check with each of the aligner agent's findings as "
            "--finding SEVERITY:file:message (every finding is kept). CRITICAL findings block until "
            "the specs are fixed; MEDIUM ones become phase 5 tasks (action align: fix the spec they "
            "name); LOW ones are logged as deferred items.",
            _cmd(ctx, "align-check"),
        )
    if state == "IMPLEMENTING":
        return _implementing(ctx)
    if state == "VALIDATING":
        return _validating(ctx)
    if state == "COMMITTING":
        return _committing(ctx)
    if state == "COMPLETE":
        return _step("done", f"Nothing left: tell the user what {ctx.label}/{reports.SUMMARY} says.")
    return _step("none", "The session was aborted; start another with `specrail spec-driven init`.")


def outputs(ctx: Ctx) -> list[dict[str, Any]]:
    s = ctx.session
    reached = REACHED.get(s.state, 8)
    if s.state == "BLOCKED":
        reached = 5 if s.pending_decision and s.pending_decision.kind == "alignment" else 7
    files: list[tuple[int, str, str, bool]] = [
        (0, "workflow-session.json", "workflow-session", True),
        (1, reports.PROPOSAL, "proposal", True),
    ]
    for summary in s.diffs.values():
        files += [
            (2, summary.record, "diff-record", True),
            (2, summary.record.replace(".diff.md", ".diff.json"), "diff-record-json", True),
        ]
    alignment_needed = bool(s.alignment and s.alignment.triggered)
    files += [
        (3, reports.REFINEMENT_SUMMARY, "refinement-summary", True),
        (4, reports.ALIGNMENT_REPORT, "alignment-report", alignment_needed),
        (5, reports.IMPLEMENTATION_LOG, "implementation-log", True),
        (6, reports.VALIDATION_REPORT, "validation-report", True),
        (7, reports.SUMMARY, "summary", True),
    ]
    out = []
    for phase, name, kind, needed in files:
        path = ctx.dir / name
        present = path.is_file()
        result = check_file(path, kind, ctx.root, f"{ctx.label}/{name}") if present else None
        out.append(
            {
                "file": f"{ctx.label}/{name}",
                "kind": kind,
                "phase": phase,
                "present": present,
                "expected": needed and phase < reached and s.state != "ABORTED",
                "valid": result.ok if result else None,
                "errors": [i.line() for i in result.errors][:5] if result else [],
            }
        )
    return out


def progress(s: SpecDrivenSession) -> dict[str, Any]:
    return {
        "open_questions": sum(
            1 for q in (s.proposal.open_questions if s.proposal else []) if q.answer is None
        ),
        "specs": {
            spec: {
                "version": f"{d.version_before} -> {d.version_after}",
                "added": d.added,
                "modified": d.modified,
                "deprecated": d.deprecated,
            }
            for spec, d in s.diffs.items()
        },
        "refinement": {
            spec: {
                "rounds": len(r.rounds),
                "final": r.final,
                "open_gaps": r.rounds[-1].open_gaps if r.rounds else None,
            }
            for spec, r in s.refinement.items()
        },
        "tasks": {
            status: sum(1 for t in s.tasks if t.status == status)
            for status in ("pending", "in_progress", "done", "failed", "rolled_back", "skipped")
        },
        "validations": {r.name: r.status for r in s.validations},
        "commits": [c.hash[:12] if c.hash else "the commit with this record" for c in s.commits],
    }


def status(root: Path, session: str | None) -> dict[str, Any]:
    """Everything `status` reports; with no session, how to start one."""
    try:
        ctx = open_ctx(root, session)
    except UsageFailure:
        if session:
            raise
        finished = active_sessions(root, finished=True)
        if finished:  # nothing active: report the latest session, finished or aborted
            return status(root, str(finished[0]))
        return {
            "status": "ok",
            "session": None,
            "state": None,
            "active_sessions": [],
            "next": _step(
                "init",
                "No active session: start one for the user's request.",
                'specrail spec-driven init "REQUEST" --json',
            ),
        }
    s = ctx.session
    found = outputs(ctx)
    return {
        "status": "ok",
        "session": ctx.label,
        "feature": s.feature,
        "request": s.request,
        "state": s.state,
        "phase": PHASE_OF_STATE.get(s.state),
        "allowed_next": list(states.allowed("spec-driven", s.state)),
        "overrides": s.overrides.model_dump(mode="json"),
        "pending_decision": s.pending_decision.model_dump(mode="json") if s.pending_decision else None,
        "outputs": found,
        "problems": [e for o in found for e in o["errors"]]
        + [f"{o['file']}: missing" for o in found if o["expected"] and not o["present"]],
        "progress": progress(s),
        "last_transition": s.history[-1].model_dump(mode="json", by_alias=True) if s.history else None,
        "active_sessions": [rel(root, p) for p in active_sessions(root)],
        "next": next_step(ctx),
    }


def with_next(root: Path, answer: dict[str, Any]) -> dict[str, Any]:
    """Add the session's state and next step to a command's answer."""
    label = answer.get("session")
    if not label:
        return answer
    ctx = open_ctx(root, label)
    return {**answer, "state": ctx.session.state, "next": next_step(ctx)}
