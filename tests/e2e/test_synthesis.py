"""/workflow:synthesis end to end in the real client, with a scripted model.

The scripted model does what the command body tells a model to do: it calls the specrail helpers
through Bash and writes the artifacts with Write, using the example session's model-written files
as its content, written the way the seed allows: two [UNRESOLVED] conflicts without a resolution
(one empty, one left out) and recommendations outside the nine clarification categories. It also
tries to overwrite a role analysis, which the PreToolUse hook must deny while the synthesis runs.
Its first conflict map is deliberately invalid; the PreToolUse hook must refuse it (nothing lands)
and the reason must reach the model before it writes the corrected one.

A second, shorter run does a Chinese session (zh-CN) with Chinese table headers, headings and specs.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from specrail.validation.check import check_file
from tests.e2e.stand_in import Script, Turn, text, tool, tool_results, turn
from tests.support.signed import sign_file

if TYPE_CHECKING:
    from tests.support.claude import RunClaude

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "scripts" / "specrail" / "examples" / "synthesis"
SID = "WFS-team-notes"
MODEL_WRITTEN = ("enhancement-recommendations.json", "feature-conflict-map.json", "synthesis-changelog.md")

REVIEW_REPORT = """# Review Report

**Complexity Score**: {score}
**Specs Reviewed**: 4
**Minor Fixes Applied**: 0
**Major Flags Raised**: 0

## Fixes Applied
- None

## Flags Raised
- None
"""


def bash(command: str) -> Turn:
    return tool("Bash", {"command": command, "description": "Run a synthesis step"})


def answer_of(body: dict[str, Any]) -> dict[str, Any]:
    """The JSON answer of the last Bash call (the tool result of the previous turn)."""
    results = tool_results(body)
    assert len(results) == 1 and not results[0]["is_error"], results
    return dict(json.loads(results[0]["text"]))


def after(check: Callable[[dict[str, Any]], None], then: Turn) -> Callable[[dict[str, Any]], Turn]:
    """A script step that checks the previous answer, then takes the next action."""

    def step(body: dict[str, Any]) -> Turn:
        check(body)
        return then

    return step


def ok(state: str) -> Callable[[dict[str, Any]], None]:
    def check(body: dict[str, Any]) -> None:
        answer = answer_of(body)
        assert answer["status"] == "ok" and answer["state"] == state, answer

    return check


def auto_mode(body: dict[str, Any]) -> None:
    answer = answer_of(body)
    assert answer["auto_mode"] is True and "--yes" in answer["next"], answer


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The example without its model-written files, and those files' contents (relative path -> text)."""
    work = tmp_path / "work"
    shutil.copytree(EXAMPLE, work)
    sign_file(work / ".workflow/active" / SID / "workflow-session.json")  # as specrail left it here
    bdir = work / ".workflow/active" / SID / ".brainstorming"
    written = {name: (bdir / name).read_text(encoding="utf-8") for name in MODEL_WRITTEN}
    for spec in sorted((bdir / "feature-specs").glob("*.md")):
        written[f"feature-specs/{spec.name}"] = spec.read_text(encoding="utf-8")
    for name in written:
        (bdir / name).unlink()
    return work, seed_allowed(written)


DELETED = "Edits to a note deleted on another device"
F003 = "feature-specs/F-003-conflict-resolution.md"


def seed_allowed(written: dict[str, str]) -> dict[str, str]:
    """The example's analysis outputs as a model following the seed may also write them."""
    recommendations = json.loads(written["enhancement-recommendations.json"])
    recommendations[0].update(category="Security", priority="Critical")
    recommendations[1].update(category="Integration")
    conflict_map = json.loads(written["feature-conflict-map.json"])
    for conflict in conflict_map["F-002"]["conflicts"]:
        if conflict["confidence"] == "[UNRESOLVED]":
            conflict["resolution"] = ""
    [deleted] = [c for c in conflict_map["F-003"]["conflicts"] if c["topic"] == DELETED]
    deleted["confidence"] = "[UNRESOLVED]"
    del deleted["resolution"]
    spec = written[F003]
    start = spec.index("**Recommended**: Edit wins")
    end = spec.index("\n", start)
    written[F003] = (
        spec[:start]
        + f"**[DECISION NEEDED]**: {DELETED}. **Options**: system-architect: edit wins and the note is "
        "restored vs ux-expert: deletion wins and the edit is kept in history. **Evaluation**: restoring "
        "keeps field observations, deleting respects the intent of the person who deleted. "
        "**Impact if deferred**: clients keep both until the product owner decides." + spec[end:]
    )
    written["enhancement-recommendations.json"] = json.dumps(recommendations, indent=2)
    written["feature-conflict-map.json"] = json.dumps(conflict_map, indent=2, ensure_ascii=False)
    return written


