"""`specrail synthesis finalize`: input hashes, review requirement, context package, session metadata."""

from __future__ import annotations

import json
from pathlib import Path

from specrail.validation.check import check_file
from tests.support.synthesis import Synth, advance
from tests.synthesis.builders import REVIEW_REPORT, REVIEW_RESULTS, Project


def _review(synth: Synth, root: Path, sid: str, bdir: Path) -> None:
    (bdir / "review-report.md").write_text(REVIEW_REPORT)
    changelog = bdir / "synthesis-changelog.md"
    changelog.write_text(changelog.read_text() + REVIEW_RESULTS)
    assert synth(root, "reviewed", "--session", sid).code == 0


def _example_reviewed(synth: Synth, example: Path, sid: str) -> Path:
    advance(synth, example, sid, "index")
    bdir = example / ".workflow/active" / sid / ".brainstorming"
    _review(synth, example, sid, bdir)
    return bdir


def _indexed(synth: Synth, project: Project) -> None:
    project.build()
    advance(synth, project.root, project.sid, "answer")
    project.write_specs()
    assert synth(project.root, "index", "--session", project.sid).code == 0


def test_example_finalizes_after_review(synth: Synth, example: Path, sid: str) -> None:
    _example_reviewed(synth, example, sid)
    session_dir = example / ".workflow/active" / sid
    answer = synth(example, "finalize", "--session", sid).json
    assert answer["status"] == "ok" and answer["state"] == "COMPLETE"
    assert answer["features_generated"] == ["F-001", "F-002", "F-003", "F-004"]
    assert answer["review"] == {"triggered": True, "fixes": 1, "flags": 1}
    assert (
        "**Questions Answered**: 4/4" in answer["report"]
        and "/workflow:plan --session WFS-team-notes" in answer["report"]
    )
    package = json.loads((session_dir / ".process/context-package.json").read_text())
    assert package["feature_index_path"] == f".workflow/active/{sid}/.brainstorming/feature-index.json"
    assert package["feature_specs_dir"] == f".workflow/active/{sid}/.brainstorming/feature-specs/"
    assert package["feature_mode"] is True and package["metadata"]["session_id"] == sid
    assert package["changelog_path"].endswith("synthesis-changelog.md")
    assert check_file(session_dir / ".process/context-package.json").ok
    session = json.loads((session_dir / "workflow-session.json").read_text())
    phase = session["phases"]["BRAINSTORM"]
    assert phase["status"] == "synthesis_completed" and phase["completed_at"]
    assert phase["participating_roles"] == ["product-manager", "system-architect", "ux-expert"]
    results = phase["synthesis_results"]
    assert results == {
        "enhancements_applied": ["EP-001", "EP-002", "EP-003", "EP-004", "EP-005"],
        "questions_asked": 4,
        "categories_clarified": ["Decisions"],
        "complexity_score": 5,
        "review_triggered": True,
        "review_fixes": 1,
        "review_flags": 1,
        "conflicts_decided_by_user": [],
    }
    assert phase["feature_spec_results"] == {
        "feature_mode": True,
        "features_generated": ["F-001", "F-002", "F-003", "F-004"],
        "feature_index_path": ".brainstorming/feature-index.json",
        "feature_specs_dir": ".brainstorming/feature-specs/",
    }
    metrics = phase["quality_metrics"]
    assert metrics["user_intent_alignment"] == "assumed (auto mode)"
    assert metrics["ambiguity_resolution"].startswith("partial")
    assert session["state"] == "COMPLETE" and session["history"][-1]["to"] == "COMPLETE"


def test_review_required_and_not_done(synth: Synth, example: Path, sid: str) -> None:
    advance(synth, example, sid, "index")
    result = synth(example, "finalize", "--session", sid)
    assert result.code == 1
    error = result.json["error"]
    assert (
        error["file"].endswith("review-report.md") and "review required (complexity 5/8" in error["message"]
    )
    assert not (example / ".workflow/active" / sid / ".process/context-package.json").exists()


def test_finalize_before_index_is_refused(synth: Synth, example: Path, sid: str) -> None:
    advance(synth, example, sid, "answer")
    result = synth(example, "finalize", "--session", sid)
    assert result.code == 1 and "cannot go to COMPLETE" in result.json["error"]["message"]
    assert not (example / ".workflow/active" / sid / ".process/context-package.json").exists()


