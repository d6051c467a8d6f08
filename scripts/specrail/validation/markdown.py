"""Structural checks of the Markdown artifacts (stdlib only)."""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass
class Section:
    level: int
    title: str
    line: int
    body: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.body)

    @property
    def words(self) -> int:
        return len(self.text.split())


def sections(text: str) -> list[Section]:
    """Headings with the lines under them (up to the next heading of any level), fences respected."""
    out: list[Section] = [Section(0, "", 0, [])]
    fenced = False
    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line):
            fenced = not fenced
        match = None if fenced else HEADING.match(line)
        if match:
            out.append(Section(len(match.group(1)), match.group(2), number, []))
        else:
            out[-1].body.append(line)
    return out


def words_under(secs: list[Section], index: int) -> int:
    """Words in section `index` including its sub-sections."""
    level = secs[index].level
    total = secs[index].words
    for sec in secs[index + 1 :]:
        if sec.level <= level:
            break
        total += sec.words + len(sec.title.split())
    return total


NUMBERED = re.compile(r"^([0-9]+(?:\.[0-9]+)*)\.?\s+(.+)$")


def numbered(title: str) -> tuple[str, str] | None:
    """`("3.2", "State machine")` for a heading "3.2 State machine", else None."""
    match = NUMBERED.match(title)
    return (match.group(1), match.group(2).strip()) if match else None