def test_synthesis_auto_mode_end_to_end(run_claude: RunClaude, project: tuple[Path, dict[str, str]]) -> None:
    work, written = project
    bdir = work / ".workflow/active" / SID / ".brainstorming"

    def write(name: str, content: str) -> Turn:
        return tool("Write", {"file_path": str(bdir / name), "content": content})

    broken = json.loads(written["feature-conflict-map.json"])
    del broken["F-004"]
    specs = sorted(name for name in written if name.startswith("feature-specs/"))
    seen: dict[str, Any] = {}

    role_analysis = bdir / "ux-expert/analysis.md"
    original = role_analysis.read_text(encoding="utf-8")

    def denied(body: dict[str, Any]) -> None:
        results = tool_results(body)
        seen["denied"] = results[0]["text"]
        assert results[0]["is_error"] and "synthesis never modifies" in results[0]["text"], results

    def saw_rejection(body: dict[str, Any]) -> Turn:
        [refused] = tool_results(body)
        seen["feedback"] = refused["text"]
        assert refused["is_error"] and "no entry for F-004" in refused["text"], refused
        assert not (bdir / "feature-conflict-map.json").exists(), "the invalid map landed"
        return write("feature-conflict-map.json", written["feature-conflict-map.json"])

    def review(body: dict[str, Any]) -> Turn:
        answer = answer_of(body)
        seen["complexity"] = answer
        assert answer["review_required"] is True
        return bash(f"specrail synthesis review-check --session {SID} --json")

    def write_review(body: dict[str, Any]) -> Turn:
        findings = answer_of(body)
        report = REVIEW_REPORT.format(score=findings["score"])
        results = report.split("\n", 2)[2].replace("## ", "### ")
        changelog = written["synthesis-changelog.md"].rstrip("\n") + "\n\n## Review Results\n" + results
        return turn(
            "Review done.", write("review-report.md", report), write("synthesis-changelog.md", changelog)
        )

    def finish(body: dict[str, Any]) -> Turn:
        answer = answer_of(body)
        seen["final"] = answer
        return text(answer["report"])

    script = Script(
        [
            bash(f"specrail synthesis discover --session {SID} -y --json"),
            after(ok("DISCOVERED"), tool("Read", {"file_path": str(role_analysis)})),
            write("ux-expert/analysis.md", "# rewritten by the model\n"),
            after(denied, write("feature-conflict-map.json", json.dumps(broken, indent=2))),
            saw_rejection,
            write("enhancement-recommendations.json", written["enhancement-recommendations.json"]),
            bash(f"specrail synthesis analyzed --session {SID} --json"),
            after(ok("ANALYZED"), bash(f"specrail synthesis questions --session {SID} --json")),
            after(auto_mode, bash(f"specrail synthesis answer --session {SID} --yes --json")),
            after(
                ok("CLARIFIED"),
                turn(
                    "Writing the specs.",
                    *(write(n, written[n]) for n in specs),
                    write("synthesis-changelog.md", written["synthesis-changelog.md"]),
                ),
            ),
            bash(f"specrail synthesis index --session {SID} --json"),
            after(ok("SPECS_WRITTEN"), bash(f"specrail synthesis complexity --session {SID} --json")),
            review,
            write_review,
            bash(f"specrail synthesis reviewed --session {SID} --json"),
            after(ok("REVIEWED"), bash(f"specrail synthesis finalize --session {SID} --json")),
            finish,
        ]
    )
    result = run_claude(
        f"/workflow:synthesis --session {SID} -y",
        script,
        cwd=work,
        extra_env={"SPECRAIL_BOOTSTRAP": "off"},
        timeout=240,
    )
    assert result.returncode == 0, result.describe()
    assert script.remaining == 0, result.describe()
    assert "<command-name>/workflow:synthesis</command-name>" in result.user_text(0)
    assert "specrail synthesis discover" in result.user_text(0)

    # the rejection of the invalid conflict map reached the model in the request after the Write
    assert "feature-conflict-map.json" in seen["feedback"]

    # the role analysis stayed as it was: the PreToolUse hook denied the Write and said why
    assert role_analysis.read_text(encoding="utf-8") == original
    assert "analysis.md" in seen["denied"]

    # files on disk, the index validated, the session complete
    for name in written:
        assert (bdir / name).is_file(), name
    index = bdir / "feature-index.json"
    assert check_file(index).ok
    assert [f["id"] for f in json.loads(index.read_text())["features"]] == [
        "F-001",
        "F-002",
        "F-003",
        "F-004",
    ]
    assert check_file(bdir / "feature-conflict-map.json").ok
    session = json.loads((bdir.parent / "workflow-session.json").read_text())
    assert session["state"] == "COMPLETE"
    assert [h["to"] for h in session["history"]] == [
        "DISCOVERED",
        "ANALYZED",
        "CLARIFIED",
        "SPECS_WRITTEN",
        "REVIEWED",
        "COMPLETE",
    ]
    assert session["phases"]["BRAINSTORM"]["status"] == "synthesis_completed"
    assert (bdir.parent / ".process/context-package.json").is_file()
    assert seen["final"]["complexity_score"] == seen["complexity"]["score"]
    assert seen["complexity"]["dimensions"]["unresolved_conflicts"] == 2
    assert result.json["result"].startswith("## Synthesis Complete")
    # the seed-allowed analysis outputs passed: category, priority and empty resolutions kept as written
    kept = json.loads((bdir / "enhancement-recommendations.json").read_text())
    assert [kept[0]["category"], kept[0]["priority"], kept[1]["category"]] == [
        "Security",
        "Critical",
        "Integration",
    ]
    assert "[DECISION NEEDED]" in (bdir / F003).read_text()


