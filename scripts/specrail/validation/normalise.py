"""Spellings the synthesis inputs use for one thing, mapped to the one the workflow reads (stdlib only)."""

from __future__ import annotations

import re

from specrail.validation.patterns import LANGUAGE_TAG_PATTERN

_PRIORITY = {
    **dict.fromkeys(("high", "critical", "highest", "urgent", "blocker", "must", "must have", "p0"), "High"),
    **dict.fromkeys(("高", "最高", "紧急", "关键", "重要", "高优先级"), "High"),
    **dict.fromkeys(("medium", "normal", "moderate", "should", "should have", "mid", "p1"), "Medium"),
    **dict.fromkeys(("中", "中等", "普通", "一般", "中优先级"), "Medium"),
    **dict.fromkeys(("low", "lowest", "minor", "could", "could have", "nice to have", "p2", "p3"), "Low"),
    **dict.fromkeys(("低", "最低", "次要", "可选", "低优先级"), "Low"),
}
_SEPARATORS = re.compile(r"[\s_\-]+")


def _folded(text: str) -> str:
    return _SEPARATORS.sub(" ", text.strip(" *`").lower()).strip()


def normalise_priority(raw: str) -> str | None:
    """High, Medium or Low for any known spelling (`critical`, `P0`, `高`, ...); None when unknown."""
    return _PRIORITY.get(_folded(raw))


def role_key(name: str) -> str:
    """A role name ignoring case, spaces, hyphens and underscores: "System Architect" is system-architect."""
    return _SEPARATORS.sub("", name.strip(" *`").lower())


_CHINESE = ("zh", "cn", "chinese", "中文", "简体中文", "繁體中文", "汉语", "漢語")
# Language names a hand-written session file may hold instead of a tag.
_NAMES = {
    **dict.fromkeys(_CHINESE, "zh"),
    **dict.fromkeys(("english", "英语", "英語"), "en"),
    **dict.fromkeys(("japanese", "日本語", "日语", "日語"), "ja"),
    **dict.fromkeys(("korean", "한국어", "韩语", "韓国語"), "ko"),
    **dict.fromkeys(("german", "deutsch"), "de"),
    **dict.fromkeys(("french", "français", "francais"), "fr"),
    **dict.fromkeys(("spanish", "español", "espanol"), "es"),
    **dict.fromkeys(("portuguese", "português", "portugues"), "pt"),
}
LANGUAGE_TAG = re.compile(LANGUAGE_TAG_PATTERN)


def language_tag(raw: str) -> str | None:
    """A BCP 47 tag for `raw`, kept as given (`ja`, `pt-BR`, `zh-Hant-TW`); `zh_CN` is written
    `zh-CN` and a language name (`Japanese`, `中文`) its tag; None when it is neither."""
    text = raw.strip().replace("_", "-")
    if LANGUAGE_TAG.match(text):
        return text
    return _NAMES.get(text.lower())


def normalise_language(raw: str) -> str | None:
    """`en` or `zh` when the project has the words for the language of `raw`
    (`zh-CN`, `zh_Hans`, `Chinese`, `en-US`); None for any other language."""
    tag = language_tag(raw)
    primary = (tag or "").split("-", 1)[0].lower()
    if primary in ("zh", "cmn", "yue"):
        return "zh"
    if primary == "en":
        return "en"
    return None
