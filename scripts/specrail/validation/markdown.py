"""Structural checks of the Markdown artifacts (stdlib only)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Chinese, Japanese and Korean text has no spaces between words: each ideograph, kana or hangul
# syllable counts as one word, its punctuation as none; other text counts by whitespace.
CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]")
CJK_PUNCTUATION = re.compile("[\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")


def count_words(text: str) -> int:
    """Words of `text`: whitespace-separated tokens, plus one per CJK character (see CJK)."""
    if text.isascii():
        return len(text.split())
    rest = CJK_PUNCTUATION.sub(" ", CJK.sub(" ", text))
    return len(CJK.findall(text)) + len(rest.split())


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
        return count_words(self.text)


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
        total += sec.words + count_words(sec.title)
    return total


NUMBERED = re.compile(r"^([0-9]+(?:\.[0-9]+)*)\.?\s+(.+)$")


def numbered(title: str) -> tuple[str, str] | None:
    """`("3.2", "State machine")` for a heading "3.2 State machine", else None."""
    match = NUMBERED.match(title)
    return (match.group(1), match.group(2).strip()) if match else None
