# ruff: noqa: RUF001  (real Chinese and Japanese text uses full-width punctuation)
"""The index step holds the specs to the user's answers: decided conflicts and selected enhancements,
in English, Chinese, Japanese and German sessions."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from tests.support.synthesis import Synth, advance
from tests.synthesis.builders import Conf, Project


@dataclass
class Lang:
    tag: str
    topic: str
    alpha: str  # the view the user chooses
    beta: str  # the view the user rejects
    chosen: str  # a decision line stating alpha's view in its own words
    by_role: str  # a decision line naming the chosen role only
    rejected: str  # a decision line adopting beta's view
    not_applied: str  # a line naming EP-002 as not applied

    @property
    def label(self) -> str:
        return "alpha 观点" if self.tag.startswith("zh") else "alpha view"


LANGS = [
    Lang(
        "en",
        "Merge strategy",
        "Merge concurrent edits with a text CRDT so that no edit is lost",
        "Let the server copy win and show a merge notice to the user",
        "**Decision**: concurrent edits are merged with a text CRDT, so no edit is ever lost "
        "(decided by the user).",
        "**Decision**: we follow the alpha approach (decided by the user).",
        "**Decision**: the server copy wins and the user sees a merge notice.",
        "EP-002 (offline cache) was not selected, so the cache stays as it is.",
    ),
    Lang(
        "zh-CN",
        "合并策略",
        "使用文本 CRDT 合并并发编辑，不丢失任何修改",
        "以服务器副本为准，并向用户显示合并提示",
        "**决策**：采用文本 CRDT 合并并发编辑，任何修改都不会丢失（用户决定）。",
        "**决策**：采用 alpha 的方案（用户决定）。",
        "**决策**：以服务器副本为准，向用户显示合并提示。",
        "EP-002（离线缓存）未选择，缓存保持不变。",
    ),
    Lang(
        "ja",
        "マージ方式",
        "テキスト CRDT で同時編集をマージし、編集を失わない",
        "サーバー側のコピーを優先し、ユーザーにマージ通知を表示する",
        "**決定**：同時編集はテキスト CRDT でマージし、編集を失わない（ユーザーが決定）。",
        "**決定**：alpha の方式を採用する（ユーザーが決定）。",
        "**決定**：サーバー側のコピーを優先し、マージ通知を表示する。",
        "EP-002（オフラインキャッシュ）は選択されなかったため、キャッシュは現状のままとする。",
    ),
    Lang(
        "de",
        "Zusammenführungsstrategie",
        "Gleichzeitige Änderungen mit einem Text-CRDT zusammenführen, damit keine Änderung verloren geht",
        "Die Serverkopie gewinnt und der Nutzer sieht einen Hinweis zur Zusammenführung",
        "**Entscheidung**: Gleichzeitige Änderungen werden mit einem Text-CRDT zusammengeführt, keine "
        "Änderung geht verloren (vom Nutzer entschieden).",
        "**Entscheidung**: Wir folgen dem Ansatz von alpha (vom Nutzer entschieden).",
        "**Entscheidung**: Die Serverkopie gewinnt, der Nutzer sieht einen Hinweis.",
        "EP-002 (Offline-Cache) wurde nicht ausgewählt; der Cache bleibt unverändert.",
    ),
]


def _decided(synth: Synth, project: Project, lang: Lang, answer: str | None = None) -> Any:
    """A session whose user chose alpha's view on the topic of F-001; the F-001 spec path."""
    project.language = lang.tag
    project.enhancements = 3
    project.conflicts = {"F-001": [Conf(lang.topic, "[UNRESOLVED]")]}
    project.build()
    data = project.conflict_map()
    data["F-001"]["conflicts"][0]["views"] = {"alpha": lang.alpha, "beta": lang.beta}
    project.write_json("feature-conflict-map.json", data)
    advance(synth, project.root, project.sid, "analyzed")
    questions = synth(project.root, "questions", "--session", project.sid).json
    ep1 = next(
        o["label"] for o in questions["batches"][0]["questions"][0]["options"] if "EP-001" in o["label"]
    )
    file = project.session_dir / ".process" / "answers.json"
    file.parent.mkdir(exist_ok=True)
    file.write_text(json.dumps({"answers": {"E1": [ep1], "Q1": answer or lang.label}}, ensure_ascii=False))
    assert synth(project.root, "answer", "--session", project.sid, "--answers", str(file)).code == 0
    project.write_specs()
    return project.bdir / "feature-specs" / "F-001-offline-sync.md"


def _state(spec: Any, lang: Lang, decision: str, keep_open: bool = False) -> None:
    text = spec.read_text(encoding="utf-8")
    text = text.replace(f"**Decision**: settle {lang.topic.lower()} now.", decision)
    if not keep_open:
        text = text.replace(f"**[DECISION NEEDED]**: {lang.topic}. **Options**: alpha vs beta.", "")
    spec.write_text(text, encoding="utf-8")


def _index(synth: Synth, project: Project) -> dict[str, Any]:
    return dict(synth(project.root, "index", "--session", project.sid).json)


