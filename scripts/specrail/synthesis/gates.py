"""The specs against the user's phase 4 answers: decided conflicts and selected enhancements."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from specrail.models import FeatureConflicts, SynthesisSession
from specrail.models.session import ClarificationAnswer
from specrail.synthesis.paths import SessionPaths
from specrail.synthesis.questions import WORDING
from specrail.validation.check import read_text
from specrail.validation.markdown import CJK, sections
from specrail.validation.report import Issue
from specrail.validation.topics import BLOCK_BREAK, content_words, decision_surfaced, mentions

EP_ID = re.compile(r"\bEP-[0-9]{3,}\b")
# A line that says an enhancement was NOT applied names it without applying it.
NOT_APPLIED = re.compile(
    r"not (?:selected|applied|chosen|adopted)|deselected|rejected|skipped|left out|"
    r"未选择|未选|未采用|不采用|未应用|未被选|選択されなかった|選択されていない|見送|不採用|適用しない|"
    r"선택되지|적용하지|제외|nicht (?:ausgewählt|übernommen|angewendet)|abgelehnt",
    re.IGNORECASE,
)
# Words that mark the line stating a decision, in the languages of the template and the sessions.
DECISION_WORDS = re.compile(
    r"decision|decided|chosen|selected|adopt|决策|决定|采用|選択|決定|採用|결정|채택|선택|entscheidung|entschieden|gewählt",
    re.IGNORECASE,
)


@dataclass
class Choice:
    """What the user chose for one conflict: a role's view, or the suggested resolution."""

    feature_id: str
    topic: str
    label: str
    role: str | None
    text: str
    rejected: dict[str, str]  # role -> view the user did not choose


def _choice(answer: ClarificationAnswer, conflict: FeatureConflicts) -> Choice | None:
    """The option an answer chose, when it is one of the question's options (not free text)."""
    found = next((c for c in conflict.conflicts if c.topic == answer.topic), None)
    if found is None or answer.feature_id is None or answer.topic is None:
        return None
    for words in WORDING.values():
        for role, view in found.views.items():
            label = words["view"].format(role=role)
            if answer.answer.startswith(label):
                others = {r: v for r, v in found.views.items() if r != role}
                return Choice(answer.feature_id, answer.topic, label, role, view, others)
        if answer.answer.startswith(words["suggested"]) and found.resolution:
            return Choice(
                answer.feature_id, answer.topic, words["suggested"], None, found.resolution, dict(found.views)
            )
    return None


def _bigrams(text: str) -> set[str]:
    chars = "".join(CJK.findall(text))
    return {chars[i : i + 2] for i in range(len(chars) - 1)}


def _says(text: str, view: str, others: list[str]) -> bool:
    """True when `text` carries the words that set `view` apart from the `others`."""
    distinct = content_words(view) - set().union(*(content_words(o) for o in others))
    if distinct and len(distinct & content_words(text)) / len(distinct) >= 0.5:
        return True
    grams = _bigrams(view) - set().union(*(_bigrams(o) for o in others))
    return bool(grams) and len(grams & _bigrams(text)) / len(grams) >= 0.5


def _names(text: str, role: str) -> bool:
    words = [re.escape(w) for w in re.split(r"[-_\s]+", role) if w]
    return (
        bool(words)
        and re.search(r"(?<![\w-])" + r"[-_\s]?".join(words) + r"(?![\w-])", text, re.I) is not None
    )


def _stated(text: str, choice: Choice) -> bool:
    if choice.role is None:  # the suggested resolution often words one role's view: its own words count
        return mentions(text, choice.text, 0.5) or _says(text, choice.text, list(choice.rejected.values()))
    return _names(text, choice.role) or _says(text, choice.text, list(choice.rejected.values()))


def _adopts_rejected(text: str, choice: Choice) -> str | None:
    for role, view in choice.rejected.items():
        others = [choice.text, *(v for r, v in choice.rejected.items() if r != role)]
        if (choice.role is not None and _names(text, role)) or _says(text, view, others):
            return role
    return None


