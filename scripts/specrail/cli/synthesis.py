"""`specrail synthesis ...`: the mechanical steps of /workflow:synthesis."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from specrail.cli.common import common_options, emit
from specrail.synthesis import (
    analysis,
    answers,
    bundles,
    complexity,
    discover,
    finalize,
    index,
    questions,
    review,
)
from specrail.synthesis.bounded import bounded
from specrail.synthesis.paths import SeveralSessions, resolve

F = TypeVar("F", bound=Callable[..., Any])


def session_option(required: bool) -> Callable[[F], F]:
    help_text = "Session id (WFS-...)." + ("" if required else " Default: the only active session.")
    return click.option("--session", "session_id", required=required, metavar="WFS-ID", help=help_text)


def yes_option(f: F) -> F:
    return click.option("-y", "--yes", "auto", is_flag=True, help="Auto mode: take every default.")(f)


# The lists of each answer that grow with the session, shortened first when it is too long.
LONG_LISTS: dict[str, list[tuple[str, ...]]] = {
    "discover": [("features",), ("warnings",), ("role_analysis_paths",), ("analysis_input_paths",)],
    "analyzed": [("errors",), ("warnings",)],
    "questions": [("batches",), ("recommended",)],
    "answer": [("specs_to_write",)],
    "spec-input": [
        ("feature_bundles",),
        ("spec_context", "enhancement_details"),
        ("spec_context", "clarification_answers"),
        ("role_analysis_paths",),
    ],
    "index": [("errors",), ("facts",), ("features",), ("specs",), ("warnings",), ("cross_cutting_specs",)],
    "complexity": [("dependency_pairs",), ("decided_by_user",)],
    "review-check": [("findings",), ("specs",)],
    "reviewed": [("errors",), ("warnings",)],
    "finalize": [
        ("features_generated",),
        ("brainstorm_phase", "feature_spec_results", "features_generated"),
        ("enhancements_applied",),
        ("conflicts_decided_by_user",),
    ],
}


def _finish(
    answer: dict[str, Any], as_json: bool, text: Callable[[dict[str, Any]], str], root: Path, step: str
) -> int:
    if "session_id" in answer and step in LONG_LISTS:
        answer = bounded(answer, resolve(root, answer["session_id"]), step, LONG_LISTS[step])
    emit(answer, as_json, text)
    return 0 if answer["status"] == "ok" else 1


@click.group()
def synthesis() -> None:
    """Steps of /workflow:synthesis that are not judgement, in order:
    discover, analyzed, questions, answer, index, complexity, review-check, reviewed, finalize.

    \b
    Example:
      specrail synthesis discover --json
    """


@synthesis.command("new")
@click.option("--topic", required=True, help="What the brainstorming is about (recorded as user_intent).")
@click.option(
    "--roles", required=True, metavar="A,B,...", help="The roles, one folder each (e.g. ux-expert)."
)
@click.option(
    "--features", metavar="NAME,...", help="Feature names: rows of the decomposition, feature mode on."
)
@click.option("--session", "session_id", metavar="WFS-ID", help="Session id. Default: WFS- and the topic.")
@click.option(
    "--language",
    metavar="LANG",
    help="The session's language, a BCP 47 tag (en, zh, ja, pt-BR ...). Default: en.",
)
@common_options
def new_cmd(
    topic: str,
    roles: str,
    features: str | None,
    session_id: str | None,
    language: str | None,
    root: Path,
    as_json: bool,
) -> int:
    """Scaffold a brainstorming session to fill in: guidance, one analysis per role, session file.

    \b
    Example:
      specrail synthesis new --topic "Offline notes for field teams" --roles product-manager,ux-expert
    """
    from specrail.synthesis import scaffold

    emit(scaffold.new(root, topic, roles, session_id, language, features), as_json, scaffold.text)
    return 0


@synthesis.command("discover")
@session_option(required=False)
@click.option(
    "--language",
    metavar="LANG",
    help="The session's language, a BCP 47 tag (en, zh-CN, ja, ko, de, pt-BR ...). Default: the session's.",
)
@yes_option
@common_options
def discover_cmd(session_id: str | None, language: str | None, auto: bool, root: Path, as_json: bool) -> int:
    """Phases 1-2: find the session, its role analyses and feature mode; record input hashes.

    \b
    Example:
      specrail synthesis discover --session WFS-team-notes --json
    """
    try:
        answer = discover.discover(root, session_id, auto, language)
    except SeveralSessions as exc:
        answer = {
            "status": "choose_session",
            "sessions": exc.sessions,
            "message": exc.message,
            "next": "Ask the user which session to use (AskUserQuestion), then run discover with --session.",
        }
        return _finish(
            answer, as_json, lambda a: f"{a['message']}\nsessions: {', '.join(a['sessions'])}", root, ""
        )
    return _finish(answer, as_json, discover.text, root, "discover")


def adopted_text(answer: dict[str, Any]) -> str:
    done = "adopted" if answer["adopted"] else "already signed by this machine"
    return f"{answer['session_file']}: {done} ({answer['workflow']} session in {answer['state']})"


@synthesis.command("adopt")
@session_option(required=True)
@common_options
def adopt_cmd(session_id: str, root: Path, as_json: bool) -> int:
    """Take over a session this machine did not create, after the user reviewed it: specrail signs
    it as it is, and its steps may change it again.

    \b
    Example:
      specrail synthesis adopt --session WFS-team-notes
    """
    from specrail.store import SessionStore

    answer = SessionStore(resolve(root, session_id).session_file).adopt()
    emit(answer, as_json, adopted_text)
    return 0


@synthesis.command("analyzed")
@session_option(required=True)
@common_options
def analyzed_cmd(session_id: str, root: Path, as_json: bool) -> int:
    """Phase 3A gate: validate the recommendations and conflict map, then move to ANALYZED.

    \b
    Example:
      specrail synthesis analyzed --session WFS-team-notes --json
    """
    return _finish(analysis.analyzed(root, session_id), as_json, analysis.text, root, "analyzed")


@synthesis.command("questions")
@session_option(required=True)
@yes_option
@common_options
def questions_cmd(session_id: str, auto: bool, root: Path, as_json: bool) -> int:
    """Phase 4: the AskUserQuestion batches (enhancement selection, then clarifications).

    \b
    Example:
      specrail synthesis questions --session WFS-team-notes --json
    """
    return _finish(questions.questions(root, session_id, auto), as_json, questions.text, root, "questions")


@synthesis.command("answer")
@session_option(required=True)
@click.option("--answers", "source", metavar="FILE|-", help="The user's answers as JSON (- reads stdin).")
@yes_option
@common_options
def answer_cmd(session_id: str, source: str | None, auto: bool, root: Path, as_json: bool) -> int:
    """Phase 4: record the answers (or, with --yes, the defaults) as the spec context; move to CLARIFIED.

    \b
    Examples:
      specrail synthesis answer --session WFS-team-notes --answers answers.json --json
      specrail synthesis answer --yes --session WFS-team-notes --json
    """
    return _finish(answers.answer(root, session_id, source, auto), as_json, answers.text, root, "answer")


@synthesis.command("spec-input")
@session_option(required=True)
@common_options
def spec_input_cmd(session_id: str, root: Path, as_json: bool) -> int:
    """Phase 5: the spec writer's input again (feature bundles, spec context, output paths).

    \b
    Example:
      specrail synthesis spec-input --session WFS-team-notes --json
    """
    return _finish(bundles.spec_input(root, session_id), as_json, lambda a: a["next"], root, "spec-input")


@synthesis.command("index")
@session_option(required=True)
@common_options
def index_cmd(session_id: str, root: Path, as_json: bool) -> int:
    """Phase 5: validate the specs, build feature-index.json from disk, move to SPECS_WRITTEN.

    \b
    Example:
      specrail synthesis index --session WFS-team-notes --json
    """
    return _finish(index.index(root, session_id), as_json, index.text, root, "index")


@synthesis.command("complexity")
@session_option(required=True)
@common_options
def complexity_cmd(session_id: str, root: Path, as_json: bool) -> int:
    """Phase 5: complexity score 0-8 from four dimensions; review needed when >= 4.

    \b
    Example:
      specrail synthesis complexity --session WFS-team-notes --json
    """
    return _finish(complexity.complexity(root, session_id), as_json, complexity.text, root, "complexity")


@synthesis.command("review-check")
@session_option(required=True)
@common_options
def review_check_cmd(session_id: str, root: Path, as_json: bool) -> int:
    """Phase 5: the review checklist's mechanical findings for the spec-reviewer agent.

    \b
    Example:
      specrail synthesis review-check --session WFS-team-notes --json
    """
    return _finish(review.review_check(root, session_id), as_json, review.check_text, root, "review-check")


@synthesis.command("reviewed")
@session_option(required=True)
@common_options
def reviewed_cmd(session_id: str, root: Path, as_json: bool) -> int:
    """Phase 5: accept review-report.md and the changelog's Review Results; move to REVIEWED.

    \b
    Example:
      specrail synthesis reviewed --session WFS-team-notes --json
    """
    return _finish(review.reviewed(root, session_id), as_json, review.reviewed_text, root, "reviewed")


@synthesis.command("finalize")
@session_option(required=True)
@common_options
def finalize_cmd(session_id: str, root: Path, as_json: bool) -> int:
    """Phase 6: check inputs and review, write the context package and session metadata; COMPLETE.

    \b
    Example:
      specrail synthesis finalize --session WFS-team-notes --json
    """
    return _finish(finalize.finalize(root, session_id), as_json, lambda a: str(a["report"]), root, "finalize")