@pytest.mark.parametrize("lang", LANGS, ids=lambda lang: lang.tag)
@pytest.mark.parametrize("how", ["chosen", "by_role"])
def test_a_decision_stated_as_chosen_passes(synth: Synth, project: Project, lang: Lang, how: str) -> None:
    spec = _decided(synth, project, lang)
    _state(spec, lang, getattr(lang, how))
    answer = _index(synth, project)
    assert answer["status"] == "ok", answer["errors"]


@pytest.mark.parametrize("lang", LANGS, ids=lambda lang: lang.tag)
def test_a_spec_adopting_the_rejected_view_fails_naming_topic_and_choice(
    synth: Synth, project: Project, lang: Lang
) -> None:
    spec = _decided(synth, project, lang)
    _state(spec, lang, lang.rejected)
    answer = _index(synth, project)
    assert answer["status"] == "fail"
    [error] = answer["errors"]
    assert error["file"].endswith("F-001-offline-sync.md") and error["location"] == "§2 Design Decisions"
    assert f"the user chose '{lang.label}' for '{lang.topic}'" in error["message"]
    assert error["message"].endswith("but the spec adopts the beta view") and error["hint"]
    assert not (project.bdir / "feature-index.json").exists()


@pytest.mark.parametrize("lang", LANGS, ids=lambda lang: lang.tag)
def test_a_decided_topic_left_open_fails(synth: Synth, project: Project, lang: Lang) -> None:
    spec = _decided(synth, project, lang)
    _state(spec, lang, lang.chosen, keep_open=True)
    answer = _index(synth, project)
    assert answer["status"] == "fail"
    assert any(
        lang.topic in e["message"] and "leaves it [DECISION NEEDED]" in e["message"] for e in answer["errors"]
    ), answer["errors"]


def test_the_suggested_resolution_chosen_passes_when_stated(synth: Synth, project: Project) -> None:
    lang = LANGS[0]
    project.language = "en"
    project.conflicts = {"F-001": [Conf(lang.topic, "[SUGGESTED]")]}
    project.build()
    advance(synth, project.root, project.sid, "answer")
    project.write_specs()
    spec = project.bdir / "feature-specs" / "F-001-offline-sync.md"
    _state(spec, lang, "**Decision**: adopt the shared approach to merge strategy because it is simpler.")
    assert _index(synth, project)["status"] == "ok"


@pytest.mark.parametrize("lang", LANGS, ids=lambda lang: lang.tag)
def test_an_unselected_enhancement_applied_in_a_spec_fails(
    synth: Synth, project: Project, lang: Lang
) -> None:
    spec = _decided(synth, project, lang)
    _state(spec, lang, lang.chosen)
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("One endpoint.", f"One endpoint.\n\n{lang.not_applied}"), encoding="utf-8")
    assert _index(synth, project)["status"] == "ok", "a line saying EP-002 was not selected is no application"
    spec.write_text(text.replace("One endpoint.", "One endpoint, cached offline (EP-002)."), encoding="utf-8")
    answer = _index(synth, project)
    assert answer["status"] == "fail"
    [error] = answer["errors"]
    line = 1 + next(n for n, ln in enumerate(text.splitlines()) if ln.startswith("One endpoint."))
    assert (error["location"], error["message"]) == (
        f"line {line}",
        "EP-002 is applied here, but the user did not select it",
    )
    assert error["hint"] == "apply only the selected enhancements: EP-001"


@pytest.mark.parametrize(
    "line",
    [
        "| EP-002 | Offline cache | F-001 |",
        "1. EP-002 applied to F-001",
        "### EP-002: Offline cache",
        "EP-002：已应用",
    ],
)
def test_an_unselected_enhancement_in_any_changelog_line_format_fails(
    synth: Synth, project: Project, line: str
) -> None:
    lang = LANGS[2]
    spec = _decided(synth, project, lang)
    _state(spec, lang, lang.chosen)
    changelog = project.bdir / "synthesis-changelog.md"
    text = changelog.read_text(encoding="utf-8")
    changelog.write_text(text.replace("## Enhancements Applied\n", f"## Enhancements Applied\n{line}\n"))
    answer = _index(synth, project)
    assert answer["status"] == "fail"
    [error] = answer["errors"]
    assert error["message"] == "EP-002 is listed as applied, but the user did not select it"
    assert error["hint"] == "list only the selected enhancements: EP-001"


def test_a_suggested_resolution_worded_like_a_view_passes_when_stated(synth: Synth, project: Project) -> None:
    project.conflicts = {"F-001": [Conf("Merge strategy", "[SUGGESTED]")]}
    project.build()
    data = project.conflict_map()
    conflict = data["F-001"]["conflicts"][0]
    conflict["views"] = {"alpha": "Merge edits with a text CRDT", "beta": "Let the server copy win"}
    conflict["resolution"] = "Merge edits with a text CRDT"
    project.write_json("feature-conflict-map.json", data)
    advance(synth, project.root, project.sid, "answer")
    project.write_specs()
    spec = project.bdir / "feature-specs" / "F-001-offline-sync.md"
    _state(spec, LANGS[0], "**Decision**: edits are merged with a text CRDT.")
    assert _index(synth, project)["status"] == "ok"
    project.write_specs()
    _state(spec, LANGS[0], "**Decision**: the server copy wins.")
    answer = _index(synth, project)
    assert answer["status"] == "fail"
    assert answer["errors"][0]["message"].endswith("but the spec adopts the beta view")
