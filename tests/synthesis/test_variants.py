"""Realistic variants of a brainstorming session: what the seed allows passes (with warnings where
something was normalised), the seed's real violations fail with file, location and fix.

Each variant starts from the small built session of `builders.Project`, changes one thing the way
a model or a user writes it, and runs the synthesis steps up to the one that reads the change.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.synthesis import Synth, advance
from tests.synthesis.builders import Conf, Feat, Project

Change = Callable[[Project], None]

TABLE_HEAD = "## Feature Decomposition\n\n"


def guidance_table(header: str, rows: list[str], heading: str = TABLE_HEAD) -> Change:
    """Replace the decomposition table of the guidance specification."""

    def change(p: Project) -> None:
        text = (p.bdir / "guidance-specification.md").read_text(encoding="utf-8")
        cut = text.index("## Feature Decomposition")
        cells = header.count("|") - 1
        body = "\n".join([header, "|" + "---|" * cells, *rows])
        p.write("guidance-specification.md", text[:cut] + heading + body + "\n")

    return change


def recommendations(**fields: Any) -> Change:
    """Set `fields` on the first enhancement recommendation."""

    def change(p: Project) -> None:
        data = json.loads((p.bdir / "enhancement-recommendations.json").read_text(encoding="utf-8"))
        data[0].update(fields)
        p.write_json("enhancement-recommendations.json", data)

    return change


def conflict(fid: str = "F-001", drop: tuple[str, ...] = (), **fields: Any) -> Change:
    """Add one conflict to `fid` in the conflict map, with `fields` set and `drop` keys removed."""

    def change(p: Project) -> None:
        data = json.loads((p.bdir / "feature-conflict-map.json").read_text(encoding="utf-8"))
        item = Conf("Merge strategy", "[RESOLVED]").as_json()
        item.update(fields)
        for key in drop:
            item.pop(key, None)
        data[fid]["conflicts"].append(item)
        p.write_json("feature-conflict-map.json", data)

    return change


def conflict_map(fid: str, key: str, value: Any) -> Change:
    def change(p: Project) -> None:
        data = json.loads((p.bdir / "feature-conflict-map.json").read_text(encoding="utf-8"))
        data[fid][key] = value
        p.write_json("feature-conflict-map.json", data)

    return change


@dataclass
class Variant:
    name: str
    change: Change
    step: str  # the synthesis step that reads the change: discover or analyzed
    ok: bool
    warning: str = ""  # a fragment of one warning (ok) or of the error (not ok)
    location: str = ""  # the error's location (not ok)
    project: Callable[[Project], None] | None = None  # set up the project before build()
    # discover: the (id, roles, priority) of each feature read from the table, when not READ_AS_WRITTEN
    read: list[tuple[str, list[str], str]] | None = None


def _fid4(p: Project) -> None:
    p.features = [Feat("F-0001", "Offline Sync", ["alpha", "beta"]), Feat("F-0002", "Sharing", ["beta"])]


HEADER = "| ID | Name | Slug | Description | Roles | Priority |"
ROWS = [
    "| F-001 | Offline Sync | offline-sync | d | alpha, beta | High |",
    "| F-002 | Sharing | sharing | d | beta | Low |",
]

# What every spelling of ROWS must be read as: the ids, roles and priorities of the two features.
READ_AS_WRITTEN = [("F-001", ["alpha", "beta"], "High"), ("F-002", ["beta"], "Low")]

VARIANTS = [
    # --- the guidance table: header synonyms, priorities, ids, slugs -----------------------------
    Variant(
        "feature-id-header",
        guidance_table("| Feature ID | Feature | Slug | Description | Roles | Priority |", ROWS),
        "discover",
        ok=True,
    ),
    Variant(
        "chinese-headers",
        guidance_table(
            "| 编号 | 名称 | Slug | 描述 | 角色 | 优先级 |", ROWS, "## 功能分解 (Feature Decomposition)\n\n"
        ),
        "discover",
        ok=True,
    ),
    Variant(
        "bold-lowercase-headers",
        guidance_table("| **id** | **name** | **slug** | **description** | **roles** | **priority** |", ROWS),
        "discover",
        ok=True,
    ),
    Variant(
        "critical-priority",
        guidance_table(
            "| ID | Name | Slug | Description | Roles | Priority |",
            [ROWS[0].replace("High", "Critical"), ROWS[1]],
        ),
        "discover",
        ok=True,
        warning="priority 'Critical' read as High",
    ),
    Variant(
        "chinese-priority",
        guidance_table(
            "| ID | Name | Slug | Description | Roles | Priority |",
            [ROWS[0].replace("High", "高"), ROWS[1].replace("Low", "低")],
        ),
        "discover",
        ok=True,
        warning="priority '高' read as High",
    ),
    Variant(
        "p0-priority",
        guidance_table(
            "| ID | Name | Slug | Description | Roles | Priority |", [ROWS[0].replace("High", "P0"), ROWS[1]]
        ),
        "discover",
        ok=True,
        warning="priority 'P0' read as High",
    ),
    Variant(
        "unknown-priority-kept",
        guidance_table(
            "| ID | Name | Slug | Description | Roles | Priority |",
            [ROWS[0].replace("High", "Someday"), ROWS[1]],
        ),
        "discover",
        ok=True,
        warning="priority 'Someday' is not High, Medium or Low; kept as written",
        read=[("F-001", ["alpha", "beta"], "Someday"), ("F-002", ["beta"], "Low")],
    ),
    Variant("four-digit-ids", lambda p: None, "analyzed", ok=True, project=_fid4),
    Variant(
        "no-slug-column",
        guidance_table(
            "| ID | Name | Description | Roles | Priority |",
            ["| F-001 | Offline Sync | d | alpha, beta | High |", "| F-002 | Sharing | d | beta | Low |"],
        ),
        "discover",
        ok=True,
    ),
    # --- enhancement recommendations ---------------------------------------------------------
    Variant("category-security", recommendations(category="Security"), "analyzed", ok=True),
    Variant("category-performance", recommendations(category="Performance"), "analyzed", ok=True),
    Variant("priority-critical", recommendations(priority="Critical"), "analyzed", ok=True),
    Variant("priority-lowercase", recommendations(priority="high"), "analyzed", ok=True),
    Variant(
        "priority-unknown",
        recommendations(priority="Soonish"),
        "analyzed",
        ok=True,
        warning="priority 'Soonish' is not High, Medium or Low",
    ),
    Variant("role-display-name", recommendations(affected_roles=["Alpha"]), "analyzed", ok=True),
    Variant(
        "role-not-in-session",
        recommendations(affected_roles=["System Architect"]),
        "analyzed",
        ok=True,
        warning="role 'System Architect' has no analysis folder",
    ),
    Variant(
        "extra-key-kept",
        recommendations(effort="2 days"),
        "analyzed",
        ok=True,
        warning="unknown key 'effort' (kept",
    ),
    Variant(
        "missing-rationale",
        lambda p: _recommendations_without_a_rationale(p),
        "analyzed",
        ok=False,
        warning="'rationale' is a required property",
        location="/0",
    ),
    Variant(
        "bad-enhancement-id",
        recommendations(id="EP-1"),
        "analyzed",
        ok=False,
        warning="is not an enhancement id like EP-001",
        location="/0/id",
    ),
    # --- the conflict map ----------------------------------------------------------------------
    Variant(
        "unresolved-empty-resolution",
        conflict(confidence="[UNRESOLVED]", resolution=""),
        "analyzed",
        ok=True,
    ),
    Variant(
        "unresolved-no-resolution",
        conflict(confidence="[UNRESOLVED]", drop=("resolution",)),
        "analyzed",
        ok=True,
    ),
    Variant(
        "unresolved-with-suggestion",
        conflict(confidence="[UNRESOLVED]", resolution="Either could work"),
        "analyzed",
        ok=True,
    ),
    Variant(
        "resolved-empty-resolution",
        conflict(confidence="[RESOLVED]", resolution=""),
        "analyzed",
        ok=False,
        warning="should be non-empty",
        location="/F-001/conflicts/0/resolution",
    ),
    Variant(
        "suggested-without-resolution",
        conflict(confidence="[SUGGESTED]", drop=("resolution",)),
        "analyzed",
        ok=False,
        warning="'resolution' is a required property",
        location="/F-001/conflicts/0",
    ),
    Variant(
        "views-by-display-name",
        conflict(views={"Alpha": "Journal", "BETA": "Snapshots"}),
        "analyzed",
        ok=True,
    ),
    Variant(
        "views-unknown-role",
        conflict(views={"System Architect": "Journal", "beta": "Snapshots"}),
        "analyzed",
        ok=True,
        warning="role 'System Architect' has no analysis folder",
    ),
    Variant(
        "conflict-extra-key",
        conflict(rationale_notes="from the workshop"),
        "analyzed",
        ok=True,
        warning="unknown key 'rationale_notes' (kept",
    ),
    Variant(
        "cross-ref-self-and-other",
        conflict_map("F-001", "cross_refs", ["F-001 and F-002 share the sync journal"]),
        "analyzed",
        ok=True,
    ),
    Variant(
        "cross-ref-only-self",
        conflict_map("F-001", "cross_refs", ["F-001 keeps its own journal"]),
        "analyzed",
        ok=True,
        warning="F-001 refers only to itself",
    ),
    Variant(
        "cross-ref-unknown-feature",
        conflict_map("F-001", "cross_refs", ["F-009 needs it"]),
        "analyzed",
        ok=False,
        warning="refers to unknown feature F-009",
        location="/F-001/cross_refs/0",
    ),
    Variant(
        "confidence-without-brackets",
        conflict(confidence="RESOLVED"),
        "analyzed",
        ok=False,
        warning="'RESOLVED' is not one of",
        location="/F-001/conflicts/0/confidence",
    ),
    # --- more spellings of the table, the recommendations and the conflicts ----------------------
    Variant(
        "feature-name-and-prio-headers",
        guidance_table("| ID | Feature Name | Slug | Description | Roles | Prio |", ROWS),
        "discover",
        ok=True,
    ),
    Variant(
        "ideographic-comma-roles",
        guidance_table(HEADER, [ROWS[0].replace("alpha, beta", "alpha\u3001beta"), ROWS[1]]),
        "discover",
        ok=True,
    ),
    Variant(
        "bold-ids",
        guidance_table(HEADER, [ROWS[0].replace("| F-001 |", "| **F-001** |"), ROWS[1]]),
        "discover",
        ok=True,
    ),
    Variant(
        "lowercase-ids",
        guidance_table(HEADER, [ROWS[0].replace("| F-001 |", "| f-001 |"), ROWS[1]]),
        "discover",
        ok=True,
        warning="read feature id 'f-001' as F-001",
    ),
    Variant(
        "extra-owner-column",
        guidance_table(
            "| ID | Name | Slug | Description | Roles | Priority | Owner |",
            [ROWS[0] + " Ana |", ROWS[1] + " Bo |"],
        ),
        "discover",
        ok=True,
    ),
    Variant(
        "numbered-bilingual-heading",
        guidance_table(HEADER, ROWS, "### 3. Feature Decomposition (功能分解)\n\n"),
        "discover",
        ok=True,
    ),
    Variant("category-chinese", recommendations(category="安全"), "analyzed", ok=True),
    Variant("priority-p1", recommendations(priority="P1"), "analyzed", ok=True),
    Variant(
        "chinese-unresolved-topic",
        conflict(topic="合并策略", confidence="[UNRESOLVED]", drop=("resolution",)),
        "analyzed",
        ok=True,
    ),
    Variant(
        "applies-when",
        conflict(applies_when="Online mode with collaborative editing"),
        "analyzed",
        ok=True,
    ),
    Variant(
        "seed-example-verbatim",
        conflict(
            topic="State management approach",
            views={
                "system-architect": "Server-authoritative with CRDT",
                "ux-expert": "Optimistic local-first updates",
            },
            resolution="Hybrid: optimistic local with server reconciliation via CRDT because balances UX "
            "responsiveness with data consistency, tradeoff: increased client complexity",
            confidence="[RESOLVED]",
            applies_when="Online mode with collaborative editing",
        ),
        "analyzed",
        ok=True,
        warning="role 'system-architect' has no analysis folder",
    ),
    Variant(
        "duplicate-feature-id",
        guidance_table(HEADER, [ROWS[0], ROWS[1].replace("F-002", "F-001")]),
        "discover",
        ok=False,
        warning="feature id F-001 appears twice (first on line",
    ),
    Variant(
        "feature-id-not-an-id",
        guidance_table(HEADER, [ROWS[0].replace("| F-001 |", "| Sync |"), ROWS[1]]),
        "discover",
        ok=False,
        warning="feature id 'Sync' is not of the form F-001",
    ),
    Variant(
        "views-empty",
        conflict(views={}),
        "analyzed",
        ok=False,
        warning="should be non-empty",
        location="/F-001/conflicts/0/views",
    ),
]


def _recommendations_without_a_rationale(p: Project) -> None:
    recommendations()(p)
    _drop_first_rationale(p)


def _drop_first_rationale(p: Project) -> None:
    data = json.loads((p.bdir / "enhancement-recommendations.json").read_text(encoding="utf-8"))
    del data[0]["rationale"]
    p.write_json("enhancement-recommendations.json", data)


def run_variant(synth: Synth, project: Project, variant: Variant) -> dict[str, Any]:
    if variant.project:
        variant.project(project)
    project.build()
    variant.change(project)
    result = synth(project.root, "discover", "--session", project.sid)
    if variant.step == "discover":
        return result.json
    assert result.code == 0, result.out
    return synth(project.root, variant.step, "--session", project.sid).json


def conflict_counts(project: Project) -> dict[str, int]:
    """The conflicts of the conflict map on disk, by confidence: what `analyzed` must count."""
    data = json.loads((project.bdir / "feature-conflict-map.json").read_text(encoding="utf-8"))
    found = [c["confidence"] for entry in data.values() for c in entry["conflicts"]]
    kinds = {"resolved": "[RESOLVED]", "suggested": "[SUGGESTED]", "unresolved": "[UNRESOLVED]"}
    return {"total": len(found), **{key: found.count(mark) for key, mark in kinds.items()}}


def assert_read(project: Project, variant: Variant, answer: dict[str, Any]) -> None:
    """The values the step read, not only its verdict: features, roles, priorities, language, counts."""
    session = project.session()
    assert session["language"] == "en" and session["participating_roles"] == ["alpha", "beta"], session
    if variant.step == "discover":
        read = [(f["id"], f["roles"], f["priority"]) for f in answer["features"]]
        assert read == (variant.read or READ_AS_WRITTEN)
        assert answer["language"] == "en"
        return
    written = json.loads((project.bdir / "enhancement-recommendations.json").read_text(encoding="utf-8"))
    assert answer["enhancements"] == len(written) == 2
    assert answer["conflicts"] == conflict_counts(project)


@pytest.mark.parametrize("variant", VARIANTS, ids=lambda v: v.name)
def test_variant(synth: Synth, project: Project, variant: Variant) -> None:
    answer = run_variant(synth, project, variant)
    if variant.ok:
        assert answer["status"] == "ok", answer
        if variant.warning:
            assert any(variant.warning in w for w in answer["warnings"]), answer["warnings"]
        assert_read(project, variant, answer)
        return
    assert answer["status"] != "ok", answer
    if "error" in answer:  # a read-only input: the message says where (line) and how to go on
        error = answer["error"]
        assert variant.warning in error["message"] and error["file"].endswith("guidance-specification.md")
        assert "line " in error["message"] and ".process/feature-decomposition.json" in error["message"]
        return
    hit = [e for e in answer["errors"] if variant.warning in e["message"]]
    assert hit, answer["errors"]
    assert hit[0]["file"] and hit[0]["location"] == variant.location, hit
    assert hit[0]["hint"], hit  # the fix


def test_the_variants_are_many_and_cover_both_sides() -> None:
    assert len(VARIANTS) >= 40 and len({v.name for v in VARIANTS}) == len(VARIANTS)
    assert sum(v.ok for v in VARIANTS) >= 30 and sum(not v.ok for v in VARIANTS) >= 8


def test_a_chinese_name_without_a_slug_gets_one_from_its_id(synth: Synth, project: Project) -> None:
    project.build()
    guidance_table(
        "| 编号 | 名称 | 描述 | 角色 | 优先级 |",
        ["| F-001 | 离线同步 | 离线编辑 | alpha, beta | 高 |", "| F-002 | Sharing | d | beta | 中 |"],
    )(project)
    answer = synth(project.root, "discover", "--session", project.sid).json
    assert answer["status"] == "ok"
    assert [f["slug"] for f in answer["features"]] == ["f-001", "sharing"]
    assert any("no ASCII letters" in w and "'f-001'" in w for w in answer["warnings"])


def test_an_unreadable_decomposition_says_how_to_go_on(synth: Synth, project: Project) -> None:
    project.build()
    guidance_table("| Thing | What |", ["| a | b |"])(project)
    result = synth(project.root, "discover", "--session", project.sid)
    assert result.code == 1
    error = result.json["error"]
    assert error["file"].endswith("guidance-specification.md")
    assert "no 'id' column" in error["message"] and "feature-decomposition.json" in error["message"]
    override = project.session_dir / ".process" / "feature-decomposition.json"
    override.parent.mkdir(exist_ok=True)
    override.write_text(
        json.dumps(
            [
                {"id": "F-001", "name": "Offline Sync", "roles": ["alpha", "beta"], "priority": "High"},
                {"id": "F-002", "name": "Sharing", "roles": ["beta"]},
            ]
        )
    )
    answer = synth(project.root, "discover", "--session", project.sid).json
    assert answer["status"] == "ok" and answer["feature_mode"] is True
    assert [f["slug"] for f in answer["features"]] == ["offline-sync", "sharing"]
    advance(synth, project.root, project.sid, "answer")


# --- specs: decisions per topic, placeholders, Chinese sessions ---------------------------------


def _specs(synth: Synth, project: Project, answers: dict[str, Any] | None = None) -> Path:
    """Build, answer (the given answers, else auto mode), write valid specs; the F-001 spec path."""
    project.build()
    advance(synth, project.root, project.sid, "analyzed")
    if answers is None:
        assert synth(project.root, "answer", "--session", project.sid, "--yes").code == 0
    else:
        file = project.session_dir / ".process" / "answers.json"
        file.parent.mkdir(exist_ok=True)
        file.write_text(json.dumps(answers, ensure_ascii=False), encoding="utf-8")
        result = synth(project.root, "answer", "--session", project.sid, "--answers", str(file))
        assert result.code == 0, result.out
    project.write_specs()
    return project.bdir / "feature-specs" / "F-001-offline-sync.md"


def _index(synth: Synth, project: Project) -> dict[str, Any]:
    return synth(project.root, "index", "--session", project.sid).json


def _errors(answer: dict[str, Any]) -> list[tuple[str, str]]:
    return [(e["location"], e["message"]) for e in answer["errors"]]


def test_an_answered_conflict_is_a_decision_not_an_open_item(synth: Synth, project: Project) -> None:
    project.conflicts = {
        "F-001": [Conf("Merge strategy", "[UNRESOLVED]"), Conf("Journal size", "[UNRESOLVED]")]
    }
    project.build()
    advance(synth, project.root, project.sid, "analyzed")
    questions = synth(project.root, "questions", "--session", project.sid).json
    merge = next(q for q in questions["batches"][1]["questions"] if "Merge strategy" in q["question"])
    journal = next(q for q in questions["batches"][1]["questions"] if "Journal size" in q["question"])
    later = next(o["label"] for o in journal["options"] if o["label"].startswith("Decide later"))
    answers = {"E1": [], merge["question"]: "alpha view", journal["question"]: later}
    spec = _specs(synth, project, {"answers": answers})
    text = spec.read_text(encoding="utf-8")
    # the spec states the user's decision and keeps [DECISION NEEDED] only for the open topic
    decided = text.replace(
        "**[DECISION NEEDED]**: Merge strategy. **Options**: alpha vs beta.",
        "**Decision**: Merge strategy follows the alpha approach (decided by the user).",
    ).replace("> **Warning**: 2 unresolved conflicts.\n\n", "")
    spec.write_text(decided, encoding="utf-8")
    answer = _index(synth, project)
    assert answer["status"] == "ok", answer["errors"]
    score = synth(project.root, "complexity", "--session", project.sid).json
    assert score["dimensions"]["unresolved_conflicts"] == 1
    assert score["decided_by_user"] == ["F-001 / Merge strategy"]
    final = synth(project.root, "finalize", "--session", project.sid).json
    assert final["status"] == "ok", final
    assert final["conflicts_decided_by_user"] == ["F-001 / Merge strategy"]
    assert "**Conflicts Decided by the User**: F-001 / Merge strategy" in final["report"]
    results = project.session()["phases"]["BRAINSTORM"]["synthesis_results"]
    assert results["conflicts_decided_by_user"] == ["F-001 / Merge strategy"]
    quality = project.session()["phases"]["BRAINSTORM"]["quality_metrics"]
    assert quality["ambiguity_resolution"] == "partial: 1 decision(s) open"


def test_one_decision_needed_marker_does_not_cover_every_topic(synth: Synth, project: Project) -> None:
    project.conflicts = {
        "F-001": [Conf("Merge strategy", "[UNRESOLVED]"), Conf("Journal size", "[UNRESOLVED]")]
    }
    spec = _specs(synth, project)
    text = spec.read_text(encoding="utf-8")
    spec.write_text(
        text.replace(
            "**[DECISION NEEDED]**: Journal size. **Options**: alpha vs beta.", "Journal size is open."
        ),
        encoding="utf-8",
    )
    answer = _index(synth, project)
    assert answer["status"] == "fail"
    assert ("§2 Design Decisions", "UNRESOLVED conflict 'Journal size' is not surfaced") in _errors(answer)
    assert all(e["hint"] for e in answer["errors"])


def test_two_open_conflicts_need_the_section_two_warning(synth: Synth, project: Project) -> None:
    project.conflicts = {
        "F-001": [Conf("Merge strategy", "[UNRESOLVED]"), Conf("Journal size", "[UNRESOLVED]")]
    }
    spec = _specs(synth, project)
    spec.write_text(
        spec.read_text(encoding="utf-8").replace("> **Warning**: 2 unresolved conflicts.\n\n", "")
    )
    answer = _index(synth, project)
    assert _errors(answer) == [
        ("§2 Design Decisions", "2 unresolved conflicts but no warning at the top of section 2")
    ]
    assert "Merge strategy; Journal size" in answer["errors"][0]["hint"]
    text = spec.read_text(encoding="utf-8")
    heading = "### 2.0 未解决的冲突\n\n合并策略与日志大小仍待决定。\n\n"
    spec.write_text(text.replace("## 2. Design Decisions\n\n", "## 2. Design Decisions\n\n" + heading))
    assert _index(synth, project)["status"] == "ok"  # a first sub-heading may carry the warning


CONTENT_NOT_PLACEHOLDERS = [
    "The endpoint is `GET /accounts/{account_id}/notes`.",
    "See [the sync design](https://example.com/docs/{id}) and [Done](#done).",
    "Members keep a todo list and a shopping list in shared notes.",
    "Each checklist item shows [Done] or [Open] next to its text.",
    "The path /notes/{topic} returns the notes of one topic.",
]


@pytest.mark.parametrize("line", CONTENT_NOT_PLACEHOLDERS)
def test_content_is_not_a_placeholder(synth: Synth, project: Project, line: str) -> None:
    spec = _specs(synth, project)
    spec.write_text(spec.read_text(encoding="utf-8").replace("One endpoint.", line), encoding="utf-8")
    assert _index(synth, project)["status"] == "ok"


@pytest.mark.parametrize(
    "marker", ["TBD", "TODO: decide the limit", "???", "{feature_name}", "[What was decided]"]
)
def test_template_fields_and_markers_are_placeholders(synth: Synth, project: Project, marker: str) -> None:
    spec = _specs(synth, project)
    spec.write_text(spec.read_text(encoding="utf-8").replace("One endpoint.", f"Limit: {marker}"))
    answer = _index(synth, project)
    assert answer["status"] == "fail"
    [error] = answer["errors"]
    assert (
        error["message"].startswith("placeholder") and error["location"].startswith("line ") and error["hint"]
    )


ZH_SPEC = """# 功能规格: F-001 - 离线同步

