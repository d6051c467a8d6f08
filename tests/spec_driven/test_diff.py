"""Phase 2: section classification on real before/after specs, version and history checks."""

from __future__ import annotations

import json

from specrail.spec_driven import specdoc
from specrail.spec_driven.diff import compare
from tests.support.spec_driven import EXAMPLE, Project

BEFORE = """# Views

**Version:** 2.3

## 1. Overview

Views of the app.

## 3. Discover

### 3.1 States

WizardMenu, GlobExplorer.

### 3.2 Keys

'w' opens the WizardMenu.

## 6. Wizards

### 6.1 WizardMenu

The menu of wizards.

## 9. Revision History

| Version | Date | Changes |
|---------|------|---------|
| 2.3 | 2026-01-01 | Keys |
"""

AFTER = """# Views

**Version:** 3.0

## 1. Overview

Views of the app.

## 3. Discover

### 3.1 States

RuleBuilder, GlobExplorer.

### 3.3 Key Bindings

'w' opens the WizardMenu.

### 3.4 Rule Builder

Depends: 3.1
A RuleBuilderState in `src/app.rs`.

## 6. Wizards

### 6.1 WizardMenu [DEPRECATED]

**Deprecated:** replaced by 3.4.

## 9. Revision History

| Version | Date | Changes |
|---------|------|---------|
| 2.3 | 2026-01-01 | Keys |
| 3.0 | 2026-01-14 | Rule Builder |
"""


def test_sections_are_classified_added_modified_deprecated() -> None:
    changes = compare(specdoc.parse(BEFORE), specdoc.parse(AFTER))
    got = [(c.section, c.change, c.title) for c in changes]
    assert got == [
        ("3.1", "MODIFIED", "States"),
        ("3.3", "MODIFIED", "Key Bindings"),  # same text under a new number and title
        ("3.4", "ADDED", "Rule Builder"),
        ("6.1", "DEPRECATED", "WizardMenu"),
    ]
    assert changes[1].summary == "renumbered from 3.2; retitled from 'Keys'"
    assert changes[2].summary == "New section: A RuleBuilderState in `src/app.rs`."
    added = next(c for c in changes if c.section == "3.4")
    assert added.files == ["src/app.rs"]
    assert added.depends == ["3.1"]
    assert next(c for c in changes if c.section == "6.1").summary == "Marked deprecated: replaced by 3.4."


def test_renumbered_section_with_same_title_is_matched() -> None:
    before = "# S\n\n**Version:** 1\n\n## 1. Intro\n\nText.\n\n## 2. Keys\n\nA.\n"
    after = "# S\n\n**Version:** 2\n\n## 1. Intro\n\nText.\n\n## 2. New\n\nB.\n\n## 3. Keys\n\nA.\n"
    changes = compare(specdoc.parse(before), specdoc.parse(after))
    # A new number alone is nothing to implement: the section is matched by title, unchanged.
    assert [(c.section, c.change, c.summary) for c in changes] == [("2", "ADDED", "New section: B.")]


def test_removed_section_is_deprecated_and_history_excluded() -> None:
    before = specdoc.parse(BEFORE)
    after = specdoc.parse(BEFORE.replace("### 3.2 Keys\n\n'w' opens the WizardMenu.\n\n", ""))
    changes = compare(before, after)
    assert [(c.section, c.change, c.summary) for c in changes] == [
        ("3.2", "DEPRECATED", "Removed (was 'Keys')")
    ]


def test_new_spec_is_all_added() -> None:
    changes = compare(None, specdoc.parse(AFTER))
    assert {c.change for c in changes} == {"ADDED"}
    assert "9" not in {c.section for c in changes}  # the revision history is not a change to implement


def test_version_bump_comparison() -> None:
    assert specdoc.bumped("2.3", "3.0")
    assert specdoc.bumped("0.5", "0.6")
    assert specdoc.bumped("1.9", "1.10")
    assert not specdoc.bumped("1.0", "1.0")
    assert not specdoc.bumped("1.1", "1.0")
    assert specdoc.bumped(None, "1.0")
    assert not specdoc.bumped("1.0", None)


