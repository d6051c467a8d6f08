"""Phase 4: recommendations and conflicts as AskUserQuestion batches, in the session's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from specrail.decisions import users_only
from specrail.models import Enhancement, FeatureConflicts
from specrail.models.synthesis import Category
from specrail.synthesis import artifacts
from specrail.synthesis.paths import SessionPaths, resolve
from specrail.synthesis.session import load, require_analysis_unchanged
from specrail.validation.decomposition import Feature
from specrail.validation.normalise import normalise_language

MAX_OPTIONS = 4
MAX_QUESTIONS = 4
MAX_HEADER = 12
EPS_PER_QUESTION = MAX_OPTIONS - 1  # the last option is always "skip"
CATEGORIES: tuple[str, ...] = get_args(Category)  # the seed's 9-category taxonomy, in its order

WORDING: dict[str, dict[str, str]] = {
    "en": {
        "enh_question": "Which enhancement recommendations should the specs apply? (group {i} of {n})",
        "enh_header": "Enhancements",
        "enh_desc": "Affects: {roles} | {enhancement}",
        "skip": "Skip these",
        "skip_desc": "Apply none of the recommendations in this group",
        "conflict_question": (
            "{where}: the roles disagree on \u201c{topic}\u201d. Which approach should the spec adopt?"
        ),
        "decisions_header": "Decisions",
        "recommended": " (Recommended)",
        "suggested": "Suggested resolution",
        "defer": "Decide later",
        "defer_desc": "Keep it open: the spec marks it [DECISION NEEDED] and lays out every option",
        "view": "{role} view",
    },
    "zh": {
        "enh_question": "请选择要应用的改进建议 (第{i}组,共{n}组)",
        "enh_header": "改进选择",
        "enh_desc": "影响: {roles} | {enhancement}",
        "skip": "跳过",
        "skip_desc": "本组建议均不应用",
        "conflict_question": "{where}:各角色在\u201c{topic}\u201d上存在分歧。规格应采用哪种方案?",
        "decisions_header": "决策确认",
        "recommended": " (推荐)",
        "suggested": "建议方案",
        "defer": "暂缓决定",
        "defer_desc": "保持开放:规格中以 [DECISION NEEDED] 标注并列出各方案",
        "view": "{role} 观点",
    },
}


def wording(language: str) -> dict[str, str]:
    """The project's words for `language` (en, zh); English for a language it has no words for."""
    return WORDING[normalise_language(language) or "en"]


def has_words(language: str) -> bool:
    """True when the project writes its questions in `language` itself."""
    return normalise_language(language) is not None


@dataclass
class Question:
    """One question, with what the answer step needs to interpret the user's choice."""

    id: str
    kind: str  # "enhancement" | "clarification"
    question: str
    header: str
    multi_select: bool
    options: list[dict[str, str]]
    recommended: list[str]
    category: Category
    enhancement_ids: dict[str, str] = field(default_factory=dict)  # option label -> EP id
    feature_id: str | None = None
    topic: str | None = None

    def ask(self) -> dict[str, Any]:
        """The AskUserQuestion form of this question."""
        return {
            "question": self.question,
            "header": self.header[:MAX_HEADER],
            "multiSelect": self.multi_select,
            "options": self.options,
        }

    def option(self, label: str) -> dict[str, str] | None:
        return next((o for o in self.options if o["label"] == label), None)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def enhancement_questions(enhancements: list[Enhancement], words: dict[str, str]) -> list[Question]:
    groups = [enhancements[i : i + EPS_PER_QUESTION] for i in range(0, len(enhancements), EPS_PER_QUESTION)]
    questions = []
    for n, group in enumerate(groups, start=1):
        options, ids = [], {}
        for ep in group:
            label = _clip(f"{ep.id}: {ep.title}", 60)
            ids[label] = ep.id
            options.append(
                {
                    "label": label,
                    "description": _clip(
                        words["enh_desc"].format(
                            roles=", ".join(ep.affected_roles), enhancement=ep.enhancement
                        ),
                        300,
                    ),
                }
            )
        options.append({"label": words["skip"], "description": words["skip_desc"]})
        questions.append(
            Question(
                id=f"E{n}",
                kind="enhancement",
                question=words["enh_question"].format(i=n, n=len(groups)),
                header=words["enh_header"],
                multi_select=True,
                options=options,
                recommended=list(ids),
                category="Requirements",
                enhancement_ids=ids,
            )
        )
    return questions


def conflict_questions(
    conflict_map: dict[str, FeatureConflicts], names: dict[str, str], words: dict[str, str]
) -> list[Question]:
    """One Decisions question per [UNRESOLVED] or [SUGGESTED] conflict, unresolved ones first."""
    pending = [
        (fid, c)
        for fid in sorted(conflict_map)
        for c in conflict_map[fid].conflicts
        if c.confidence != "[RESOLVED]"
    ]
    pending.sort(key=lambda fc: fc[1].confidence != "[UNRESOLVED]")
    questions = []
    for n, (fid, conflict) in enumerate(pending, start=1):
        where = f"{fid} {names[fid]}" if fid in names else fid
        if conflict.confidence == "[SUGGESTED]":
            first = {
                "label": words["suggested"] + words["recommended"],
                "description": _clip(conflict.resolution or "", 300),
            }
        else:
            first = {"label": words["defer"] + words["recommended"], "description": words["defer_desc"]}
        views = [
            {"label": _clip(words["view"].format(role=role), 60), "description": _clip(view, 300)}
            for role, view in list(conflict.views.items())[: MAX_OPTIONS - 1]
        ]
        questions.append(
            Question(
                id=f"Q{n}",
                kind="clarification",
                question=words["conflict_question"].format(where=where, topic=conflict.topic),
                header=words["decisions_header"],
                multi_select=False,
                options=[first, *views],
                recommended=[first["label"]],
                category="Decisions",
                feature_id=fid,
                topic=conflict.topic,
            )
        )
    return questions