def test_changed_role_analysis_is_named(synth: Synth, example: Path, sid: str) -> None:
    bdir = _example_reviewed(synth, example, sid)
    analysis = bdir / "ux-expert/analysis-F-001-offline-sync.md"
    analysis.write_text(analysis.read_text() + "\nOne more thought.\n")
    result = synth(example, "finalize", "--session", sid)
    assert result.code == 1
    error = result.json["error"]
    assert error["file"].endswith(".brainstorming/ux-expert/analysis-F-001-offline-sync.md")
    assert "changed since discovery" in error["message"]
    assert (
        json.loads((example / ".workflow/active" / sid / "workflow-session.json").read_text())["state"]
        == "REVIEWED"
    )


def test_changed_guidance_and_added_analysis_are_named(synth: Synth, project: Project) -> None:
    _indexed(synth, project)
    (project.bdir / "guidance-specification.md").write_text("# changed\n")
    project.write("alpha/analysis-late.md", "# late\n")
    message = synth(project.root, "finalize", "--session", project.sid).json["error"]["message"]
    assert ".brainstorming/guidance-specification.md changed" in message
    assert ".brainstorming/alpha/analysis-late.md was added" in message


def test_removed_analysis_is_named(synth: Synth, project: Project) -> None:
    _indexed(synth, project)
    (project.bdir / "beta/analysis-cross-cutting.md").unlink()
    result = synth(project.root, "finalize", "--session", project.sid)
    assert (
        result.code == 1 and "beta/analysis-cross-cutting.md was removed" in result.json["error"]["message"]
    )


def test_low_complexity_finalizes_without_review(synth: Synth, project: Project) -> None:
    _indexed(synth, project)
    package = project.session_dir / ".process/context-package.json"
    package.parent.mkdir(exist_ok=True)
    package.write_text(
        json.dumps(
            {
                "metadata": {"created_by": "planner"},
                "planner": {"tasks": 3},
                "synthesis_spec_path": "stale.md",
            }
        )
    )
    answer = synth(project.root, "finalize", "--session", project.sid).json
    assert answer["state"] == "COMPLETE" and answer["review"] == {"triggered": False, "fixes": 0, "flags": 0}
    assert "Skipped (complexity below threshold)" in answer["report"]
    data = json.loads(package.read_text())
    assert data["planner"] == {"tasks": 3} and data["metadata"]["created_by"] == "planner"
    assert "synthesis_spec_path" not in data and "review_report_path" not in data
    phase = project.session()["phases"]["BRAINSTORM"]
    assert phase["synthesis_results"]["review_triggered"] is False
    assert phase["quality_metrics"]["ambiguity_resolution"] == "complete"


def test_single_spec_mode_has_no_feature_results(synth: Synth, project: Project) -> None:
    project.subdocs = False
    project.build()
    advance(synth, project.root, project.sid, "answer")
    project.write_single_spec()
    synth(project.root, "index", "--session", project.sid)
    answer = synth(project.root, "finalize", "--session", project.sid).json
    assert answer["state"] == "COMPLETE" and answer["feature_mode"] is False
    phase = project.session()["phases"]["BRAINSTORM"]
    assert "feature_spec_results" not in phase and phase["synthesis_results"]["complexity_score"] == 0
    package = json.loads((project.session_dir / ".process/context-package.json").read_text())
    assert package["synthesis_spec_path"].endswith(".brainstorming/synthesis-specification.md")
    assert "feature_mode" not in package and "feature_index_path" not in package
    assert "### Specification" in answer["report"]


def test_invalid_context_package_is_refused(synth: Synth, project: Project) -> None:
    _indexed(synth, project)
    package = project.session_dir / ".process/context-package.json"
    package.parent.mkdir(exist_ok=True)
    package.write_text("[1]")
    result = synth(project.root, "finalize", "--session", project.sid)
    assert result.code == 1 and result.json["error"]["file"].endswith("context-package.json")
    assert package.read_text() == "[1]" and project.session()["state"] == "SPECS_WRITTEN"


def test_complete_session_cannot_finalize_again(synth: Synth, project: Project) -> None:
    _indexed(synth, project)
    assert synth(project.root, "finalize", "--session", project.sid).code == 0
    result = synth(project.root, "finalize", "--session", project.sid)
    assert result.code == 1 and "COMPLETE" in result.json["error"]["message"]
