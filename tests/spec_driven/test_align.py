"""Phase 4: trigger conditions, broken references, terminology drift, severities."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from specrail.spec_driven.align import references
from tests.support.spec_driven import Project, copy_project


def align(project: Project, *args: str) -> dict[str, Any]:
    project.advance("ALIGNING")
    answer = project.run("align-check", *args)
    assert answer.code in (0, 1), answer.err
    return answer.json


def findings(answer: dict[str, Any]) -> list[tuple[str, str, str, int]]:
    return [(f["severity"], f["category"], f["file"], f["line"]) for f in answer["findings"]]


def test_references_are_read_across_line_breaks() -> None:
    text = (
        "# T\n\nSee [the model](notes.md#21-note) and\nsection 3.3 of\nnotes.md for search.\n\n"
        "```\nsection 9\n```\n"
    )
    assert references(text) == [(3, "notes.md", "21-note", None, True), (4, "notes.md", None, "3.3", False)]


def test_scenario_alignment_reports_the_deprecated_reference(project: Project) -> None:
    answer = align(project)
    assert answer["ran"] is True and answer["state"] == "IMPLEMENTING"
    assert answer["reasons"] == [
        "cross-references: specs/notes.md -> specs/storage.md, specs/storage.md -> specs/notes.md"
    ]
    assert findings(answer) == [("MEDIUM", "deprecated_reference", "specs/storage.md", 23)]
    assert answer["renamed_terms"] == {"search_title": []}  # removed, not renamed; no other spec uses it
    report = (project.session_dir / "alignment_report.md").read_text(encoding="utf-8")
    assert (
        "| MEDIUM | deprecated_reference | specs/storage.md:23 | refers to section 3.3 of notes.md" in report
    )
    assert "**Scope:** specs/notes.md, specs/storage.md" in report


def test_reference_to_a_removed_section_is_critical_and_blocks(project: Project) -> None:
    project.advance("SPEC_UPDATE")
    project.scenario("specs/notes.md")
    project.edit(
        "specs/notes.md",
        "### 3.3 Title Search [DEPRECATED]\n\n**Deprecated:** replaced by section 3.4; "
        "finding notes by tag is the one way to find notes.\n\n",
        "",
    )
    project.ok("diff")
    answer = align(project)
    assert answer["state"] == "BLOCKED"
    assert ("CRITICAL", "missing_section", "specs/storage.md", 23) in findings(answer)
    assert answer["next"]["step"] == "resolve"


def test_broken_link_and_missing_anchor(project: Project) -> None:
    project.advance("ALIGNING")
    project.edit(
        "specs/notes.md",
        "## 4. Errors\n",
        "## 4. Errors\n\nSee [limits](limits.md) and [storage format](storage.md#9-format).\n",
    )
    answer = project.fails("align-check").json
    assert findings(answer) == [
        ("CRITICAL", "broken_link", "specs/notes.md", 55),
        ("MEDIUM", "missing_anchor", "specs/notes.md", 55),
        ("MEDIUM", "deprecated_reference", "specs/storage.md", 23),
    ]
    assert answer["findings"][0]["message"] == "links to limits.md, which does not exist"


def test_term_renamed_in_one_spec_but_used_in_another(project: Project) -> None:
    project.edit(
        "specs/notes.md", "Implemented by `Note` in", "Stored as a NoteRecord; implemented by `Note` in"
    )
    project.edit("specs/storage.md", "Each item holds the fields", "Each NoteRecord holds the fields")
    project.ok("init", "Rename", "--feature", "rename")
    project.scenario("proposal.md", f"{project.session_dir.relative_to(project.root)}/proposal.md")
    project.ok("proposal")
    project.ok("answer-question", "--number", "1", "--answer", "yes")
    project.ok("proposal", "--confirm")
    project.ok("start-update")
    project.edit("specs/notes.md", "Stored as a NoteRecord;", "Stored as a NoteEntry;")
    project.edit("specs/notes.md", "**Version:** 1.0", "**Version:** 1.1")
    project.edit(
        "specs/notes.md",
        "| 1.0 | 2026-01-10 | Initial specification |",
        "| 1.0 | 2026-01-10 | Initial specification |\n| 1.1 | 2026-01-20 | NoteEntry |",
    )
    project.ok("diff")
    project.ok(
        "refine-round", "--spec", "notes.md", "--found", "0", "--resolved", "0", "--open-critical", "0"
    )
    answer = project.ok("align-check")
    assert answer["renamed_terms"] == {"NoteRecord": ["NoteEntry"]}
    assert "renamed terms: NoteRecord" in answer["reasons"]
    drift = [f for f in answer["findings"] if f["category"] == "terminology"]
    assert drift == [
        {
            "severity": "MEDIUM",
            "category": "terminology",
            "file": "specs/storage.md",
            "line": 16,
            "message": "'NoteRecord' was renamed to NoteEntry in specs/notes.md "
            "but is still used here (1 line(s))",
            "hint": "use NoteEntry",
        }
    ]


def test_skip_alignment_override_goes_straight_to_implementing(project: Project) -> None:
    project.ok("init", "Add tags to notes", "--feature", "note-tags", "--skip-alignment")
    answer = align(project)
    assert answer["ran"] is False and answer["reasons"] == ["skipped: --skip-alignment"]
    assert answer["state"] == "IMPLEMENTING"
    assert not (project.session_dir / "alignment_report.md").exists()
    assert project.ok("status")["problems"] == []


def test_no_trigger_skips_the_check(project: Project) -> None:
    project.edit(".specrail.yaml", "trigger_on_cross_refs: true", "trigger_on_cross_refs: false")
    answer = align(project)
    assert answer["ran"] is False
    assert answer["reasons"] == ["no trigger: no cross-reference, renamed term, state machine or new spec"]


def test_aligner_findings_are_merged_and_critical_blocks(project: Project) -> None:
    project.advance("ALIGNING")
    bad = project.fails("align-check", "--finding", "URGENT:x", code=2)
    assert "is not SEVERITY:file:message" in bad.err
    answer = align(
        project,
        "--finding",
        "CRITICAL:specs/storage.md:state names differ from notes.md",
        "--finding",
        "LOW::wording",
    )
    assert answer["state"] == "BLOCKED"
    assert ("CRITICAL", "reported", "specs/storage.md", None) in findings(answer)
    assert ("LOW", "reported", "specs/notes.md", None) in findings(answer)


def test_skipped_alignment_asks_for_no_aligner_and_keeps_a_critical_finding(project: Project) -> None:
    project.ok("init", "Add tags to notes", "--feature", "note-tags", "--skip-alignment")
    project.advance("ALIGNING")
    step = project.ok("status")["next"]
    assert "no aligner review" in step["instruction"] and "--finding" not in step["instruction"]
    answer = project.fails(
        "align-check", "--finding", "CRITICAL:specs/storage.md:format contradicts notes.md"
    )
    assert answer.json["state"] == "BLOCKED" and answer.json["counts"]["CRITICAL"] == 1
    assert project.session()["alignment"]["findings"][0]["message"] == "format contradicts notes.md"
    assert (project.session_dir / "alignment_report.md").is_file()


def test_medium_becomes_a_phase_5_task_and_low_is_logged(project: Project) -> None:
    answer = align(project, "--finding", "LOW:specs/storage.md:wording could be tighter")
    assert answer["state"] == "IMPLEMENTING"
    assert answer["queued_for_phase_5"] == [
        "specs/storage.md: refers to section 3.3 of notes.md, now deprecated"
    ]
    assert answer["logged"] == ["specs/storage.md: wording could be tighter"]
    assert project.session()["deferred_items"] == [
        "Alignment LOW: specs/storage.md: wording could be tighter"
    ]
    tasks = project.ok("tasks")["tasks"]
    align_tasks = [t for t in tasks if t["action"] == "align"]
    assert [(t["spec_ref"], t["affected_files"]) for t in align_tasks] == [
        ("specs/storage.md:23", ["specs/storage.md"])
    ]


def test_full_audit_checks_every_spec(project: Project, tmp_path: Path) -> None:
    glossary = "# Glossary\n\nSee [the old index](index.md).\n"
    narrow = Project(copy_project(tmp_path / "narrow"))
    narrow.write("specs/glossary.md", glossary)
    assert not any(f["file"] == "specs/glossary.md" for f in align(narrow)["findings"])
    project.write("specs/glossary.md", glossary)
    project.edit(".specrail.yaml", "mode: alignment_check", "mode: full_audit")
    wide = align(project)
    assert "full_audit mode: every spec is checked" in wide["reasons"]
    assert ("CRITICAL", "broken_link", "specs/glossary.md", 3) in findings(wide)
