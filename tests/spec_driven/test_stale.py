"""Stale plans: a spec edited after its diff stops phase 5 until the diff and the tasks are made again."""

from __future__ import annotations

import json

from tests.support.signed import sign_file
from tests.support.spec_driven import Project


def implement_some(project: Project) -> None:
    """IMPLEMENTING with T-001 (§2.1), T-002 (§3.1) and T-004 (§3.4) done, T-003 (§3.3) pending."""
    project.advance("IMPLEMENTING")
    project.ok("tasks")
    project.ok("task-start", "T-001", "--files", "notes/core.py")
    project.scenario("notes/core.py")
    project.ok("task-done", "T-001")
    project.ok("task-start", "T-002")
    project.no_change("T-002", "implemented with T-001")
    project.ok("task-start", "T-004")
    project.scenario("tests/test_core.py")
    project.ok("task-done", "T-004")


def edit_section_3_4(project: Project) -> None:
    heading = "### 3.4 Filter by Tag\n"
    project.edit("specs/notes.md", heading, heading + "\nTags match whole words.\n")


def tasks_by_id(project: Project) -> dict[str, dict]:
    return {t["id"]: t for t in project.session()["tasks"]}


def test_stale_plan_refused_then_replanned_keeping_unchanged_work(project: Project) -> None:
    implement_some(project)
    edit_section_3_4(project)
    before = project.snapshot_files()
    for step in (("task-start", "T-003"), ("verify",), ("tasks",)):
        refused = project.fails(*step)
        assert "specs/notes.md changed after its diff was recorded" in refused.err
        assert refused.json["error"]["pointer"] == "/diffs/specs~1notes.md/spec_sha256"
    assert project.snapshot_files() == before  # refused steps write nothing
    assert project.ok("status")["next"]["step"] == "diff"

    recorded = project.ok("diff", "--spec", "specs/notes.md")
    assert recorded["state"] == "IMPLEMENTING" and recorded["status"] == "ok"
    refused = project.fails("task-start", "T-003")
    assert "T-001 was planned before the diff of specs/notes.md was recorded again" in refused.err
    assert project.ok("status")["next"]["step"] == "tasks"

    replanned = project.ok("tasks")
    assert replanned["reopened"] == ["T-004"]
    tasks = tasks_by_id(project)
    assert {i: t["status"] for i, t in tasks.items()} == {
        "T-001": "done",
        "T-002": "done",
        "T-004": "pending",
        "T-003": "pending",
        "T-005": "pending",
    }
    assert "re-opened: specs/notes.md §3.4 changed since the task was done" in tasks["T-004"]["note"]
    project.ok("task-start", "T-004")
    test_core = (project.root / "tests/test_core.py").read_text(encoding="utf-8")
    project.write("tests/test_core.py", test_core + "\n# tags match whole words\n")
    project.ok("task-done", "T-004")
    project.ok("task-start", "T-003")
    project.no_change("T-003", "implemented with T-001")
    project.ok("task-start", "T-005")  # the alignment finding queued for phase 5
    project.no_change("T-005", "left for the storage spec's next revision")
    assert project.ok("verify")["state"] == "VALIDATING"


def test_unchanged_spec_replans_without_reopening(project: Project) -> None:
    implement_some(project)
    assert project.ok("tasks")["reopened"] == []
    assert tasks_by_id(project)["T-004"]["status"] == "done"


def test_sessions_recorded_without_the_hashes_still_load_and_run(project: Project) -> None:
    implement_some(project)
    path = project.session_dir / "workflow-session.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for summary in data["diffs"].values():
        del summary["spec_sha256"]
    for task in data["tasks"]:
        del task["spec_sha256"]
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    sign_file(path)  # an older session of this machine's own
    edit_section_3_4(project)
    project.ok("task-start", "T-003")  # nothing to compare with: not refused
    project.no_change("T-003", "implemented with T-001")
    project.ok("task-start", "T-005")  # the alignment finding queued for phase 5
    project.no_change("T-005", "left for the storage spec's next revision")
    assert project.ok("verify")["state"] == "VALIDATING"


def test_spec_edited_while_aligning_after_a_rollback_asks_for_the_diff_again(project: Project) -> None:
    project.advance("VALIDATING")
    project.edit("notes/core.py", "def with_tag(", "def with_tag(:\n")  # break the code
    assert project.run("run-validations").code == 1 and project.state == "BLOCKED"
    project.ok("resolve", "--choice", "Rollback to Phase 3")
    project.edit("specs/notes.md", "ignoring case, in list order.", "ignoring case, newest first.")
    project.ok("refine-round", "--spec", "notes.md", "--found", "1", "--resolved", "1", "--open-critical=0")
    project.edit("specs/notes.md", "A `NoteBook` keeps", "A `NoteBook` always keeps")  # an alignment fix
    assert project.ok("align-check")["state"] == "IMPLEMENTING"
    assert project.ok("status")["next"]["step"] == "diff"
    project.fails("task-start", "T-004")
    project.ok("diff", "--spec", "specs/notes.md")
    replanned = project.ok("tasks")
    tasks = {t["section"]: t for t in project.session()["tasks"]}
    assert replanned["reopened"] == [tasks["3.4"]["id"]]  # refined in phase 3: done, now re-opened
    assert tasks["2.2"]["status"] == "pending"  # changed by the alignment fix: a new task
    assert tasks["2.1"]["status"] == "done"


def test_a_spec_moved_away_is_named_as_gone_and_restoring_it_resumes(project: Project) -> None:
    implement_some(project)
    spec = project.root / "specs/notes.md"
    spec.rename(project.root / "specs/notes-old.md")
    refused = project.fails("task-start", "T-003")
    assert "specs/notes.md was deleted or moved after its diff was recorded; restore it" in refused.err
    assert "deprecated section by section" in project.fails("diff", "--spec", "specs/notes.md").err
    assert project.ok("status")["next"]["instruction"].startswith("Restore specs/notes.md (a spec is")
    (project.root / "specs/notes-old.md").rename(spec)
    assert project.ok("task-start", "T-003")["status"] == "ok"
