"""`specrail synthesis questions` and `answer`: AskUserQuestion batches and the spec context."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.support.synthesis import Synth, advance
from tests.synthesis.builders import Conf, Project


def _questions(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return [q for batch in answer["batches"] for q in batch["questions"]]


def _ready(synth: Synth, project: Project) -> Project:
    project.build()
    advance(synth, project.root, project.sid, "analyzed")
    return project


def test_example_batches_follow_the_tool_limits(synth: Synth, example: Path, sid: str) -> None:
    advance(synth, example, sid, "analyzed")
    answer = synth(example, "questions", "--session", sid).json
    assert answer["enhancement_questions"] == 2 and answer["clarification_questions"] == 4
    for batch in answer["batches"]:
        assert 1 <= len(batch["questions"]) <= 4 and len(batch["ids"]) == len(batch["questions"])
    for q in _questions(answer):
        assert set(q) == {"question", "header", "multiSelect", "options"}
        assert 2 <= len(q["options"]) <= 4 and len(q["header"]) <= 12
        assert all(set(o) == {"label", "description"} and o["label"] for o in q["options"])
    enhancement = answer["batches"][0]
    assert enhancement["kind"] == "enhancement"
    assert all(
        q["multiSelect"] and q["options"][-1]["label"] == "Skip these" for q in enhancement["questions"]
    )
    labels = [o["label"] for q in enhancement["questions"] for o in q["options"]]
    assert [label.split(":")[0] for label in labels if label.startswith("EP-")] == [
        f"EP-00{n}" for n in range(1, 6)
    ]


def test_unresolved_conflicts_come_first_and_defer_is_recommended(
    synth: Synth, example: Path, sid: str
) -> None:
    advance(synth, example, sid, "analyzed")
    answer = synth(example, "questions", "--session", sid).json
    clar = answer["batches"][1]
    first = clar["questions"][0]
    assert (
        "F-002 Team Workspaces" in first["question"]
        and "Offline access after a member is removed" in first["question"]
    )
    assert first["options"][0]["label"] == "Decide later (Recommended)"
    assert first["header"] == "Decisions" and first["multiSelect"] is False
    suggested = clar["questions"][1]
    assert suggested["options"][0]["label"] == "Suggested resolution (Recommended)"
    assert suggested["options"][0]["description"].startswith("Show the global status line")
    assert [o["label"] for o in suggested["options"][1:]] == ["system-architect view", "ux-expert view"]
    assert answer["recommended"][clar["ids"][0]] == ["Decide later (Recommended)"]


def test_no_conflicts_means_no_clarification_questions(synth: Synth, project: Project) -> None:
    _ready(synth, project)
    answer = synth(project.root, "questions", "--session", project.sid).json
    assert answer["clarification_questions"] == 0
    assert [b["kind"] for b in answer["batches"]] == ["enhancement"]


def test_many_unresolved_conflicts_are_batched_by_four(synth: Synth, project: Project) -> None:
    project.conflicts = {
        "F-001": [Conf(f"Topic {n}", "[UNRESOLVED]") for n in range(1, 4)],
        "F-002": [Conf("Topic 4", "[UNRESOLVED]"), Conf("Topic 5", "[SUGGESTED]"), Conf("Topic 6")],
    }
    project.enhancements = 7
    _ready(synth, project)
    answer = synth(project.root, "questions", "--session", project.sid).json
    assert answer["clarification_questions"] == 5  # the [RESOLVED] one is not asked
    kinds = [(b["kind"], len(b["questions"])) for b in answer["batches"]]
    assert kinds == [("enhancement", 3), ("clarification", 4), ("clarification", 1)]
    last_enhancement = answer["batches"][0]["questions"][-1]
    assert [o["label"] for o in last_enhancement["options"]] == [
        "EP-007: Enhancement number 7 about caching",
        "Skip these",
    ]
    texts = [q["question"] for q in _questions(answer)]
    assert len(set(texts)) == len(texts)
    assert all("Decide later" in q["options"][0]["label"] for q in answer["batches"][1]["questions"])


def test_chinese_wording(synth: Synth, project: Project) -> None:
    project.language = "zh"
    project.conflicts = {"F-001": [Conf("Merge strategy", "[UNRESOLVED]")]}
    _ready(synth, project)
    answer = synth(project.root, "questions", "--session", project.sid).json
    enh, clar = answer["batches"][0]["questions"][0], answer["batches"][1]["questions"][0]
    assert enh["header"] == "改进选择" and enh["question"].startswith("请选择要应用的改进建议")
    assert enh["options"][-1]["label"] == "跳过"
    assert clar["header"] == "决策确认" and clar["options"][0]["label"] == "暂缓决定 (推荐)"
    assert "各角色" in clar["question"]
    synth(project.root, "answer", "--session", project.sid, "--yes")
    context = project.session()["spec_context"]
    assert context["clarification_answers"][0]["answer"].startswith("暂缓决定")


def test_auto_mode_takes_every_enhancement_and_recommended_answer(
    synth: Synth, example: Path, sid: str
) -> None:
    synth(example, "discover", "--yes")
    synth(example, "analyzed", "--session", sid)
    q = synth(example, "questions", "--session", sid).json
    assert q["auto_mode"] is True and "--yes" in q["next"]
    answer = synth(example, "answer", "--session", sid, "--yes").json
    assert answer["state"] == "CLARIFIED" and answer["auto"] is True
    assert answer["selected_enhancements"] == ["EP-001", "EP-002", "EP-003", "EP-004", "EP-005"]
    session = json.loads((example / ".workflow/active" / sid / "workflow-session.json").read_text())
    context = session["spec_context"]
    assert context["auto_mode"] is True and context["questions_asked"] == 4
    assert context["original_user_intent"].startswith("Build Fieldbook")
    assert [e["id"] for e in context["enhancement_details"]] == answer["selected_enhancements"]
    assert all(a["auto"] and a["category"] == "Decisions" for a in context["clarification_answers"])
    assert context["clarification_answers"][0]["answer"].startswith("Decide later: Keep it open")
    spec_input = json.loads(Path(answer["spec_input_path"]).read_text(encoding="utf-8"))
    bundles = spec_input["feature_bundles"]
    assert "spec_input" not in answer and answer["specs_to_write"] == [b["output_path"] for b in bundles]
    assert bundles[0]["output_path"] == "feature-specs/F-001-offline-sync.md"
    assert bundles[3]["contributing_roles"] == ["product-manager", "system-architect"]
    assert bundles[0]["conflict_map_entry"]["conflicts"][0]["topic"] == "Sync over mobile data"


def _answer_file(tmp_path: Path, data: Any) -> str:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data, ensure_ascii=False))
    return str(path)


def test_user_answers_are_recorded(synth: Synth, project: Project, tmp_path: Path) -> None:
    project.conflicts = {
        "F-001": [Conf("Merge strategy", "[UNRESOLVED]"), Conf("Sync cadence", "[SUGGESTED]")]
    }
    project.enhancements = 4
    _ready(synth, project)
    q = synth(project.root, "questions", "--session", project.sid).json
    clar = q["batches"][1]["questions"]
    data = {
        "answers": {
            "E1": [
                "EP-001: Enhancement number 1 about caching",
                "EP-003: Enhancement number 3 about caching",
            ],
            q["batches"][0]["questions"][1]["question"]: "Skip these",
            clar[0]["question"]: "alpha view",
            "Q2": "Only sync on Wi-Fi, decided by the crew lead",
        },
        "extra": [{"question": "Which term for a page?", "answer": "Note", "category": "Terminology"}],
    }
    answer = synth(
        project.root, "answer", "--session", project.sid, "--answers", _answer_file(tmp_path, data)
    ).json
    assert answer["status"] == "ok" and answer["selected_enhancements"] == ["EP-001", "EP-003"]
    context = project.session()["spec_context"]
    answers = context["clarification_answers"]
    assert answers[0] == {
        "question": clar[0]["question"],
        "answer": "alpha view: alpha prefers its own approach to merge strategy",
        "category": "Decisions",
        "auto": False,
        "feature_id": "F-001",
        "topic": "Merge strategy",
        "deferred": False,
    }
    assert answers[1]["answer"] == "Only sync on Wi-Fi, decided by the crew lead"
    assert answers[2]["category"] == "Terminology"
    assert context["questions_asked"] == 3 and context["auto_mode"] is False


def test_multi_select_answer_as_one_string(synth: Synth, project: Project, tmp_path: Path) -> None:
    _ready(synth, project)
    data = {"answers": {"E1": "EP-002: Enhancement number 2 about caching, EP-001: Enhancement number 1"}}
    answer = synth(
        project.root, "answer", "--session", project.sid, "--answers", _answer_file(tmp_path, data)
    ).json
    assert answer["selected_enhancements"] == ["EP-001", "EP-002"]


@pytest.mark.parametrize(
    ("data", "pointer", "message"),
    [
        ({"answers": {"Q9": "x"}}, "/answers/Q9", "no such question"),
        ({"answers": {"E1": ["EP-042: nothing"]}}, "/answers/E1", "unknown enhancement EP-042"),
        ({"answers": {"E1": [3]}}, "/answers/E1", "label"),
        ({"answer": {}}, "/", "unknown key 'answer'"),
        (
            {"extra": [{"question": "q", "answer": "a", "category": "Mood"}]},
            "/extra/0/category",
            "Input should be",
        ),
        ([1, 2], "/", "JSON object"),
    ],
)
def test_bad_answers_name_the_pointer(
    synth: Synth, project: Project, tmp_path: Path, data: Any, pointer: str, message: str
) -> None:
    _ready(synth, project)
    result = synth(
        project.root, "answer", "--session", project.sid, "--answers", _answer_file(tmp_path, data)
    )
    assert result.code == 1
    error = result.json["error"]
    assert (
        error["pointer"] == pointer and message in error["message"] and error["file"].endswith("answers.json")
    )
    assert project.session()["state"] == "ANALYZED" and project.session()["spec_context"] is None


def test_answer_needs_answers_or_yes_but_not_both(synth: Synth, project: Project, tmp_path: Path) -> None:
    _ready(synth, project)
    assert synth(project.root, "answer", "--session", project.sid).code == 2
    both = synth(
        project.root, "answer", "--session", project.sid, "--yes", "--answers", _answer_file(tmp_path, {})
    )
    assert both.code == 2


def test_answer_before_analysis_is_refused(synth: Synth, project: Project) -> None:
    project.build()
    synth(project.root, "discover")
    result = synth(project.root, "answer", "--session", project.sid, "--yes")
    assert result.code == 1 and "cannot go to CLARIFIED" in result.json["error"]["message"]


def test_answers_from_stdin(synth: Synth, project: Project) -> None:
    _ready(synth, project)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "specrail",
            "synthesis",
            "answer",
            "--session",
            project.sid,
            "--answers",
            "-",
            "--root",
            str(project.root),
            "--json",
        ],
        input=json.dumps({"answers": {"E1": ["EP-002: Enhancement number 2 about caching"]}}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["selected_enhancements"] == ["EP-002"]


def test_spec_input_for_the_single_spec_mode(synth: Synth, project: Project) -> None:
    project.subdocs = False
    _ready(synth, project)
    synth(project.root, "answer", "--session", project.sid, "--yes")
    answer = synth(project.root, "spec-input", "--session", project.sid).json
    assert answer["feature_mode"] is False and answer["output_path"] == "synthesis-specification.md"
    assert "alpha/analysis.md" in answer["role_analysis_paths"] and "feature_bundles" not in answer
