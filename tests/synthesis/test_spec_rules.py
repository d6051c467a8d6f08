"""The Markdown rules synthesis adds: section 7 entries of a feature spec, review report flags."""

from __future__ import annotations

from pathlib import Path

from specrail.validation.check import check_file
from tests.synthesis.builders import REVIEW_REPORT, Feat, spec_text


def _spec(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feature-specs" / "F-001-offline-sync.md"
    path.parent.mkdir()
    path.write_text(text)
    return path


def test_section_seven_states_both_directions(tmp_path: Path) -> None:
    text = spec_text(Feat("F-001", "Offline Sync", ["alpha"]), [], ["F-002"], [], [])
    assert check_file(_spec(tmp_path, text)).ok
    broken = text.replace("- **Required by**: none\n", "")
    (tmp_path / "feature-specs" / "F-001-offline-sync.md").write_text(broken)
    result = check_file(tmp_path / "feature-specs" / "F-001-offline-sync.md")
    assert [(i.location, i.message) for i in result.errors] == [
        ("§7 Cross-Feature Dependencies", "no 'Required by' entry")
    ]


def test_review_report_flags_carry_the_marker(tmp_path: Path) -> None:
    report = tmp_path / "review-report.md"
    report.write_text(REVIEW_REPORT)
    assert check_file(report).ok
    report.write_text(REVIEW_REPORT.replace("[REVIEW-FLAG] storage", "storage"))
    errors = check_file(report).errors
    assert len(errors) == 1 and errors[0].message == "a flag without a [REVIEW-FLAG] marker"
    assert errors[0].location.startswith("line ")
    report.write_text(REVIEW_REPORT.split("## Flags Raised")[0] + "## Flags Raised\n- None\n")
    assert check_file(report).ok
