"""Phase 4, step 3: the user's answers (or auto mode's defaults) become the session's spec context."""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from specrail.decisions import users_only
from specrail.errors import InvalidInput, UsageFailure
from specrail.models import Enhancement, SynthesisSession
from specrail.models.session import ClarificationAnswer, SpecContext
from specrail.synthesis import artifacts, bundles
from specrail.synthesis.paths import SessionPaths, resolve
from specrail.synthesis.questions import Question, build, wording
from specrail.synthesis.session import load, one_at_a_time, require, transition
from specrail.validation.check import parse_json, read_text
from specrail.validation.report import pointer

EP_REF = re.compile(r"\bEP-[0-9]{3,}\b")


def _read(source: str, paths: SessionPaths) -> tuple[Any, str]:
    if source == "-":
        return parse_json(sys.stdin.read(), "<stdin>"), "<stdin>"
    path = Path(source)
    path = path if path.is_absolute() else paths.root / path
    return parse_json(read_text(path, source), source), source


def _chosen(q: Question, label: str, words: dict[str, str]) -> str:
    """The recorded answer for an option label: the option's name and what it means."""
    option = q.option(label)
    if option is None:
        return label  # the user's own text ("Other")
    return f"{label.removesuffix(words['recommended'])}: {option['description']}"


def _answer(q: Question, label: str, words: dict[str, str], auto: bool = False) -> ClarificationAnswer:
    """The answer to `q`; for a conflict question, which conflict it decides (or defers)."""
    return ClarificationAnswer(
        question=q.question,
        answer=_chosen(q, label, words),
        category=q.category,
        auto=auto,
        feature_id=q.feature_id,
        topic=q.topic,
        deferred=q.topic is not None and label.startswith(words["defer"]),
    )


def _selected(
    q: Question, value: Any, known: set[str], file: str, where: str, words: dict[str, str]
) -> list[str]:
    values = value if isinstance(value, list) else [value]
    found: list[str] = []
    for item in values:
        if not isinstance(item, str):
            raise InvalidInput("an answer must be a label or a list of labels", file=file, pointer=where)
        if item == words["skip"] or not item.strip():
            continue
        ids = [q.enhancement_ids[item]] if item in q.enhancement_ids else EP_REF.findall(item)
        if not ids:
            raise InvalidInput(
                f"{item[:60]!r} names no enhancement (expected labels like 'EP-001: ...')",
                file=file,
                pointer=where,
            )
        for ep in ids:
            if ep not in known:
                raise InvalidInput(f"unknown enhancement {ep}", file=file, pointer=where)
            found.append(ep)
    return found