**Priority**: High
**Contributing Roles**: alpha, beta
**Status**: Draft (from synthesis)

## 1. 需求摘要

设备离线时仍可编辑笔记。恢复网络后自动同步到所有设备。

## 2. 设计决策 [核心章节]

{decisions}

## 3. 接口契约

同步接口接收一批日志条目并返回缺失的条目。

## 4. 约束与风险

长期离线的设备日志可能变大。

## 5. 验收标准

离线编辑在恢复连接后六十秒内到达其他设备。

## 6. 详细分析引用

- @../guidance-specification.md#feature-decomposition

## 7. 跨功能依赖

- **依赖于**: 无
- **被依赖**: 无
"""
ZH_DECISIONS = "每台设备记录编辑日志。并用文本 CRDT 合并日志。因为静默合并比负载大小更重要。" * 12


def test_a_chinese_spec_counts_characters_and_reads_chinese_headings(synth: Synth, project: Project) -> None:
    spec = _specs(synth, project)
    spec.write_text(ZH_SPEC.format(decisions=ZH_DECISIONS), encoding="utf-8")
    changelog = project.bdir / "synthesis-changelog.md"
    changelog.write_text(
        "# 综合变更日志\n\n## 已应用的改进\n- **EP-001**: 已应用\n\n## 已解决的澄清\n- 无\n\n"
        "## 已解决的冲突\n- 无\n\n## 未解决事项\n- 无\n",
        encoding="utf-8",
    )
    answer = _index(synth, project)
    assert answer["status"] == "ok", answer["errors"]
    facts = answer["facts"]["feature-specs/F-001-offline-sync.md"]
    assert facts["design_decisions_share"] > 0.6 and 300 < facts["words"] < 400  # 0.6 word per ideograph
    short = ZH_SPEC.format(decisions="每台设备记录编辑日志。")
    spec.write_text(short, encoding="utf-8")
    assert _errors(_index(synth, project))[0][0] == "§2 Design Decisions"


@pytest.mark.parametrize(
    ("tag", "kept"),
    [("zh", "zh"), ("zh-CN", "zh-CN"), ("zh_CN", "zh-CN"), ("zh-Hans", "zh-Hans"), ("Chinese", "zh")],
)
def test_a_chinese_session_is_recognised_and_asked_in_chinese(
    synth: Synth, project: Project, tag: str, kept: str
) -> None:
    project.language = tag
    project.conflicts = {"F-001": [Conf("Merge strategy", "[UNRESOLVED]")]}
    project.build()
    advance(synth, project.root, project.sid, "analyzed")
    assert project.session()["language"] == kept
    questions = synth(project.root, "questions", "--session", project.sid).json
    assert questions["language"] == kept
    assert questions["batches"][0]["questions"][0]["question"].startswith("请选择要应用的改进建议")
    assert "language" not in questions["batches"][0]
    assert synth(project.root, "answer", "--session", project.sid, "--yes").json["language"] == kept


def test_discover_overrides_the_language(synth: Synth, project: Project) -> None:
    project.build()
    answer = synth(project.root, "discover", "--session", project.sid, "--language", "zh-Hans").json
    assert answer["language"] == "zh-Hans" and project.session()["language"] == "zh-Hans"
    refused = synth(project.root, "discover", "--session", project.sid, "--language", "klingon!")
    assert refused.code == 2 and "BCP 47" in refused.json["error"]["message"]


# --- fallback mode (no feature decomposition) ------------------------------------------------


def _fallback(synth: Synth, project: Project, roles: int = 2) -> None:
    names = ["alpha", "beta", "gamma", "delta", "epsilon"][:roles]
    project.features = [Feat("F-001", "Offline Sync", names), Feat("F-002", "Sharing", names[:1])]
    project.subdocs = False
    project.build()
    advance(synth, project.root, project.sid, "answer")


SINGLE_SPEC = """# Synthesis Specification: team notes

