"""Phase 1: record `proposal.md`, the user's answers and confirmation; leave PENDING only when complete."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from specrail import fileio, model_text
from specrail.errors import InvalidInput, TransitionRefused, UsageFailure
from specrail.fileio import atomic_write_text
from specrail.models.spec_driven import OpenQuestion, Proposal
from specrail.spec_driven import proposal_doc, snapshot
from specrail.spec_driven.reports import PROPOSAL
from specrail.spec_driven.session import Ctx, one_at_a_time, open_ctx, require
from specrail.validation.check import check_file

QUESTION_MAX = 2000  # characters of a question shown (model context: escaped, capped)


def _questions(proposal: Proposal) -> list[dict[str, Any]]:
    return [
        {
            "number": i,
            "question": model_text.data(q.question, QUESTION_MAX),
            "answer": None if q.answer is None else model_text.data(q.answer, QUESTION_MAX),
        }
        for i, q in enumerate(proposal.open_questions, start=1)
    ]


def describe(ctx: Ctx, proposal: Proposal) -> dict[str, Any]:
    unanswered = [q for q in proposal.open_questions if q.answer is None]
    return {
        "status": "ok",
        "session": ctx.label,
        "proposal": {
            "request": proposal.request,
            "intent": proposal.intent,
            "affected_specs": proposal.affected_specs,
            "new_specs": proposal.new_specs,
            "key_changes": proposal.key_changes,
        },
        "open_questions": _questions(proposal),
        "unanswered": len(unanswered),
        "confirmed": proposal.confirmed,
        "ready": proposal.confirmed and not unanswered,
    }


@one_at_a_time
def record(root: Path, session: str | None, *, confirm: bool = False) -> dict[str, Any]:
    """Check `proposal.md` against the ProposalSummary layout and store what it says."""
    ctx = open_ctx(root, session)
    require(ctx, "proposal", "PENDING")
    path = ctx.dir / PROPOSAL
    label = f"{ctx.label}/{PROPOSAL}"
    if not path.is_file():
        raise InvalidInput("no proposal yet: write it (Proposal Summary layout) first", file=label)
    result = check_file(path, "proposal", root, label)
    errors = [{"location": i.location, "message": i.message, "hint": i.hint} for i in result.errors]
    data = fileio.read_bytes(path, str(path))
    doc = proposal_doc.parse(data.decode("utf-8", errors="replace"))
    affected: list[str] = []
    new_specs: list[str] = []
    for spec in doc.affected:
        try:
            resolved, exists = snapshot.resolve_spec(
                root, ctx.session.config.specs_dir, spec.path, new=spec.new
            )
        except InvalidInput as exc:
            errors.append({"location": "field 'Affected Specs'", "message": exc.message, "hint": ""})
            continue
        if resolved not in affected:
            affected.append(resolved)
            if not exists:
                new_specs.append(resolved)
    if errors:
        return {"status": "fail", "session": ctx.label, "file": label, "errors": errors}
    digest = snapshot.sha256(data)
    previous = ctx.session.proposal
    answers = {q.question: q.answer for q in previous.open_questions} if previous else {}
    proposal = Proposal(
        request=doc.request,
        intent=doc.intent,
        affected_specs=affected,
        new_specs=new_specs,
        key_changes=doc.key_changes,
        open_questions=[OpenQuestion(question=q, answer=answers.get(q)) for q in doc.open_questions],
        sha256=digest,
        confirmed=confirm or bool(previous and previous.confirmed and previous.sha256 == digest),
    )

    def apply(s: Any) -> None:
        s.proposal = proposal

    ctx.store.update(apply)
    return describe(ctx, proposal)


@one_at_a_time
def answer(root: Path, session: str | None, number: int, text: str) -> dict[str, Any]:
    """Record the user's answer to open question `number` (1-based)."""
    ctx = open_ctx(root, session)
    require(ctx, "answer-question", "PENDING")
    proposal = ctx.session.proposal
    if proposal is None:
        raise InvalidInput("record the proposal first: `specrail spec-driven proposal`")
    if not 1 <= number <= len(proposal.open_questions):
        raise InvalidInput(
            f"no open question {number}; the proposal has {len(proposal.open_questions)}",
            file=str(ctx.store.path),
            pointer="/proposal/open_questions",
        )
    if not text.strip():
        raise UsageFailure("the answer is empty")

    # The answers go into proposal.md too: the refiner and the implementer read the proposal there.
    path = ctx.dir / PROPOSAL
    answers = [q.answer for q in proposal.open_questions]
    answers[number - 1] = text.strip()
    current = path.read_bytes() if path.is_file() else b""
    written = None
    if current and snapshot.sha256(current) == proposal.sha256:  # never over the user's newer edit
        written = proposal_doc.with_answers(current.decode("utf-8", errors="replace"), answers)
        atomic_write_text(path, written)

    def apply(s: Any) -> None:
        s.proposal.open_questions[number - 1].answer = text.strip()
        if written is not None:
            s.proposal.sha256 = snapshot.sha256(written.encode("utf-8"))

    ctx.store.update(apply)
    updated = ctx.reload().proposal
    assert updated is not None
    return describe(ctx, updated)


@one_at_a_time
def start_update(root: Path, session: str | None) -> dict[str, Any]:
    """PENDING -> SPEC_UPDATE once the proposal is confirmed and every question answered."""
    ctx = open_ctx(root, session)
    require(ctx, "start-update", "PENDING")
    proposal = ctx.session.proposal
    file = str(ctx.store.path)
    if proposal is None:
        raise TransitionRefused("no proposal recorded: run `specrail spec-driven proposal`", file=file)
    path = ctx.dir / PROPOSAL
    if not path.is_file() or snapshot.sha256(fileio.read_bytes(path, str(path))) != proposal.sha256:
        raise TransitionRefused(
            f"{PROPOSAL} changed since it was recorded: run `specrail spec-driven proposal` again", file=file
        )
    open_ones = [i for i, q in enumerate(proposal.open_questions, start=1) if q.answer is None]
    if open_ones:
        listed = ", ".join(str(i) for i in open_ones)
        which = f"open question {listed} is" if len(open_ones) == 1 else f"open questions {listed} are"
        raise TransitionRefused(
            f"{which} unanswered: ask the user, then `answer-question`",
            file=file,
            pointer="/proposal/open_questions",
        )
    if not proposal.confirmed:
        raise TransitionRefused(
            "the user has not confirmed the proposal: show it, then run `confirm-proposal`",
            file=file,
            pointer="/proposal/confirmed",
        )
    taken = {s: snapshot.take(root, ctx.dir, s) for s in snapshot.missing(ctx.session)}

    def apply(s: Any) -> None:
        s.snapshots.update(taken)

    ctx.store.transition("SPEC_UPDATE", "proposal confirmed, questions answered", apply)
    from specrail.spec_driven.overlap import warnings as overlapping

    return {
        "status": "ok",
        "session": ctx.label,
        "snapshots": [snap.model_dump(mode="json") for snap in taken.values()],
        "affected_specs": proposal.affected_specs,
        "warnings": overlapping(root, ctx.label, proposal.affected_specs),
    }
