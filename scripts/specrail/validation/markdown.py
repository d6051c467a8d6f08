"""Structural checks of the Markdown artifacts (stdlib only)."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Chinese and Japanese text has no spaces between words, so it is measured by its characters, at
# the rates translators use to size a text against English (see RULES.md, "How words are counted"):
# an ideograph is 0.6 of a word (1000 English words are about 1700 Chinese characters) and a kana
# 0.35 (Japanese mixes the two: 1000 English words are about 2000-2500 characters). Korean spaces
# its words, but each carries its particles and endings (1000 English words are about 750 Korean
# words), so a word holding hangul is 1.35 words. Punctuation counts as nothing.
CJK = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]")
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
KANA = re.compile("[\u3040-\u30ff]")
HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
HAN_WORD, KANA_WORD, HANGUL_WORD = 0.6, 0.35, 1.35
CJK_PUNCTUATION = re.compile("[\u3000-\u303f\uff00-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")


def count_words(text: str) -> int:
    """Words of `text`: whitespace-separated tokens, plus Chinese and Japanese characters at their rates."""
    if text.isascii():
        return len(text.split())
    han = len(HAN.findall(text))
    kana = len(KANA.findall(text))
    rest = CJK_PUNCTUATION.sub(" ", KANA.sub(" ", HAN.sub(" ", text))).split()
    korean = sum(1 for token in rest if HANGUL.search(token))
    return round(han * HAN_WORD + kana * KANA_WORD + korean * HANGUL_WORD) + len(rest) - korean


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
