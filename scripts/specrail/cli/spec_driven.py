"""`specrail spec-driven ...`: the mechanical steps of /workflow:spec-driven.

Each command turns its options into one library call, adds the session's state and next step to
the answer, and prints it. Exit 0 when the step succeeded, 1 when a check failed or the state
machine refused the step (nothing written), 2 on usage or I/O errors. Phases 5 to 7 are in
`spec_driven_build`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from specrail.cli.common import common_options, emit
from specrail.cli.evidence import rebase
from specrail.cli.spec_driven_build import COMMANDS
from specrail.cli.spec_driven_options import respond, session_option, split, text


@click.group("spec-driven")
def spec_driven() -> None:
    """Steps of /workflow:spec-driven that are not judgement.

    \b
    Example:
      specrail spec-driven init "Add tags to notes" --validation=standard
      specrail spec-driven status --json
    """


@spec_driven.command()
@click.argument("request", required=False, default="")
@click.option("--feature", help="Feature name (slugged); default: from the request.")
@click.option("--skip-alignment", is_flag=True, default=None, help="Do not run phase 4.")
@click.option("--validation", type=click.Choice(["minimal", "standard", "full"]), help="Validation level.")
@click.option("--max-rounds", type=click.IntRange(1, 50), help="Refinement rounds before escalation.")
@click.option("--resume", is_flag=True, help="Continue the newest active session (or --session).")
@click.option("--abort", is_flag=True, help="Abort the newest active session (or --session).")
@click.option("--reason", default="cancelled by the user", help="Why (with --abort).")
@session_option
@common_options
def init(
    request: str,
    feature: str | None,
    skip_alignment: bool | None,
    validation: str | None,
    max_rounds: int | None,
    resume: bool,
    abort: bool,
    reason: str,
    session: str | None,
    root: Path,
    as_json: bool,
) -> int:
    """Create specs/meta/sessions/{feature}_{date}/ in PENDING (or resume the one of today).

    \b
    Example:
      specrail spec-driven init "Add tags to notes" --skip-alignment --max-rounds 3 --json
      specrail spec-driven init --resume --json
    """
    from specrail.decisions import users_only
    from specrail.errors import UsageFailure
    from specrail.spec_driven import session as sessions
    from specrail.spec_driven.status import status

    if abort:
        users_only(
            "aborting the session",
            "ask the user, then run `specrail spec-driven abort --reason ...` (the client asks them first)",
        )
        return respond(root, sessions.abort(root, session, reason), as_json)
    if resume or (session and not request):
        return respond(root, status(root, session), as_json)
    if not request:
        raise UsageFailure("give the feature request, or --resume")
    overrides = {"skip_alignment": skip_alignment, "validation": validation, "max_rounds": max_rounds}
    answer = sessions.init(root, request, feature=feature, overrides=overrides)
    return respond(root, answer, as_json)


@spec_driven.command()
@click.option("--skip-alignment/--no-skip-alignment", default=None, help="Skip phase 4, or run it again.")
@click.option("--validation", type=click.Choice(["minimal", "standard", "full"]), help="Validation level.")
@click.option("--max-rounds", type=click.IntRange(1, 50), help="Refinement rounds before escalation.")
@session_option
@common_options
def settings(
    skip_alignment: bool | None,
    validation: str | None,
    max_rounds: int | None,
    session: str | None,
    root: Path,
    as_json: bool,
) -> int:
    """Change a running session's settings: the user's decision (the client asks them first).

    \b
    Example:
      specrail spec-driven settings --validation full --json
    """
    from specrail.spec_driven.settings import change

    given = {"skip_alignment": skip_alignment, "validation": validation, "max_rounds": max_rounds}
    return respond(root, change(root, session, given), as_json)


@spec_driven.command()
@click.option("--session", required=True, help="The session folder to take over.")
@common_options
def adopt(session: str, root: Path, as_json: bool) -> int:
    """Take over a session this machine did not create (a cloned or hand-edited record), after the
    user reviewed it: specrail signs it as it is, and its steps may change it again.

    \b
    Example:
      specrail spec-driven adopt --session specs/meta/sessions/note-tags_2026-01-20
    """
    from specrail.cli.synthesis import adopted_text
    from specrail.spec_driven.session import SESSION_FILE, locate
    from specrail.store import SessionStore

    answer = SessionStore(locate(root, session) / SESSION_FILE).adopt()
    emit(answer, as_json, adopted_text)
    return 0


@spec_driven.command()
@click.option("--reason", required=True, help="Why the user cancelled.")
@session_option
@common_options
def abort(reason: str, session: str | None, root: Path, as_json: bool) -> int:
    """Cancel the session (-> ABORTED, with the reason in the history).

    \b
    Example:
      specrail spec-driven abort --reason "superseded by another design" --json
    """
    from specrail.spec_driven.session import abort as run

    return respond(root, run(root, session, reason), as_json)


@spec_driven.command()
@click.option("--confirm", is_flag=True, help="The user confirmed the summary is accurate.")
@session_option
@common_options
def proposal(confirm: bool, session: str | None, root: Path, as_json: bool) -> int:
    """Phase 1: check proposal.md (Proposal Summary layout) and record it.

    \b
    Example:
      specrail spec-driven proposal --json
    """
    from specrail.decisions import users_only
    from specrail.spec_driven.proposal import record

    if confirm:
        users_only(
            "confirming the proposal",
            "ask the user, then run `specrail spec-driven confirm-proposal` (the client asks them first)",
        )
    return respond(root, record(root, session, confirm=confirm), as_json)


@spec_driven.command("confirm-proposal")
@session_option
@common_options
def confirm_proposal(session: str | None, root: Path, as_json: bool) -> int:
    """Phase 1: the user confirmed the proposal summary (a decision step: the client asks the user).

    \b
    Example:
      specrail spec-driven confirm-proposal --json
    """
    from specrail.spec_driven.proposal import record

    return respond(root, record(root, session, confirm=True), as_json)


@spec_driven.command("answer-question")
@click.option("--number", type=int, required=True, help="Open question number (1-based).")
@click.option("--answer", "text", required=True, help="The user's answer.")
@session_option
@common_options
def answer_question(number: int, text: str, session: str | None, root: Path, as_json: bool) -> int:
    """Phase 1: record the user's answer to an open question.

    \b
    Example:
      specrail spec-driven answer-question --number 1 --answer "Tags are case-insensitive" --json
    """
    from specrail.spec_driven.proposal import answer

    return respond(root, answer(root, session, number, text), as_json)


@spec_driven.command("start-update")
@session_option
@common_options
def start_update(session: str | None, root: Path, as_json: bool) -> int:
    """PENDING -> SPEC_UPDATE (proposal confirmed, questions answered); snapshots the specs.

    \b
    Example:
      specrail spec-driven start-update --json
    """
    from specrail.spec_driven.proposal import start_update as run

    return respond(root, run(root, session), as_json)


@spec_driven.command()
@click.option("--spec", "specs", multiple=True, help="Spec to snapshot (default: the proposal's).")
@session_option
@common_options
def snapshot(specs: tuple[str, ...], session: str | None, root: Path, as_json: bool) -> int:
    """Phase 2: record the "before" of affected specs (a first snapshot is never replaced).

    \b
    Example:
      specrail spec-driven snapshot --spec specs/storage.md --json
    """
    from specrail.spec_driven.snapshot import snapshot as run

    return respond(root, run(root, session, split(specs)), as_json)


@spec_driven.command()
@click.option("--spec", "specs", multiple=True, help="Spec to diff (default: every snapshotted spec).")
@click.option(
    "--implication", "implications", multiple=True, help="Implementation implication (with --spec)."
)
@session_option
@common_options
def diff(
    specs: tuple[str, ...], implications: tuple[str, ...], session: str | None, root: Path, as_json: bool
) -> int:
    """Phase 2: diff each spec against its snapshot; write spec_diffs/{spec}.diff.md and .diff.json.

    \b
    Example:
      specrail spec-driven diff --json
      specrail spec-driven diff --spec specs/notes.md --implication "New field Note.tags" --json
    """
    from specrail.spec_driven.diff import diff as run

    return respond(root, run(root, session, split(specs), list(implications) or None), as_json)


@spec_driven.command("refine-round")
@click.option("--spec", required=True, help="The spec this round reviewed.")
@click.option("--found", type=click.IntRange(0), required=True, help="Gaps found this round.")
@click.option("--resolved", type=click.IntRange(0), required=True, help="Gaps resolved this round.")
@click.option(
    "--open",
    "open_list",
    multiple=True,
    help="A gap still open: 'ID[:CRITICAL] - what it is' (one per --open), or 'ID[:CRITICAL],...'; "
    "'none' when none is.",
)
@click.option(
    "--open-critical", type=click.IntRange(0), help="CRITICAL gaps still open (when no --open list)."
)
@click.option("--decision", "decisions", multiple=True, help="Key decision: 'what - Rationale: why'.")
@click.option("--deferred", "deferred", multiple=True, help="Deferred item: 'what - Reason: why'.")
@session_option
@common_options
def refine_round(
    spec: str,
    found: int,
    resolved: int,
    open_list: tuple[str, ...],
    open_critical: int | None,
    decisions: tuple[str, ...],
    deferred: tuple[str, ...],
    session: str | None,
    root: Path,
    as_json: bool,
) -> int:
    """Phase 3: record a refinement round; CONVERGED / CONTINUE / STALLED / MAX_ROUNDS.
    The open count is the refiner's list of open gaps (--open), else previous + found - resolved.

    \b
    Example:
      specrail spec-driven refine-round --spec notes.md --found 3 --resolved 2 --open G2,G3:CRITICAL --json
      specrail spec-driven refine-round --spec notes.md --found 3 --resolved 3 --open-critical 0 --json
    """
    from specrail.spec_driven.refine import refine_round as run

    answer = run(
        root,
        session,
        spec,
        found=found,
        resolved=resolved,
        open_critical=open_critical,
        decisions=list(decisions),
        deferred=list(deferred),
        open_list=list(open_list) if open_list else None,
    )
    return respond(root, answer, as_json)


@spec_driven.command()
@click.option("--choice", required=True, help="One of the pending decision's options (text or number).")
@click.option("--note", default="", help="Details (required for 'Reduce scope').")
@session_option
@common_options
def resolve(choice: str, note: str, session: str | None, root: Path, as_json: bool) -> int:
    """Apply the user's choice for a STALLED, BLOCKED or failed-task decision.

    \b
    Example:
      specrail spec-driven resolve --choice "Accept partial" --json
    """
    from specrail.spec_driven.escalation import resolve as run

    return respond(root, run(root, session, choice, note), as_json)


@spec_driven.command("align-check")
@click.option("--finding", "findings", multiple=True, help="Aligner finding: SEVERITY:file:message.")
@session_option
@common_options
def align_check(findings: tuple[str, ...], session: str | None, root: Path, as_json: bool) -> int:
    """Phase 4: skip or run the alignment check; CRITICAL findings block.

    \b
    Example:
      specrail spec-driven align-check --json
    """
    from specrail.spec_driven.align import align_check as run

    return respond(root, run(root, session, list(findings)), as_json)


@spec_driven.command()
@session_option
@click.option("--mermaid", "as_mermaid", is_flag=True, help="Print the state diagram (Mermaid) instead.")
@common_options
def status(session: str | None, as_mermaid: bool, root: Path, as_json: bool) -> int:
    """State, outputs present and valid, pending decision and the next step.

    \b
    Examples:
      specrail spec-driven status --json
      specrail spec-driven status --mermaid > state.mmd
    """
    from specrail.spec_driven.status import status as run

    answer = run(root, session)
    if as_mermaid and answer.get("session"):
        from specrail import mermaid
        from specrail.spec_driven.session import open_ctx

        history = [
            h.model_dump(mode="json", by_alias=True)
            for h in open_ctx(root, answer["session"]).session.history
        ]
        click.echo(mermaid.state_diagram("spec-driven", answer["state"], history))
        return 0
    emit(answer, as_json, status_text)
    return 0


def status_text(answer: dict[str, Any]) -> str:
    """The human form of `status`: where the session is, its files, what blocks it, what is next."""
    if not answer.get("session"):
        return text(answer)
    lines = [
        f"session: {answer['session']} ({answer['feature']}): {answer['state']}, phase {answer['phase']}"
    ]
    for output in answer["outputs"]:
        if output["present"]:
            mark = "ok" if output["valid"] else "INVALID"
        else:
            mark = "MISSING" if output["expected"] else "not yet"
        lines.append(f"  {mark:<8} {output['file']}")
    decision = answer.get("pending_decision")
    if decision:
        lines.append(f"decision pending: {decision['reason']} ({', '.join(decision['options'])})")
    lines += [f"problem: {p}" for p in answer["problems"]]
    step = answer["next"]
    lines.append(f"next: {step['instruction']}")
    if step.get("command"):
        lines.append(f"  {step['command']}")
    return "\n".join(lines)


for _command in COMMANDS:
    spec_driven.add_command(_command)
spec_driven.add_command(rebase)