ZH_SID = "WFS-zh-notes"
ZH_TOPIC = "合并策略"
# Repeated 16 times: above the 300-word floor at 0.6 word per ideograph.
ZH_FILLER = "每台设备记录编辑日志。并用文本 CRDT 合并日志。因为静默合并比负载大小更重要。" * 16


def zh_spec(fid: str, name: str, depends: str, required: str, decision: str = "") -> str:
    return f"""# 功能规格: {fid} - {name}

**Priority**: 高
**Contributing Roles**: alpha, beta
**Status**: Draft (from synthesis)

## 1. 需求摘要

设备离线时仍可编辑笔记。恢复网络后自动同步到所有设备。

## 2. 设计决策

{ZH_FILLER}

{decision}

## 3. 接口契约

同步接口接收一批日志条目并返回缺失的条目。

## 4. 约束与风险

长期离线的设备日志可能变大。

## 5. 验收标准

离线编辑在恢复连接后六十秒内到达其他设备。

## 6. 详细分析引用

- @../guidance-specification.md#feature-decomposition

## 7. 跨功能依赖

- **依赖于**: {depends}
- **被依赖**: {required}
"""


ZH_CHANGELOG = """# 综合变更日志

**Session**: WFS-zh-notes

## 已应用的改进
- **EP-001**: 缓存规则 — F-001
- **EP-002**: 缓存规则 — F-002

## 已解决的澄清
- **Decisions**: 合并策略 → 暂缓决定

## 已解决的冲突
- 无

## 未解决事项
- **F-001 / 合并策略**: [DECISION NEEDED]
"""


@pytest.fixture
def zh_project(tmp_path: Path) -> Path:
    """A Chinese session: zh-CN, Chinese table headers and priorities, an unresolved conflict left
    without a resolution, a recommendation in a category outside the nine."""
    from tests.synthesis.builders import Conf, Feat, Project

    project = Project(tmp_path / "zh", sid=ZH_SID, language="zh-CN")
    project.features = [Feat("F-001", "Offline Sync", ["alpha", "beta"]), Feat("F-002", "Sharing", ["beta"])]
    project.conflicts = {"F-001": [Conf(ZH_TOPIC, "[UNRESOLVED]")]}
    project.cross_refs = {"F-002": ["F-001 提供同步日志"]}
    project.build()
    guidance = (project.bdir / "guidance-specification.md").read_text(encoding="utf-8")
    project.write(
        "guidance-specification.md",
        guidance[: guidance.index("## Feature Decomposition")]
        + "## 功能分解\n\n| 编号 | 名称 | Slug | 描述 | 角色 | 优先级 |\n|---|---|---|---|---|---|\n"
        "| F-001 | 离线同步 | offline-sync | 离线编辑 | alpha, beta | 高 |\n"
        "| F-002 | 共享 | sharing | 团队共享 | beta | 中 |\n",
    )
    data = json.loads((project.bdir / "feature-conflict-map.json").read_text(encoding="utf-8"))
    data["F-001"]["conflicts"][0]["resolution"] = ""
    project.write_json("feature-conflict-map.json", data)
    recommendations = json.loads((project.bdir / "enhancement-recommendations.json").read_text())
    recommendations[0].update(category="安全 (Security)", priority="高")
    project.write_json("enhancement-recommendations.json", recommendations)
    return project.root