## Requirements Summary

{filler}

## Design Decisions

{filler}

{decisions}

## Acceptance Criteria

{filler}
"""


def test_a_three_line_single_spec_fails(synth: Synth, project: Project) -> None:
    _fallback(synth, project)
    project.write_single_spec()
    project.write("synthesis-specification.md", "Notes app.\nIt syncs.\nThat is all.\n")
    answer = _index(synth, project)
    assert answer["status"] == "fail"
    assert ("line 1", "no '# ' title") in _errors(answer)
    assert any(loc == "sections" and "Design Decisions" in m for loc, m in _errors(answer))
    assert all(e["file"].endswith("synthesis-specification.md") and e["hint"] for e in answer["errors"])


def test_a_single_spec_in_the_seed_shape_passes(synth: Synth, project: Project) -> None:
    from tests.synthesis.builders import FILLER

    _fallback(synth, project)
    project.write_single_spec()
    project.write("synthesis-specification.md", SINGLE_SPEC.format(filler=FILLER, decisions=""))
    answer = _index(synth, project)
    assert answer["status"] == "ok", answer["errors"]
    assert answer["warnings"] == []


def test_fallback_complexity_counts_roles_and_open_decisions(synth: Synth, project: Project) -> None:
    from tests.synthesis.builders import FILLER

    _fallback(synth, project, roles=5)
    project.write_single_spec()
    open_items = "\n\n".join(f"**[DECISION NEEDED]**: topic {n}. **Options**: a vs b." for n in range(3))
    project.write("synthesis-specification.md", SINGLE_SPEC.format(filler=FILLER, decisions=open_items))
    assert _index(synth, project)["status"] == "ok"
    score = synth(project.root, "complexity", "--session", project.sid).json
    assert (
        score["dimensions"]["participating_roles"] == 5 and score["dimensions"]["unresolved_conflicts"] == 3
    )
    assert score["review_required"] is True


def test_fallback_questions_scan_the_nine_categories(synth: Synth, project: Project) -> None:
    project.subdocs = False
    project.build()
    advance(synth, project.root, project.sid, "analyzed")
    answer = synth(project.root, "questions", "--session", project.sid).json
    assert answer["category_scan"] == {"covered": [], "to_scan": answer["categories"]}
    assert len(answer["categories"]) == 9 and "no conflict map" in answer["next"]


# --- the changelog against the session's records ----------------------------------------------


def test_the_changelog_lists_only_the_selected_enhancements(synth: Synth, project: Project) -> None:
    project.enhancements = 5
    project.build()
    advance(synth, project.root, project.sid, "analyzed")
    labels = [
        o["label"]
        for q in synth(project.root, "questions", "--session", project.sid).json["batches"][0]["questions"]
        for o in q["options"]
        if o["label"].startswith(("EP-001", "EP-003"))
    ]
    file = project.session_dir / ".process" / "answers.json"
    file.parent.mkdir(exist_ok=True)
    file.write_text(json.dumps({"answers": {"E1": labels, "E2": []}}))
    assert synth(project.root, "answer", "--session", project.sid, "--answers", str(file)).code == 0
    project.write_specs()
    changelog = project.bdir / "synthesis-changelog.md"
    assert _index(synth, project)["status"] == "ok"
    listed = "\n".join(f"- **EP-00{n}**: applied" for n in range(1, 6))
    changelog.write_text(
        changelog.read_text().replace("- **EP-001**: applied\n- **EP-003**: applied", listed)
    )
    answer = _index(synth, project)
    assert answer["status"] == "fail"
    wrong = [(e["location"], e["message"]) for e in answer["errors"]]
    assert wrong == [
        (f"line {5 + n}", f"EP-00{n} is listed as applied, but the user did not select it") for n in (2, 4, 5)
    ]
    assert answer["errors"][0]["hint"] == "list only the selected enhancements: EP-001, EP-003"
    changelog.write_text(changelog.read_text().replace(listed, "- **EP-001**: applied"))
    answer = _index(synth, project)
    assert answer["status"] == "ok"
    assert any("not listed: EP-003" in w for w in answer["warnings"])


def test_a_guidance_file_that_is_not_utf8_says_how_to_go_on(synth: Synth, project: Project) -> None:
    project.build()
    guidance = project.bdir / "guidance-specification.md"
    guidance.write_bytes(
        guidance.read_text(encoding="utf-8").replace("Workspace", "Espaço").encode("latin-1")
    )
    result = synth(project.root, "discover", "--session", project.sid)
    assert result.code == 1
    error = result.json["error"]
    assert "not UTF-8" in error["message"] and ".process/feature-decomposition.json" in error["message"]
    assert error["file"].endswith("guidance-specification.md")


def test_validate_shows_warnings_with_their_fix_and_exits_0(project: Project) -> None:
    from tests.support.cli import run_cli

    project.build()
    recommendations(priority="Soonish", affected_roles=["System Architect"], effort="2 days")(project)
    path = project.bdir / "enhancement-recommendations.json"
    run = run_cli("validate", str(path))
    assert run.code == 0, run.out
    warnings = [line for line in run.out.splitlines() if ": warning: " in line]
    assert len(warnings) == 3 and all(line.startswith(f"{path}::/0/") for line in warnings)
    assert run.out.count("  fix: ") == 3
    answer = run_cli("validate", "--json", str(path)).json
    assert (
        answer["status"] == "pass"
        and len(answer["warnings"]) == 3
        and all(w["hint"] for w in answer["warnings"])
    )
