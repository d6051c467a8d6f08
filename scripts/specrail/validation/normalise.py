"""Spellings the synthesis inputs use for one thing, mapped to the one the workflow reads (stdlib only)."""

from __future__ import annotations

import re

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


def normalise_language(raw: str) -> str | None:
    """`en` or `zh` for a language tag or name (`zh-CN`, `zh_Hans`, `Chinese`, `en-US`); None when neither."""
    folded = raw.strip().lower().replace("_", "-")
    primary = folded.split("-", 1)[0]
    if primary in ("zh", "cmn", "yue") or folded in _CHINESE:
        return "zh"
    if primary in ("en", "english"):
        return "en"
    return None
