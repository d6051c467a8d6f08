"""The spellings the synthesis readers accept, and how words are counted."""

from __future__ import annotations

import pytest

from specrail.validation.markdown import count_words
from specrail.validation.normalise import language_tag, normalise_language, normalise_priority, role_key


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("High", "High"),
        ("high", "High"),
        ("**Critical**", "High"),
        ("P0", "High"),
        ("高", "High"),
        ("Must have", "High"),
        ("medium", "Medium"),
        ("P1", "Medium"),
        ("中", "Medium"),
        ("nice-to-have", "Low"),
        ("低", "Low"),
        ("Someday", None),
        ("", None),
    ],
)
def test_priorities(raw: str, expected: str | None) -> None:
    assert normalise_priority(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("zh", "zh"),
        ("zh-CN", "zh"),
        ("zh_Hans", "zh"),
        ("zh-Hant-TW", "zh"),
        ("Chinese", "zh"),
        ("中文", "zh"),
        ("en", "en"),
        ("en-US", "en"),
        ("English", "en"),
        ("fr", None),
        ("ja", None),
    ],
)
def test_languages(raw: str, expected: str | None) -> None:
    assert normalise_language(raw) == expected


@pytest.mark.parametrize(
    ("raw", "tag"),
    [
        ("ja", "ja"),
        ("ko-KR", "ko-KR"),
        ("pt-BR", "pt-BR"),
        ("zh_CN", "zh-CN"),
        ("zh-Hant-TW", "zh-Hant-TW"),
        ("Japanese", "ja"),
        ("日本語", "ja"),
        ("Deutsch", "de"),
        ("klingon!", None),
        ("", None),
        ("e", None),
    ],
)
def test_language_tags_are_kept_as_given(raw: str, tag: str | None) -> None:
    assert language_tag(raw) == tag


def test_role_names_ignore_case_spaces_and_hyphens() -> None:
    assert role_key("System Architect") == role_key("system-architect") == role_key("SYSTEM_ARCHITECT")
    assert role_key("ux-expert") != role_key("system-architect")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("two words", 2),
        ("离线同步", 2),
        ("离线同步。很好\uff01", 4),
        ("使用 CRDT 合并", 3),
        ("オフライン同期", 3),
        ("오프라인 동기화를 지원한다", 4),
        ("", 0),
    ],
)
def test_words_count_cjk_characters_at_their_rates(text: str, words: int) -> None:
    assert count_words(text) == words
