"""`specrail synthesis review-check` findings and the `reviewed` gate."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.support.synthesis import Synth, advance
from tests.synthesis.builders import REVIEW_REPORT, REVIEW_RESULTS, Conf, Project


def _indexed(
    synth: Synth, project: Project, depends: dict[str, list[str]] | None = None, extra: str = ""
) -> None:
    project.build()
    advance(synth, project.root, project.sid, "answer")
    project.write_specs(depends, extra)
    assert synth(project.root, "index", "--session", project.sid).code == 0


def _findings(synth: Synth, project: Project, check: str | None = None) -> list[dict[str, Any]]:
    answer = synth(project.root, "review-check", "--session", project.sid).json
    assert answer["status"] == "ok"
    return [f for f in answer["findings"] if check is None or f["check"] == check]


def test_example_review_check(synth: Synth, example: Path, sid: str) -> None:
    advance(synth, example, sid, "index")
    answer = synth(example, "review-check", "--session", sid).json
    assert answer["review_required"] is True and answer["score"] == 5
    assert answer["specs"] == sorted(answer["specs"]) and len(answer["specs"]) == 4
    assert answer["report_path"] == "review-report.md" and "reviewed --session" in answer["next"]
    assert all(set(f) == {"check", "severity", "file", "message"} for f in answer["findings"])


def test_clean_specs_have_no_dependency_findings(synth: Synth, project: Project) -> None:
    project.cross_refs = {"F-002": ["F-001 provides the journal"]}
    _indexed(synth, project, {"F-002": ["F-001"]})
    assert _findings(synth, project, "dependency") == [] and _findings(synth, project, "cross-ref") == []


def test_one_sided_dependency_is_found(synth: Synth, project: Project) -> None:
    _indexed(synth, project, {"F-002": ["F-001"]})
    spec = project.bdir / "feature-specs/F-001-offline-sync.md"
    spec.write_text(spec.read_text().replace("**Required by**: F-002", "**Required by**: none"))
    found = _findings(synth, project, "dependency")
    assert found == [
        {
            "check": "dependency",
            "severity": "minor",
            "file": "feature-specs/F-001-offline-sync.md",
            "message": "F-002 depends on F-001, but §7 of F-001 does not list F-002 under Required by",
        }
    ]


def test_required_by_without_depends_on_is_found(synth: Synth, project: Project) -> None:
    _indexed(synth, project)
    spec = project.bdir / "feature-specs/F-001-offline-sync.md"
    spec.write_text(
        spec.read_text().replace("**Required by**: none", "**Required by**:\n  - F-002 (sharing)")
    )
    found = _findings(synth, project, "dependency")
    assert len(found) == 1 and "does not list F-001 under Depends on" in found[0]["message"]
    assert found[0]["file"] == "feature-specs/F-002-sharing.md"


def test_cross_ref_missing_from_section_seven(synth: Synth, project: Project) -> None:
    project.cross_refs = {"F-001": ["F-002 (sharing) reuses the sync journal"]}
    _indexed(synth, project)
    found = _findings(synth, project, "cross-ref")
    assert len(found) == 1 and found[0]["file"] == "feature-specs/F-001-offline-sync.md"
    assert "name F-002" in found[0]["message"]


def test_unaddressed_conflicts_are_major(synth: Synth, project: Project) -> None:
    project.conflicts = {"F-002": [Conf("Invite expiry")]}
    _indexed(synth, project)
    spec = project.bdir / "feature-specs/F-002-sharing.md"
    spec.write_text(spec.read_text().replace("Invite expiry", "Something else").replace("invite expiry", "x"))
    found = _findings(synth, project, "conflict")
    assert [(f["severity"], f["file"]) for f in found] == [("major", "feature-specs/F-002-sharing.md")]
    assert "'Invite expiry' is not addressed" in found[0]["message"]


def test_three_unresolved_conflicts_surfaced_give_no_conflict_finding(synth: Synth, project: Project) -> None:
    project.conflicts = {"F-001": [Conf(f"Open topic {n}", "[UNRESOLVED]") for n in range(3)]}
    _indexed(synth, project)
    assert _findings(synth, project, "conflict") == []


def test_enhancement_not_reflected_anywhere(synth: Synth, project: Project) -> None:
    _indexed(synth, project, extra="EP-001 is applied: caching rule one is precise.")
    found = _findings(synth, project, "enhancement")
    assert [f["message"] for f in found] == [
        "selected enhancement EP-002 (Enhancement number 2 about caching) is not reflected in any spec"
    ]


def test_clarification_answer_not_reflected(synth: Synth, project: Project, tmp_path: Path) -> None:
    project.conflicts = {"F-001": [Conf("Merge strategy", "[SUGGESTED]")]}
    project.build()
    advance(synth, project.root, project.sid, "analyzed")
    answers = tmp_path / "a.json"
    answers.write_text(
        json.dumps({"answers": {"E1": [], "Q1": "Quarterly hardware rotation by procurement officers"}})
    )
    assert synth(project.root, "answer", "--session", project.sid, "--answers", str(answers)).code == 0
    project.write_specs()
    synth(project.root, "index", "--session", project.sid)
    found = _findings(synth, project, "clarification")
    assert len(found) == 1 and found[0]["file"] == "feature-specs/F-001-offline-sync.md"
    spec = project.bdir / found[0]["file"]
    spec.write_text(
        spec.read_text() + "\nWe settle on a quarterly hardware rotation run by procurement officers.\n"
    )
    assert _findings(synth, project, "clarification") == []


def test_terminology_variants(synth: Synth, project: Project) -> None:
    _indexed(synth, project, extra="Each work space shows a merge-notice; Workspaces and merge notices stay.")
    found = _findings(synth, project, "terminology")
    messages = sorted(f["message"] for f in found if f["file"].endswith("F-001-offline-sync.md"))
    assert messages == [
        "glossary term 'Merge notice' written as merge-notice",
        "glossary term 'Workspace' written as work space",
    ]
    assert all(f["severity"] == "minor" for f in found)


def test_deleted_spec_is_a_missing_spec_finding(synth: Synth, project: Project) -> None:
    _indexed(synth, project)
    (project.bdir / "feature-specs/F-002-sharing.md").unlink()
    found = _findings(synth, project, "missing-spec")
    assert found == [
        {
            "check": "missing-spec",
            "severity": "major",
            "file": "feature-specs/F-002-sharing.md",
            "message": "F-002 has no spec",
        }
    ]


def test_review_check_before_index_is_refused(synth: Synth, project: Project) -> None:
    project.build()
    advance(synth, project.root, project.sid, "answer")
    result = synth(project.root, "review-check", "--session", project.sid)
    assert result.code == 1 and "run `specrail synthesis index` first" in result.json["error"]["message"]


def test_reviewed_needs_the_report_and_the_changelog_results(synth: Synth, project: Project) -> None:
    _indexed(synth, project)
    first = synth(project.root, "reviewed", "--session", project.sid).json
    assert first["status"] == "fail" and first["errors"][0]["file"].endswith("review-report.md")
    project.write("review-report.md", REVIEW_REPORT)
    second = synth(project.root, "reviewed", "--session", project.sid).json
    assert second["status"] == "fail" and second["errors"][0]["location"] == "section 'Review Results'"
    assert project.session()["state"] == "SPECS_WRITTEN"
    changelog = project.bdir / "synthesis-changelog.md"
    changelog.write_text(changelog.read_text() + REVIEW_RESULTS)
    spec = project.bdir / "feature-specs/F-002-sharing.md"
    spec.write_text(
        spec.read_text().replace("One endpoint.", "One endpoint. [REVIEW-FLAG] storage contradicts F-001")
    )
    third = synth(project.root, "reviewed", "--session", project.sid).json
    assert third["status"] == "ok" and third["state"] == "REVIEWED"
    assert (third["fixes"], third["flags"], third["inline_flags"]) == (1, 1, 1) and third["warnings"] == []


def test_reviewed_rejects_a_spec_the_review_broke(synth: Synth, project: Project) -> None:
    _indexed(synth, project)
    project.write("review-report.md", REVIEW_REPORT)
    changelog = project.bdir / "synthesis-changelog.md"
    changelog.write_text(changelog.read_text() + REVIEW_RESULTS)
    spec = project.bdir / "feature-specs/F-001-offline-sync.md"
    spec.write_text(spec.read_text().replace("## 5. Acceptance Criteria", "## Acceptance"))
    answer = synth(project.root, "reviewed", "--session", project.sid).json
    assert answer["status"] == "fail" and any("§5" in e["location"] for e in answer["errors"])
