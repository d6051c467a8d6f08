"""The Markdown rules of the session files reject what the generators would never write."""

from __future__ import annotations

from pathlib import Path

import pytest

from specrail.validation.check import check_file

SESSION = Path("specs/meta/sessions/tags_2026-01-20")

GOOD_DIFF = """## Spec Diff: specs/notes.md

**Version:** 1.0 → 1.1

### Sections Changed
| Section | Change Type | Summary |
|---------|-------------|---------|
| 3.4 | ADDED | New section |

### Implementation Implications
- Code in notes/core.py
"""


def check(tmp_path: Path, name: str, text: str) -> list[str]:
    path = tmp_path / SESSION / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return [i.line().split("::", 1)[-1] for i in check_file(path).errors]


def test_good_diff_record_passes(tmp_path: Path) -> None:
    assert check(tmp_path, "spec_diffs/notes.diff.md", GOOD_DIFF) == []


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        (
            "| 3.4 | ADDED |",
            "| 3.4 | RENAMED |",
            "line 8: Change Type 'RENAMED' is not one of ADDED, DEPRECATED, MODIFIED",
        ),
        (
            "| 3.4 | ADDED |",
            "| Usage//Adding | ADDED |",
            "line 8: section 'Usage//Adding' is neither a section",
        ),
        # A heading path ('Filter by Tag') is a section key too (unnumbered specs); a dash is none.
        ("| 3.4 | ADDED |", "| - | ADDED |", "line 8: section '-' is neither a section number like 3.2"),
        ("**Version:** 1.0 → 1.1", "Version 1.1", "missing '**Version:** {old} → {new}' line"),
        ("| Section | Change Type | Summary |", "| Section | Kind | Summary |", "line 6: table columns are"),
    ],
)
def test_bad_diff_record_is_rejected(tmp_path: Path, old: str, new: str, error: str) -> None:
    errors = check(tmp_path, "spec_diffs/notes.diff.md", GOOD_DIFF.replace(old, new))
    assert any(e.endswith(error) or error in e for e in errors), errors


def test_refinement_summary_final_state_is_checked(tmp_path: Path) -> None:
    text = (
        "## Refinement Summary\n\n| Spec | Rounds | Gaps Found | Gaps Resolved | Final State |\n"
        "|--|--|--|--|--|\n"
        "| notes.md | 2 | 3 | 3 | DONE |\n\n### Key Decisions\n- None.\n\n### Deferred Items\n- None.\n"
    )
    assert check(tmp_path, "refinement_summary.md", text) == [
        "line 5: Final State 'DONE' is not one of "
        "ACCEPTED_PARTIAL, CONVERGED, IN_PROGRESS, MAX_ROUNDS, STALLED"
    ]


def test_validation_report_without_table_is_rejected(tmp_path: Path) -> None:
    errors = check(
        tmp_path, "validation_report.md", "## Validation Report\n\n### Results Summary\nAll good.\n"
    )
    assert errors == ["section 'Results Summary': no table"]


def test_proposal_with_template_placeholders_is_rejected(tmp_path: Path) -> None:
    text = (
        "## Proposal Summary\n\n**Request:** {user's request, paraphrased}\n**Intent:** x\n"
        "**Affected Specs:**\n- specs/notes.md\n**Key Changes:**\n1. y\n**Open Questions:** none\n"
    )
    assert check(tmp_path, "proposal.md", text) == ['line 3: placeholder "{user\'s request, paraphrased}"']


@pytest.mark.parametrize("section", ["Usage/Subtracting", "Architecture", "Commandes/Exécuter les tests"])
def test_heading_path_sections_of_an_unnumbered_spec_pass(tmp_path: Path, section: str) -> None:
    assert check(tmp_path, "spec_diffs/README.diff.md", GOOD_DIFF.replace("| 3.4 |", f"| {section} |")) == []
