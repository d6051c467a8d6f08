"""Whether a text mentions a topic, and how a spec surfaces or states a conflict's decision (stdlib only)."""

from __future__ import annotations

import re
from functools import cached_property
from typing import Any

from specrail.validation.markdown import sections

WORD = re.compile(r"[^\W_]+(?:[-'][^\W_]+)*", re.UNICODE)
_STOP_TEXT = """
about above after again against also because before being below between both could does doing during
each every from further have having here into itself more most only other over same should some such
than that their them then there these they this those through under until very were what when where
which while with would your keep uses used using will
"""
STOPWORDS = frozenset(_STOP_TEXT.split())


def content_words(text: str) -> set[str]:
    return {
        w
        for w in (m.lower() for m in WORD.findall(text))
        if (len(w) > 3 or not w.isascii()) and w not in STOPWORDS
    }


class Haystack:
    """A text searched many times: its lower-case form and content words are computed once."""

    def __init__(self, text: str) -> None:
        self.text = text

    @cached_property
    def lowered(self) -> str:
        return self.text.lower()

    @cached_property
    def words(self) -> set[str]:
        return content_words(self.text)

    @cached_property
    def enhancement_ids(self) -> set[str]:
        """Every prefix (of EP-### length or more) of each EP-<digits> run: `ep in text` for an
        EP-### id `ep` holds exactly when `ep` is in this set."""
        return {
            run[:end]
            for run in ENHANCEMENT_RUN.findall(self.text)
            for end in range(ENHANCEMENT_ID_LENGTH, len(run) + 1)
        }


ENHANCEMENT_RUN = re.compile(r"EP-[0-9]+")
ENHANCEMENT_ID_LENGTH = len("EP-001")


def mentions(haystack: str | Haystack, phrase: str, share: float = 0.6) -> bool:
    """True when `phrase` appears in `haystack`, literally or as most of its content words."""
    text = haystack if isinstance(haystack, Haystack) else Haystack(haystack)
    if phrase.lower() in text.lowered:
        return True
    wanted = content_words(phrase)
    if not wanted:
        return True
    return len(wanted & text.words) / len(wanted) >= share


DECISION_NEEDED = "[decision needed]"
BLOCK_BREAK = re.compile(r"\n\s*\n")


def decision_surfaced(text: str, topic: str) -> bool:
    """True when a paragraph (or a heading with its first paragraph) holds both a [DECISION NEEDED]
    marker and the topic: one marker elsewhere in the spec does not surface every topic."""
    units: list[str] = []
    for sec in sections(text):
        blocks = [b for b in BLOCK_BREAK.split(sec.text) if b.strip()]
        units += blocks
        units.append(sec.title + "\n" + (blocks[0] if blocks else ""))
    return any(DECISION_NEEDED in unit.lower() and mentions(unit, topic) for unit in units)


def decided_topics(answers: list[dict[str, Any]]) -> set[tuple[str, str]]:
    """(feature id, topic) of every conflict the user decided in phase 4 (not deferred)."""
    return {
        (a["feature_id"], a["topic"])
        for a in answers
        if isinstance(a, dict) and a.get("feature_id") and a.get("topic") and not a.get("deferred")
    }
