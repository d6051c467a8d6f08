"""Hollow specs: sections present but empty of content, in any language (stdlib only)."""

from __future__ import annotations

import re

from specrail.validation.markdown import Section, words_under
from specrail.validation.report import Issue

# The floor a real feature spec never falls under: a fifth of the seed's 1500-2500 word target
# (see RULES.md, SYN-SPEC-FLOOR); above it the target is a warning.
SPEC_FLOOR = 300
# The words a populated section holds at least: one short sentence.
SECTION_FLOOR = 5
# Whole-section answers that say there is nothing, in the languages of the sessions.
NOTHING = frozenset(
    (
        *("none", "n/a", "na", "nothing", "nil", "tbd", "tba", "not applicable", "it works", "works"),
        *("see above", "as above", "无", "無", "没有", "暂无", "同上", "なし", "特になし", "ありません"),
        *("上記参照", "없음", "해당 없음", "keine", "nichts"),
    )
)
_MARKUP = re.compile("[#*_>`|\\-\\s.\u3002:\uff1a!\uff01]+")


def _said(text: str) -> str:
    """The text of a section without markup, lower case, for comparison with NOTHING."""
    return _MARKUP.sub(" ", text).strip().lower()


def _body(secs: list[Section], index: int) -> str:
    parts = [secs[index].text]
    for sec in secs[index + 1 :]:
        if sec.level <= secs[index].level:
            break
        parts += [sec.title, sec.text]
    return "\n".join(parts)


def empty_sections(file: str, secs: list[Section], found: dict[int, tuple[int, str]]) -> list[Issue]:
    """Each section of `found` (number -> (index in secs, name)) that says nothing."""
    issues = []
    for _, (index, name) in sorted(found.items()):
        said = _said(_body(secs, index))
        if words_under(secs, index) >= SECTION_FLOOR and said not in NOTHING:
            continue
        shown = said[:40] or "nothing"
        # SYN-SPEC-HOLLOW
        issues.append(
            Issue(
                file,
                f"line {secs[index].line}",
                f"section '{name}' is empty of content ({shown!r})",
                hint=f"write what the role analyses say about {name}, at least one full sentence",
            )
        )
    return issues


def below_floor(file: str, total: int, target: tuple[int, int]) -> list[Issue]:
    """The whole spec under the floor."""
    if total >= SPEC_FLOOR:
        return []
    # SYN-SPEC-FLOOR
    return [
        Issue(
            file,
            "",
            f"{total} words: a hollow spec (a feature spec has at least {SPEC_FLOOR}; "
            f"the target is {target[0]}-{target[1]})",
            hint="consolidate the role analyses into every section, section 2 most of all",
        )
    ]
