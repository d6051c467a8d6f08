"""Where a session stands: state, outputs present and valid, pending decision, and the precise next step."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

from specrail import fileio, model_text, signing, states
from specrail.errors import SpecrailError, TransitionRefused, UsageFailure
from specrail.models.session import SpecDrivenSession
from specrail.spec_driven import reports
from specrail.spec_driven.implement import FINISHED
from specrail.spec_driven.outputs import PHASE_OF_STATE, outputs, problems
from specrail.spec_driven.session import Ctx, active_sessions, open_ctx, rel
from specrail.spec_driven.snapshot import sha256
from specrail.spec_driven.tasks import require_fresh, spec_hash

INSTRUCTION_MAX = 4000


def _cmd(ctx: Ctx, step: str, *args: str) -> str:
    return " ".join(["specrail spec-driven", step, "--session", shlex.quote(ctx.label), *args, "--json"])


def _step(step: str, instruction: str, command: str | None = None) -> dict[str, Any]:
    """The next step; its instruction quotes repository text (questions, reasons, spec names), so
    it is model context made data: control, bidi and line-separator characters escaped."""
    return {"step": step, "instruction": model_text.data(instruction, INSTRUCTION_MAX), "command": command}


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
    if s.proposal is None or sha256(fileio.read_bytes(path, str(path))) != s.proposal.sha256:
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
            _cmd(ctx, "confirm-proposal"),
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
            f"{', '.join(busy.affected_files) or 'the files it needs'}; then record it (the files "
            "it changed are measured from task-start).",
            _cmd(ctx, "task-done", busy.id),
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
    stuck = [r for r in s.verification if r.environment]
    if stuck:
        names = ", ".join(f"{r.name}: {model_text.data(r.environment, 200)}" for r in stuck)
        return _step(
            "verify",
            f"Verification could not run in the project's environment ({names}). This is not a failure "
            "of the code: tell the user what is missing; once it is installed, or "
            "spec_driven_feature.commands.NAME.run in .specrail.yaml names a command that works here, "
            "verify again.",
            _cmd(ctx, "verify"),
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
        spec = next((p for p, r in s.refinement.items() if not r.final), "")
        done = s.refinement[spec].rounds if spec else []
        last = done[-1] if done else None
        carried = ""
        if last is not None and last.open_ids:
            marked = [
                (f"{g} (CRITICAL)" if g in last.open_critical_ids else g)
                + (f": {model_text.data(last.open_notes[g], 300)}" if g in last.open_notes else "")
                for g in last.open_ids
            ]
            carried = f" Give the refiner the gaps still open after round {last.round}: {'; '.join(marked)}."
        elif last is not None and last.open_gaps:
            carried = f" {last.open_gaps} gaps were still open after round {last.round}."
        return _step(
            "refine-round",
            f"Refinement round {len(done) + 1} of {spec}: review it (spec-refiner agent), fix "
            "the gaps in the spec, then record the round: one --open per line of the refiner's "
            "`open:` list, as written ('G1:CRITICAL - what it is'; --open none when none is left), "
            "one --decision 'what - Rationale: why' and one "
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
                "'ID[:CRITICAL] - what it is' ...",
            ),
        )
    if state == "ALIGNING":
        from specrail.spec_driven.align import outlook

        run, reasons = outlook(ctx)
        if not run:
            why = "--skip-alignment" if s.overrides.skip_alignment else reasons[0]
            return _step(
                "align-check",
                f"Alignment is skipped ({why}): no aligner review; record the skip.",
                _cmd(ctx, "align-check"),
            )
        return _step(
            "align-check",
            f"Alignment runs ({model_text.data('; '.join(reasons), 400)}): run the alignment check with "
            "each of the aligner agent's findings as --finding SEVERITY:file:message (every finding is "
            "kept). CRITICAL findings block until the specs are fixed; MEDIUM ones become phase 5 tasks "
            "(action align: fix the spec they name); LOW ones are logged as deferred items.",
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
    decision = s.pending_decision.model_dump(mode="json") if s.pending_decision else None
    if decision is not None:
        decision["reason"] = model_text.data(decision["reason"], INSTRUCTION_MAX)
    own = _own(ctx)
    return {
        "status": "ok",
        "session": ctx.label,
        "feature": s.feature,
        "request": model_text.data(s.request, INSTRUCTION_MAX),
        "signed": own,
        "state": s.state,
        "phase": PHASE_OF_STATE.get(s.state),
        "allowed_next": list(states.allowed("spec-driven", s.state)),
        "overrides": s.overrides.model_dump(mode="json"),
        "pending_decision": decision,
        "outputs": found,
        "problems": problems(ctx, found),
        "progress": progress(s),
        "last_transition": s.history[-1].model_dump(mode="json", by_alias=True) if s.history else None,
        "active_sessions": [rel(root, p) for p in active_sessions(root)],
        "next": next_step(ctx) if own else _foreign_step(ctx),
    }


def _own(ctx: Ctx) -> bool:
    try:
        return signing.is_own(ctx.store.read_raw())
    except SpecrailError:
        return False


def _foreign_step(ctx: Ctx) -> dict[str, Any]:
    return _step(
        "adopt",
        "This session was not created on this machine (no valid signature): no step changes it. "
        "Show the user its state and history; only if they accept it, adopt it.",
        f"specrail spec-driven adopt --session {shlex.quote(str(ctx.dir))}",
    )


def with_next(root: Path, answer: dict[str, Any]) -> dict[str, Any]:
    """Add the session's state and next step to a command's answer."""
    label = answer.get("session")
    if not label:
        return answer
    ctx = open_ctx(root, label)
    return {**answer, "state": ctx.session.state, "next": next_step(ctx)}