def test_synthesis_in_chinese(run_claude: RunClaude, zh_project: Path) -> None:
    bdir = zh_project / ".workflow/active" / ZH_SID / ".brainstorming"
    seen: dict[str, Any] = {}

    def write(name: str, content: str) -> Turn:
        return tool("Write", {"file_path": str(bdir / name), "content": content})

    def keep(key: str, state: str, then: Turn) -> Callable[[dict[str, Any]], Turn]:
        def step(body: dict[str, Any]) -> Turn:
            seen[key] = answer = answer_of(body)
            assert answer["status"] == "ok" and answer.get("state", state) == state, answer
            return then

        return step

    decision = (
        f"**[DECISION NEEDED]**: {ZH_TOPIC}。**Options**: alpha: 日志合并 vs beta: 快照覆盖。"
        "**Impact if deferred**: 两种方案并存。"
    )
    script = Script(
        [
            bash(f"specrail synthesis discover --session {ZH_SID} -y --json"),
            keep("discover", "DISCOVERED", bash(f"specrail synthesis analyzed --session {ZH_SID} --json")),
            keep("analyzed", "ANALYZED", bash(f"specrail synthesis questions --session {ZH_SID} --json")),
            keep("questions", "ANALYZED", bash(f"specrail synthesis answer --session {ZH_SID} --yes --json")),
            keep(
                "answer",
                "CLARIFIED",
                turn(
                    "写规格。",
                    write(
                        "feature-specs/F-001-offline-sync.md",
                        zh_spec("F-001", "离线同步", "无", "F-002", decision),
                    ),
                    write("feature-specs/F-002-sharing.md", zh_spec("F-002", "共享", "F-001", "无")),
                    write("synthesis-changelog.md", ZH_CHANGELOG),
                ),
            ),
            bash(f"specrail synthesis index --session {ZH_SID} --json"),
            keep("index", "SPECS_WRITTEN", bash(f"specrail synthesis complexity --session {ZH_SID} --json")),
            keep(
                "complexity", "SPECS_WRITTEN", bash(f"specrail synthesis finalize --session {ZH_SID} --json")
            ),
            lambda body: text(answer_of(body)["report"]),
        ]
    )
    result = run_claude(
        f"/workflow:synthesis --session {ZH_SID} -y",
        script,
        cwd=zh_project,
        extra_env={"SPECRAIL_BOOTSTRAP": "off"},
        timeout=180,
    )
    assert result.returncode == 0, result.describe()
    assert script.remaining == 0, result.describe()
    sent = "".join(result.user_text(n) for n in range(len(result.main)))
    assert "would not be a valid" not in sent and "fix it now" not in sent  # no hook refused a write
    discovered = seen["discover"]
    assert discovered["language"] == "zh-CN" and discovered["feature_mode"] is True
    assert [(f["id"], f["name"], f["priority"]) for f in discovered["features"]] == [
        ("F-001", "离线同步", "High"),
        ("F-002", "共享", "Medium"),
    ]
    assert seen["questions"]["batches"][0]["questions"][0]["question"].startswith("请选择要应用的改进建议")
    assert seen["answer"]["language"] == "zh-CN"
    facts = seen["index"]["facts"]["feature-specs/F-001-offline-sync.md"]
    assert facts["design_decisions_share"] >= 0.4
    assert seen["complexity"]["dimensions"]["unresolved_conflicts"] == 1
    session = json.loads((bdir.parent / "workflow-session.json").read_text(encoding="utf-8"))
    assert session["state"] == "COMPLETE" and session["language"] == "zh-CN"
    assert result.json["result"].startswith("## Synthesis Complete")