def test_scenario_diff_recorded_with_json_twin(project: Project) -> None:
    project.advance("SPEC_UPDATE")
    project.scenario("specs/notes.md")
    answer = project.ok("diff")
    assert answer["state"] == "REFINING"
    twin = json.loads((project.session_dir / "spec_diffs" / "notes.diff.json").read_text(encoding="utf-8"))
    assert [(s["section"], s["change"]) for s in twin["sections"]] == [
        ("2.1", "MODIFIED"),
        ("3.1", "MODIFIED"),
        ("3.3", "DEPRECATED"),
        ("3.4", "ADDED"),
    ]
    assert twin["version_before"] == "1.0" and twin["version_after"] == "1.1"
    assert twin["version_bumped"] and twin["revision_row_added"]
    record = (project.session_dir / "spec_diffs" / "notes.diff.md").read_text(encoding="utf-8")
    assert record.startswith("## Spec Diff: specs/notes.md\n\n**Version:** 1.0 → 1.1\n")
    assert "| 3.4 | ADDED | New section: `with_tag(tag)` returns" in record
    assert "- 3.4 Filter by Tag (ADDED): implement in notes/core.py, tests/test_core.py" in record


def test_version_not_bumped_is_exit_1_with_clear_message(project: Project) -> None:
    project.advance("SPEC_UPDATE")
    project.scenario("specs/notes.md")
    project.edit("specs/notes.md", "**Version:** 1.1", "**Version:** 1.0")
    answer = project.fails("diff")
    assert answer.json["errors"] == [{"file": "specs/notes.md", "message": "version not bumped (1.0 → 1.0)"}]
    assert answer.json["state"] == "SPEC_UPDATE"
    assert not (project.session_dir / "spec_diffs").exists()


def test_missing_revision_row_is_exit_1(project: Project) -> None:
    project.advance("SPEC_UPDATE")
    project.scenario("specs/notes.md")
    project.edit("specs/notes.md", "| 1.1 | 2026-01-20 |", "not a row anymore | 2026-01-20 |")
    answer = project.fails("diff")
    assert answer.json["errors"][0]["message"] == "no row added to the Revision History table"
    assert project.state == "SPEC_UPDATE"


def test_refining_waits_for_every_affected_spec(project: Project) -> None:
    project.ok("init", "Tags", "--feature", "tags")
    proposal = (EXAMPLE / "scenario" / "proposal.md").read_text(encoding="utf-8")
    proposal = proposal.replace(
        "- specs/notes.md - Section 2.1, 3.3, 3.4", "- specs/notes.md - 2.1\n- storage.md - 2"
    )
    project.write(
        f"{project.session_dir.relative_to(project.root)}/proposal.md",
        proposal.replace("- Should tag matching ignore case?", "None"),
    )
    assert project.ok("proposal", "--confirm")["proposal"]["affected_specs"] == [
        "specs/notes.md",
        "specs/storage.md",
    ]
    project.ok("start-update")
    project.scenario("specs/notes.md")
    first = project.ok("diff", "--spec", "specs/notes.md")
    assert first["state"] == "SPEC_UPDATE" and first["missing"] == ["specs/storage.md"]
    project.edit("specs/storage.md", "**Version:** 1.0", "**Version:** 1.1")
    project.edit("specs/storage.md", "are read back as tuples.", "are read back as tuples, tags included.")
    project.edit(
        "specs/storage.md",
        "| 1.0 | 2026-01-10 | Initial specification |",
        "| 1.0 | 2026-01-10 | Initial specification |\n| 1.1 | 2026-01-20 | Tags |",
    )
    second = project.ok("diff", "--spec", "storage.md")
    assert second["state"] == "REFINING"
    assert set(project.session()["refinement"]) == {"specs/notes.md", "specs/storage.md"}
