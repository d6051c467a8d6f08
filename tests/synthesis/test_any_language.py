"""A session in any language: its tag is kept from discover to finalize, questions carry it."""

from __future__ import annotations

import json

import pytest

from tests.support.synthesis import Synth, advance
from tests.synthesis.builders import Conf, Project

# Tags the project has no words for: the questions carry the language so that the model asks in it.
FOREIGN = ["ja", "ko", "de", "pt-BR"]


@pytest.mark.parametrize("tag", FOREIGN)
def test_a_foreign_tag_is_kept_and_carried_by_every_batch(synth: Synth, project: Project, tag: str) -> None:
    project.language = tag
    project.conflicts = {"F-001": [Conf("Merge strategy", "[UNRESOLVED]")]}
    project.build()
    discovered = synth(project.root, "discover", "--session", project.sid).json
    assert discovered["language"] == tag and project.session()["language"] == tag
    assert not any("adopted" in w for w in discovered["warnings"])
    advance(synth, project.root, project.sid, "analyzed")
    questions = synth(project.root, "questions", "--session", project.sid).json
    assert questions["language"] == tag
    assert [b["language"] for b in questions["batches"]] == [tag, tag]
    assert f"language is {tag!r}" in questions["next"] and "label exactly as given" in questions["next"]
    # the labels stay the project's own, so the answer step reads them back
    labels = [o["label"] for o in questions["batches"][1]["questions"][0]["options"]]
    assert labels == ["Decide later (Recommended)", "alpha view", "beta view"]


@pytest.mark.parametrize("tag", ["ja", "ko-KR", "de-CH", "zh-CN", "en-GB"])
def test_discover_language_is_kept_to_finalize(synth: Synth, project: Project, tag: str) -> None:
    project.build()
    answer = synth(project.root, "discover", "--session", project.sid, "--language", tag).json
    assert answer["language"] == tag
    advance(synth, project.root, project.sid, "analyzed")
    answered = synth(project.root, "answer", "--session", project.sid, "--yes").json
    assert answered["language"] == tag
    spec_input = json.loads(
        (project.session_dir / ".process" / "synthesis" / "spec-input.json").read_text(encoding="utf-8")
    )
    assert spec_input["language"] == tag
    project.write_specs()
    assert synth(project.root, "index", "--session", project.sid).json["status"] == "ok"
    final = synth(project.root, "finalize", "--session", project.sid).json
    assert final["status"] == "ok", final
    assert project.session()["language"] == tag


@pytest.mark.parametrize(("written", "tag"), [("Japanese", "ja"), ("日本語", "ja"), ("ko_KR", "ko-KR")])
def test_a_language_name_in_the_session_file_is_read_as_its_tag(
    synth: Synth, project: Project, written: str, tag: str
) -> None:
    project.language = written
    project.build()
    answer = synth(project.root, "discover", "--session", project.sid).json
    assert answer["status"] == "ok" and answer["language"] == tag
    assert any(f"is written as the tag {tag!r}" in w for w in answer["warnings"])


def test_a_chinese_session_keeps_its_region(synth: Synth, project: Project) -> None:
    project.language = "zh-TW"
    project.build()
    advance(synth, project.root, project.sid, "analyzed")
    questions = synth(project.root, "questions", "--session", project.sid).json
    assert questions["language"] == "zh-TW"
    assert questions["batches"][0]["questions"][0]["question"].startswith("请选择")
    assert "language" not in questions["batches"][0]