def from_file(
    data: Any, file: str, built: list[Question], known: set[str], words: dict[str, str]
) -> tuple[list[str], list[ClarificationAnswer], int]:
    """Selected EP ids, clarification answers and the number of extra questions in an answers file."""
    if not isinstance(data, dict):
        raise InvalidInput("the answers must be a JSON object", file=file, pointer="/")
    unknown = set(data) - {"answers", "extra"}
    if unknown:
        raise InvalidInput(
            f"unknown key {sorted(unknown)[0]!r}; keys: answers, extra", file=file, pointer="/"
        )
    given = data.get("answers", {})
    if not isinstance(given, dict):
        raise InvalidInput(
            "must be an object of question id or text -> label(s)", file=file, pointer="/answers"
        )
    by_key = {q.id: q for q in built} | {q.question: q for q in built}
    selected: list[str] = []
    answers: list[ClarificationAnswer] = []
    answered: set[str] = set()
    for key, value in given.items():
        where = pointer("answers", key)
        q = by_key.get(key)
        if q is None:
            ids = ", ".join(q.id for q in built) or "none"
            raise InvalidInput(f"no such question; question ids: {ids}", file=file, pointer=where)
        if q.kind == "enhancement":
            selected += _selected(q, value, known, file, where, words)
            answered.add(q.id)  # selecting none is an answer too
            continue
        label = (
            ", ".join(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else value
        )
        if not isinstance(label, str):
            raise InvalidInput("an answer must be a label or free text", file=file, pointer=where)
        if not label.strip():
            continue  # an empty answer leaves the question unanswered
        answers.append(_answer(q, label, words))
        answered.add(q.id)
    extra = data.get("extra", [])
    if not isinstance(extra, list):
        raise InvalidInput("must be a list of {question, answer, category}", file=file, pointer="/extra")
    for i, item in enumerate(extra):
        try:
            answers.append(ClarificationAnswer.model_validate(item))
        except ValidationError as exc:
            loc = exc.errors()[0]["loc"]
            raise InvalidInput(exc.errors()[0]["msg"], file=file, pointer=pointer("extra", i, *loc)) from None
    left = [q.id for q in built if q.id not in answered]
    if left:
        raise InvalidInput(
            f"questions left unanswered: {', '.join(left)}; ask the user each of them and record the "
            "label they chose (or their own text)",
            file=file,
            pointer="/answers",
        )
    return selected, answers, len(extra)


def defaults(built: list[Question], words: dict[str, str]) -> tuple[list[str], list[ClarificationAnswer]]:
    """Auto mode: every enhancement, and the recommended option of every question."""
    selected = [ep for q in built if q.kind == "enhancement" for ep in q.enhancement_ids.values()]
    answers = [_answer(q, q.recommended[0], words, auto=True) for q in built if q.kind == "clarification"]
    return selected, answers


@one_at_a_time
def answer(root: Path, session_id: str | None, source: str | None, auto: bool) -> dict[str, Any]:
    """Record the spec context and move the session to CLARIFIED."""
    paths = resolve(root, session_id)
    session = load(paths)
    require(session, paths, "CLARIFIED")
    if source is None and not auto:
        raise UsageFailure("pass --answers FILE (or - for stdin), or --yes to take the recommended defaults")
    if source is not None and auto:
        raise UsageFailure("--answers and --yes exclude each other")
    if auto and not session.auto_mode:
        users_only(
            "taking every default (--yes) in a session not started with -y",
            "ask the user the questions of `specrail synthesis questions`, then run answer --answers FILE",
            file=str(paths.session_file),
            pointer="/auto_mode",
        )
    words = wording(session.language)
    built = build(paths, session.language, bool(session.feature_mode))
    enhancements: list[Enhancement] = artifacts.recommendations(paths)
    asked = sum(q.kind == "clarification" for q in built)
    if auto:
        selected, answers = defaults(built, words)
    else:
        assert source is not None
        data, file = _read(source, paths)
        selected, answers, extra = from_file(data, file, built, {e.id for e in enhancements}, words)
        asked += extra
    chosen = set(selected)
    context = SpecContext(
        selected_enhancements=[e.id for e in enhancements if e.id in chosen],
        enhancement_details=[e for e in enhancements if e.id in chosen],
        clarification_answers=answers,
        original_user_intent=session.user_intent,
        auto_mode=auto,
        questions_asked=asked,
    )

    def record(s: SynthesisSession) -> None:
        s.spec_context = context

    reason = "auto mode: all enhancements and recommended answers" if auto else "user answers recorded"
    session = transition(paths, "CLARIFIED", reason, record)
    spec = bundles.build(paths, session)
    return {
        "status": "ok",
        "session_id": paths.session_id,
        "state": session.state,
        "auto": auto,
        "selected_enhancements": context.selected_enhancements,
        "clarifications_answered": len(answers),
        "questions_asked": asked,
        "language": spec["language"],
        "spec_input_path": bundles.write_input(paths, spec),  # the agents read it by path
        "specs_to_write": [b["output_path"] for b in spec.get("feature_bundles", [])]
        or [spec.get("output_path")],
        "next": bundles.next_step(paths),
    }


def text(answer: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"session {answer['session_id']}: {answer['state']}" + (" (auto mode)" if answer["auto"] else ""),
            f"enhancements selected: {', '.join(answer['selected_enhancements']) or 'none'}",
            f"clarifications answered: {answer['clarifications_answered']}/{answer['questions_asked']}",
            f"next: {answer['next']}",
        ]
    )
