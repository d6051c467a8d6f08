"""A review holds: once found required it stays required, whatever the inputs of the score say
later, and `reviewed` runs the review check again on what the review left behind."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from tests.support.signed import write_signed
from tests.support.synthesis import Synth, advance
from tests.synthesis.builders import REVIEW_REPORT, REVIEW_RESULTS, Project


def _lower_the_score(bdir: Path) -> None:
    """What a model cutting corners would do: no cross references, every conflict resolved."""
    path = bdir / "feature-conflict-map.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data.values():
        entry["cross_refs"] = []
        for conflict in entry["conflicts"]:
            conflict["confidence"] = "[RESOLVED]"
            conflict.setdefault("resolution", "settled")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    # Past the freeze of the analysis outputs too (its own tests hold it): the record takes the new
    # hash, signed here, so that only the kept review stands in the way.
    record = bdir.parent / "workflow-session.json"
    session = json.loads(record.read_text(encoding="utf-8"))
    key = ".brainstorming/feature-conflict-map.json"
    assert key in session["analysis_hashes"], session["analysis_hashes"]
    session["analysis_hashes"][key] = hashlib.sha256(path.read_bytes()).hexdigest()
    write_signed(record, session)


def test_a_required_review_cannot_be_scored_away(synth: Synth, example: Path, sid: str) -> None:
    advance(synth, example, sid, "index")
    first = synth(example, "complexity", "--session", sid).json
    assert first["score"] >= 4 and first["review_required"] is True
    session_dir = example / ".workflow/active" / sid
    _lower_the_score(session_dir / ".brainstorming")

    again = synth(example, "complexity", "--session", sid).json
    assert again["score"] < 4  # the rewritten inputs alone would not call for a review
    assert again["review_required"] is True and "stays required" in again["review_kept"]
    assert "review-check" in again["next"]
    check = synth(example, "review-check", "--session", sid).json
    assert check["review_required"] is True

    result = synth(example, "finalize", "--session", sid)
    assert result.code == 1, result.out
    assert "review required (found required earlier" in result.json["error"]["message"]
    assert not (session_dir / ".process/context-package.json").exists()
    assert json.loads((session_dir / "workflow-session.json").read_text())["review_required"] is True


def _indexed(synth: Synth, project: Project) -> None:
    """Two specs written; the coverage check finds the selected enhancements in neither (major)."""
    project.build()
    advance(synth, project.root, project.sid, "answer")
    project.write_specs()
    assert synth(project.root, "index", "--session", project.sid).code == 0
    changelog = project.bdir / "synthesis-changelog.md"
    changelog.write_text(changelog.read_text(encoding="utf-8") + REVIEW_RESULTS, encoding="utf-8")


def test_a_report_that_reviewed_no_spec_is_refused(synth: Synth, project: Project) -> None:
    _indexed(synth, project)
    spec = project.bdir / "feature-specs/F-002-sharing.md"
    spec.write_text(spec.read_text() + "\n[REVIEW-FLAG] caching enhancements are not covered\n")
    project.write("review-report.md", REVIEW_REPORT.replace("**Specs Reviewed**: 2", "**Specs Reviewed**: 0"))
    answer = synth(project.root, "reviewed", "--session", project.sid).json
    assert answer["status"] == "fail", answer
    error = answer["errors"][0]
    assert error["file"].endswith("review-report.md") and error["message"] == "the review reviewed no spec"
    assert project.session()["state"] == "SPECS_WRITTEN"


def test_a_major_finding_left_open_without_a_flag_is_refused(synth: Synth, project: Project) -> None:
    _indexed(synth, project)
    open_findings = [
        f
        for f in synth(project.root, "review-check", "--session", project.sid).json["findings"]
        if f["severity"] == "major"
    ]
    assert open_findings  # the coverage check has something to say
    # a report claiming a clean review, while the specs still miss the enhancements and carry no flag
    clean = REVIEW_REPORT.replace("**Major Flags Raised**: 1", "**Major Flags Raised**: 0").replace(
        "- feature-specs/F-002-sharing.md: [REVIEW-FLAG] storage decision contradicts F-001", "- None"
    )
    project.write("review-report.md", clean)
    answer = synth(project.root, "reviewed", "--session", project.sid).json
    assert answer["status"] == "fail", answer
    messages = [e["message"] for e in answer["errors"]]
    assert all(m.startswith("finding still open and not flagged: ") for m in messages), messages
    assert {m.removeprefix("finding still open and not flagged: ") for m in messages} == {
        f["message"] for f in open_findings
    }
    assert project.session()["state"] == "SPECS_WRITTEN"
    # flagging the open item is what the action protocol asks for; then the review is accepted
    spec = project.bdir / "feature-specs/F-002-sharing.md"
    spec.write_text(spec.read_text() + "\n[REVIEW-FLAG] the caching enhancements are in no spec\n")
    assert synth(project.root, "reviewed", "--session", project.sid).json["status"] == "ok"
