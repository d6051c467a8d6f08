# ruff: noqa: RUF001, E501  (real Chinese and Japanese text: full-width punctuation, long lines)
"""Feature specs in English, Chinese, Japanese, Korean and German: measured alike, placeholders and
hollow sections caught in each, headings read in each (the index step, as the user runs it)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.synthesis import Synth, advance
from tests.synthesis.builders import Project
from tests.synthesis.lang_specs import LANGUAGES, Texts, spec

TAGS = {"en": "en", "zh": "zh-CN", "ja": "ja", "ko": "ko", "de": "de"}


def _session(synth: Synth, project: Project, lang: str) -> Any:
    project.language = TAGS[lang]
    project.build()
    advance(synth, project.root, project.sid, "answer")
    project.write_specs()
    return project.bdir / "feature-specs" / "F-001-offline-sync.md"


def _index(synth: Synth, project: Project) -> dict[str, Any]:
    return dict(synth(project.root, "index", "--session", project.sid).json)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_real_length_spec_measures_alike_in_every_language(
    synth: Synth, project: Project, lang: str
) -> None:
    path = _session(synth, project, lang)
    path.write_text(spec(LANGUAGES[lang], 20), encoding="utf-8")
    answer = _index(synth, project)
    assert answer["status"] == "ok", answer["errors"]
    words = answer["facts"]["feature-specs/F-001-offline-sync.md"]["words"]
    english = 2025  # the English text of the same spec
    assert abs(words - english) / english < 0.1, words
    assert not any("F-001" in w and "the target is" in w for w in answer["warnings"]), answer["warnings"]


PLACEHOLDERS = {
    "ja": [
        "上限は（未定）とする。",
        "保存期間：未定",
        "同期間隔は要検討。",
        "上限は〇〇件。",
        "[ここに記入]",
    ],
    "zh": ["上限：待定", "保留期限（未定）。", "上限为 XX 条。", "超时为××秒。", "{功能名称}"],
    "ko": ["보존 기간: 미정", "상한은 XX건이다.", "[여기에 입력]"],
    "de": ["Das Limit ist XX Einträge.", "[hier eintragen]", "Aufbewahrung: {Frist}…{...}"],
}
CONTENT = {
    "ja": [
        "未定義の値は 400 で拒否する。",
        "HTTP 5XX の応答は再試行する。",
        "XXL サイズの添付も扱う。",
        "2×2 のグリッドで表示する。",
    ],
    "zh": ["未定义的字段返回 400。", "待定事项列表显示在侧边栏中。", "服务器返回 5XX 时客户端重试。"],
    "ko": ["미정의 필드는 400으로 거부한다.", "HTTP 5XX 응답은 다시 시도한다."],
    "de": ["Die Route /notes/{id} liefert eine Notiz.", "Die Größe XXL wird unterstützt."],
}


@pytest.mark.parametrize(("lang", "line"), [(k, v) for k, vs in PLACEHOLDERS.items() for v in vs])
def test_placeholders_of_each_language_are_rejected_with_their_line(
    synth: Synth, project: Project, lang: str, line: str
) -> None:
    path = _session(synth, project, lang)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("One endpoint.", f"One endpoint. {line}"), encoding="utf-8")
    answer = _index(synth, project)
    assert answer["status"] == "fail"
    [error] = answer["errors"]
    number = 1 + next(n for n, ln in enumerate(text.splitlines()) if ln.startswith("One endpoint."))
    assert error["location"] == f"line {number}" and error["message"].startswith("placeholder"), error


@pytest.mark.parametrize(("lang", "line"), [(k, v) for k, vs in CONTENT.items() for v in vs])
def test_words_that_merely_contain_marker_characters_are_content(
    synth: Synth, project: Project, lang: str, line: str
) -> None:
    path = _session(synth, project, lang)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("One endpoint.", f"One endpoint. {line}"), encoding="utf-8")
    answer = _index(synth, project)
    assert answer["status"] == "ok", answer["errors"]


HOLLOW = {
    "en": ("None", "It works"),
    "zh": ("无", "可以用"),
    "ja": ("なし", "動作する。"),
    "ko": ("없음", "작동한다."),
    "de": ("Keine", "Es funktioniert."),
}


def _hollow(texts: Texts, empty: str, works: str) -> str:
    names = texts.sections
    bodies = [
        empty,
        works,
        empty,
        empty,
        works,
        "- @../guidance-specification.md",
        texts.depends,
    ]
    parts = [f"# {texts.title}\n"]
    parts += [
        f"## {n}. {name}\n\n{body}\n"
        for n, (name, body) in enumerate(zip(names, bodies, strict=True), start=1)
    ]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", list(HOLLOW))
def test_a_hollow_spec_fails_in_every_language(synth: Synth, project: Project, lang: str) -> None:
    path = _session(synth, project, lang)
    text = _hollow(LANGUAGES[lang], *HOLLOW[lang])
    path.write_text(text, encoding="utf-8")
    answer = _index(synth, project)
    assert answer["status"] == "fail"
    lines = text.splitlines()
    empty = [e for e in answer["errors"] if "is empty of content" in e["message"]]
    assert [e["location"] for e in empty] == [
        f"line {1 + lines.index(f'## {n}. {LANGUAGES[lang].sections[n - 1]}')}" for n in (1, 2, 3, 4, 5)
    ]
    assert any("a hollow spec" in e["message"] and "at least 300" in e["message"] for e in answer["errors"])


def test_a_short_but_real_spec_is_only_warned_about_its_length(synth: Synth, project: Project) -> None:
    path = _session(synth, project, "ja")
    path.write_text(spec(LANGUAGES["ja"], 4), encoding="utf-8")
    answer = _index(synth, project)
    assert answer["status"] == "ok", answer["errors"]
    assert any("the target is 1500-2500" in w for w in answer["warnings"])


def test_an_unrecognised_heading_names_the_expected_one(synth: Synth, project: Project) -> None:
    path = _session(synth, project, "ja")
    text = spec(LANGUAGES["ja"], 20).replace("## 4. 制約とリスク", "## 4. 注意点")
    path.write_text(text, encoding="utf-8")
    answer = _index(synth, project)
    assert answer["status"] == "fail"
    error, missing = answer["errors"]
    assert missing["message"] == "section missing"
    assert error["message"] == (
        "unexpected section '4. 注意点': expected '## 4. Constraints & Risks' (or 约束与风险 / 制約とリスク)"
    )
    assert error["location"] == f"line {1 + text.splitlines().index('## 4. 注意点')}"


def test_a_language_without_known_names_is_read_by_section_number(synth: Synth, project: Project) -> None:
    project.language = "pt-BR"
    project.build()
    advance(synth, project.root, project.sid, "answer")
    project.write_specs()
    path = project.bdir / "feature-specs" / "F-001-offline-sync.md"
    names = ["Resumo", "Decisões de projeto", "Contrato de interface", "Restrições e riscos"]
    names += ["Critérios de aceitação", "Referências", "Dependências entre funcionalidades"]
    text = spec(LANGUAGES["en"], 20)
    for english, name in zip(LANGUAGES["en"].sections, names, strict=True):
        text = text.replace(f". {english}\n", f". {name}\n")
    path.write_text(text.replace("Feature Spec: F-001 - Offline Sync", "Especificação F-001 - Sincronização"))
    answer = _index(synth, project)
    assert answer["status"] == "ok", answer["errors"]
    assert sum("by its number" in w for w in answer["warnings"]) == 7


CHANGELOGS = {
    "ja": "# 統合変更履歴\n\n## 適用した改善\n- **EP-001**: 適用済み\n- **EP-002**: 適用済み\n\n## 解決した確認事項\n- なし\n\n"
    "## 解決した対立\n- なし\n\n## 未解決事項\n- なし\n",
    "ko": "# 합성 변경 로그\n\n## 적용된 개선\n- **EP-001**: 적용됨\n- **EP-002**: 적용됨\n\n## 해결된 확인 사항\n- 없음\n\n"
    "## 해결된 충돌\n- 없음\n\n## 미해결 항목\n- 없음\n",
    "de": "# Syntheseprotokoll\n\n## Angewendete Verbesserungen\n- **EP-001**: angewendet\n- **EP-002**: angewendet\n\n"
    "## Geklärte Fragen\n- keine\n\n## Gelöste Konflikte\n- keine\n\n## Offene Punkte\n- keine\n",
}


@pytest.mark.parametrize("lang", list(CHANGELOGS))
def test_a_changelog_in_the_sessions_language_passes(synth: Synth, project: Project, lang: str) -> None:
    _session(synth, project, lang)
    project.write("synthesis-changelog.md", CHANGELOGS[lang])
    answer = _index(synth, project)
    assert answer["status"] == "ok", answer["errors"]