def _discussion(text: str, topic: str) -> str:
    """The part of a spec that discusses `topic`: sub-sections titled with it and paragraphs naming it."""
    secs = sections(text)
    parts: list[str] = []
    for i, sec in enumerate(secs):
        if sec.level >= 3 and mentions(sec.title, topic):
            parts += [sec.title, sec.text]
            for sub in secs[i + 1 :]:
                if sub.level <= sec.level:
                    break
                parts += [sub.title, sub.text]
    parts += [b for sec in secs for b in BLOCK_BREAK.split(sec.text) if mentions(b, topic)]
    return "\n".join(parts)


def decision_issues(
    paths: SessionPaths,
    session: SynthesisSession,
    conflicts: dict[str, FeatureConflicts],
    specs: dict[str, Path],
) -> list[Issue]:
    """For each conflict the user decided: the spec states the chosen view, not a rejected one,
    and does not leave it as [DECISION NEEDED]."""
    if session.spec_context is None:
        return []
    issues = []
    for answer in session.spec_context.clarification_answers:
        if answer.deferred or answer.feature_id not in conflicts or answer.feature_id not in specs:
            continue
        choice = _choice(answer, conflicts[answer.feature_id])
        path = specs[answer.feature_id]
        if choice is None or not path.is_file():
            continue
        file = paths.prel(path)
        text = read_text(path, file)
        said = f"the user chose '{choice.label}' for '{choice.topic}' ({choice.text[:120]})"
        hint = (
            f"state the user's choice under a heading naming {choice.topic}: "
            f"'**Decision**: ... ({choice.label}, decided by the user)'"
        )
        # SYN-DECISION-OPEN
        if decision_surfaced(text, choice.topic):
            issues.append(
                Issue(
                    file,
                    "§2 Design Decisions",
                    f"{said}, but the spec leaves it [DECISION NEEDED]",
                    hint=hint,
                )
            )
            continue
        unit = _discussion(text, choice.topic)
        if not unit.strip():
            continue  # SYN-TOPIC-DECIDED says the decision is missing
        lines = [ln for ln in unit.splitlines() if DECISION_WORDS.search(ln)]
        decided_line = "\n".join(lines)
        # SYN-DECISION-CHOSEN
        if lines and _stated(decided_line, choice):
            continue
        rejected = _adopts_rejected(decided_line, choice) if lines else None
        if rejected is not None:
            issues.append(
                Issue(
                    file, "§2 Design Decisions", f"{said}, but the spec adopts the {rejected} view", hint=hint
                )
            )
        elif not _stated(unit, choice):
            issues.append(
                Issue(file, "§2 Design Decisions", f"{said}, but the spec does not state it", hint=hint)
            )
    return issues


def _skipped(lines: list[str]) -> list[tuple[int, str]]:
    """(line number, line) of the lines outside code fences."""
    out, fenced = [], False
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced:
            out.append((number, line))
    return out


def selection_issues(
    paths: SessionPaths, session: SynthesisSession, spec_files: list[Path], known: set[str]
) -> list[Issue]:
    """An enhancement the user did not select, applied anywhere in a spec."""
    if session.spec_context is None:
        return []
    selected = session.spec_context.selected_enhancements
    hint = "apply only the selected enhancements: " + (", ".join(selected) or "none were selected")
    issues = []
    for path in spec_files:
        if not path.is_file():
            continue
        file = paths.prel(path)
        for number, line in _skipped(read_text(path, file).splitlines()):
            if NOT_APPLIED.search(line):
                continue
            # SYN-SPEC-SELECTION
            for ep in dict.fromkeys(EP_ID.findall(line)):
                if ep in known and ep not in selected:
                    issues.append(
                        Issue(
                            file,
                            f"line {number}",
                            f"{ep} is applied here, but the user did not select it",
                            hint=hint,
                        )
                    )
    return issues


def unselected_in(line: str, selected: set[str]) -> list[str]:
    """The enhancement ids a changelog line lists that the user did not select (any line format)."""
    if NOT_APPLIED.search(line):
        return []
    return [ep for ep in dict.fromkeys(EP_ID.findall(line)) if ep not in selected]
