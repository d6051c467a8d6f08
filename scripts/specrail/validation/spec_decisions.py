"""Conflict topics in a feature spec: each [UNRESOLVED] topic is surfaced or, when the user decided
it, stated; two or more open ones are announced at the top of section 2 (stdlib only)."""

from __future__ import annotations

import json
from pathlib import Path

from specrail.errors import SpecrailError
from specrail.validation import filecache
from specrail.validation.markdown import Section
from specrail.validation.report import Issue
from specrail.validation.topics import decided_topics, decision_surfaced, mentions


def json_near(path: Path) -> object:
    try:
        return filecache.parsed(path, "json", json.loads)  # one parse for all the specs
    except (OSError, ValueError, SpecrailError):
        return None


def unresolved_topics(path: Path, feature_id: str) -> tuple[list[str], list[str]]:
    """The feature's [UNRESOLVED] topics: (still open, decided by the user in phase 4)."""
    brainstorm = path.parent.parent
    data = json_near(brainstorm / "feature-conflict-map.json")
    try:
        conflicts = data[feature_id]["conflicts"]  # type: ignore[index]
        topics = [c["topic"] for c in conflicts if c.get("confidence") == "[UNRESOLVED]"]
    except (KeyError, TypeError):
        return [], []
    if not topics:
        return [], []
    session = json_near(brainstorm.parent / "workflow-session.json")
    try:
        answers = session["spec_context"]["clarification_answers"]  # type: ignore[index]
    except (KeyError, TypeError):
        answers = []
    decided = decided_topics(answers if isinstance(answers, list) else [])
    return (
        [t for t in topics if (feature_id, t) not in decided],
        [t for t in topics if (feature_id, t) in decided],
    )


def decision_issues(
    file: str,
    text: str,
    secs: list[Section],
    found: dict[int, tuple[int, Section]],
    path: Path,
    feature_id: str,
) -> list[Issue]:
    """Each [UNRESOLVED] topic is either marked [DECISION NEEDED] where it is discussed, or the
    user decided it and the spec states it; 2+ open ones are announced at the top of section 2."""
    open_topics, decided = unresolved_topics(path, feature_id)
    if not open_topics and not decided:
        return []
    # SYN-TOPIC-OPEN
    issues = [
        Issue(
            file,
            "§2 Design Decisions",
            f"UNRESOLVED conflict '{topic}' is not surfaced",
            hint=f"add '**[DECISION NEEDED]**: {topic}. **Options**: ... **Evaluation**: ... "
            "**Impact if deferred**: ...' in the paragraph that discusses it",
        )
        for topic in open_topics
        if not decision_surfaced(text, topic)
    ]
    # SYN-TOPIC-DECIDED
    issues += [
        Issue(
            file,
            "§2 Design Decisions",
            f"the user decided '{topic}' in phase 4, but the spec does not state the decision",
            hint=f"state it: '**Decision**: ... (decided by the user)' under a heading naming {topic}",
        )
        for topic in decided
        if not mentions(text, topic)
    ]
    # SYN-SECTION2-WARNING
    if len(open_topics) >= 2 and 2 in found:
        index, section = found[2]
        intro = section.text  # the text before the first sub-heading, or that sub-heading's own start
        if not intro.strip() and index + 1 < len(secs) and secs[index + 1].level > section.level:
            intro = secs[index + 1].title + "\n" + secs[index + 1].text.strip().split("\n\n")[0]
        intro = intro.lower()
        if not any(word in intro for word in SECTION_TWO_WARNING):
            issues.append(
                Issue(
                    file,
                    "§2 Design Decisions",
                    f"{len(open_topics)} unresolved conflicts but no warning at the top of section 2",
                    hint="open section 2 with '> **Warning**: unresolved conflicts: "
                    + "; ".join(open_topics)[:200]
                    + "'",
                )
            )
    return issues


SECTION_TWO_WARNING = ("warning", "\u26a0", "警告", "注意", "unresolved", "未解决", "decision needed")