def build(paths: SessionPaths, language: str, feature_mode: bool) -> list[Question]:
    """Every question of phase 4, enhancement selection first."""
    words = wording(language)
    features: list[Feature] = (artifacts.features(paths) or []) if feature_mode else []
    names = {f.id: f.name for f in features}
    questions = enhancement_questions(artifacts.recommendations(paths), words)
    questions += conflict_questions(artifacts.conflict_map_or_empty(paths, feature_mode), names, words)
    seen: set[str] = set()
    for q in questions:  # answers come back keyed by question text: keep every text unique
        if q.question in seen:
            q.question = f"{q.question} ({q.id})"
        seen.add(q.question)
    return questions


def batches(questions: list[Question], language: str = "en") -> list[dict[str, Any]]:
    """AskUserQuestion calls: enhancement and clarification questions never share a call.

    In a language the project has no words for, each batch carries `language`: the model asks in it.
    """
    out = []
    for kind in ("enhancement", "clarification"):
        group = [q for q in questions if q.kind == kind]
        for i in range(0, len(group), MAX_QUESTIONS):
            chunk = group[i : i + MAX_QUESTIONS]
            batch: dict[str, Any] = {"kind": kind, "ids": [q.id for q in chunk]}
            if not has_words(language):
                batch["language"] = language
            batch["questions"] = [q.ask() for q in chunk]
            out.append(batch)
    return out


def _translate(language: str) -> str:
    if has_words(language):
        return ""
    return (
        f"The session's language is {language!r}: ask each question in it, translating the question, "
        "header and option descriptions, and keep every option label exactly as given (the answer "
        "is read back by its label). "
    )


def questions(root: Path, session_id: str | None, auto: bool = False) -> dict[str, Any]:
    """The question batches for the user, or (auto mode) the instruction to take the defaults."""
    paths = resolve(root, session_id)
    session = load(paths)
    require_analysis_unchanged(session, paths)
    built = build(paths, session.language, bool(session.feature_mode))
    if auto and not session.auto_mode:
        users_only(
            "auto mode (-y) for a session started without it",
            "ask the user the questions of `specrail synthesis questions` without -y",
            file=str(paths.session_file),
            pointer="/auto_mode",
        )
    auto = auto or session.auto_mode
    clarifications = [q for q in built if q.kind == "clarification"]
    covered = sorted({q.category for q in clarifications}, key=CATEGORIES.index)
    to_scan = [c for c in CATEGORIES if c not in covered]
    if auto:
        step = (
            f"Auto mode: ask nothing. Run `specrail synthesis answer --yes --session {paths.session_id} "
            "--json`."
        )
    else:
        own = (
            "There is no conflict map (no feature decomposition): scan the role analyses for each category "
            "of `category_scan.to_scan` and ask one question per real ambiguity you find, in batches of "
            "up to 4"
            if not session.feature_mode
            else "You may add up to 4 clarification questions of your own where the analysis shows a real "
            "ambiguity in a category of `category_scan.to_scan`"
        )
        step = (
            f"{_translate(session.language)}"
            f"Ask each batch with one AskUserQuestion call, in order, passing `questions` as given. {own} "
            f"(in the session's language; 2-4 options each; never generic). Write the answers to "
            f'{paths.answers_file} as {{"answers": {{"<question id or text>": "<label>" or '
            f'["<label>", ...]}}, "extra": [{{"question", "answer", "category"}}]}}, then run '
            f"`specrail synthesis answer --session {paths.session_id} --answers {paths.answers_file} "
            "--json`."
        )
    return {
        "status": "ok",
        "session_id": paths.session_id,
        "state": session.state,
        "language": session.language,
        "auto_mode": auto,
        "enhancement_questions": sum(q.kind == "enhancement" for q in built),
        "clarification_questions": len(clarifications),
        "categories": list(CATEGORIES),
        "category_scan": {"covered": covered, "to_scan": to_scan},
        "batches": batches(built, session.language),
        "recommended": {q.id: q.recommended for q in built},
        "answers_file": str(paths.answers_file),
        "next": step,
    }


def text(answer: dict[str, Any]) -> str:
    lines = [
        f"session {answer['session_id']}: {answer['enhancement_questions']} enhancement and "
        f"{answer['clarification_questions']} clarification questions in {len(answer['batches'])} batches"
    ]
    for n, batch in enumerate(answer["batches"], start=1):
        lines.append(f"batch {n} ({batch['kind']}):")
        for qid, q in zip(batch["ids"], batch["questions"], strict=True):
            lines.append(f"  {qid} [{q['header']}] {q['question']}")
            lines += [f"     - {o['label']}: {o['description']}" for o in q["options"]]
    lines.append(f"next: {answer['next']}")
    return "\n".join(lines)
