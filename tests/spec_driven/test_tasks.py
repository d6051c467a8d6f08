"""Phase 5 planning: tasks from the diff records, dependencies, stable topological order, cycles."""

from __future__ import annotations

import pytest

from specrail.errors import InvalidInput
from specrail.models.spec_driven import DiffRecord, SectionChange
from specrail.spec_driven.tasks import assign_ids, extract, find_cycle, link, order
from tests.support.spec_driven import Project


def change(
    section: str, kind: str, files: list[str] | None = None, depends: list[str] | None = None
) -> SectionChange:
    return SectionChange(
        section=section,
        title=f"Section {section}",
        change=kind,  # type: ignore[arg-type]
        summary="s",
        files=files or [],
        depends=depends or [],
    )


def test_order_is_kahn_and_stable() -> None:
    ids = ["T-001", "T-002", "T-003", "T-004"]
    assert order(ids, {}) == ids
    # among the ready tasks the earliest goes first: T-002 is ready once T-003 is done, before T-004
    assert order(ids, {"T-001": {"T-004"}, "T-002": {"T-003"}}) == ["T-003", "T-002", "T-004", "T-001"]


def test_cycle_is_an_error_naming_it() -> None:
    ids = ["T-001", "T-002", "T-003", "T-004"]
    edges = {"T-001": {"T-003"}, "T-003": {"T-002"}, "T-002": {"T-003"}}
    assert find_cycle(["T-001", "T-002", "T-003"], edges) == ["T-003", "T-002", "T-003"]
    with pytest.raises(InvalidInput, match=r"task dependencies form a cycle: T-003 -> T-002 -> T-003"):
        order(ids, edges)


def test_dependencies_implied_by_the_diff() -> None:
    record = DiffRecord(
        spec="specs/views.md",
        version_before="1.0",
        version_after="2.0",
        version_bumped=True,
        revision_row_added=True,
        sections=[
            change("4.5", "ADDED", ["src/app.rs", "specs/views.md"]),
            change("4.5.1", "ADDED", ["src/app.rs"]),
            change("6.1", "DEPRECATED", ["src/wizard.rs"]),
            change("3.2", "MODIFIED", [], depends=["4.5.1"]),
        ],
    )
    drafts = extract([record], ["specs"])
    ids = assign_ids(drafts, [])
    link(drafts, ids)
    assert ids == ["T-001", "T-002", "T-003", "T-004"]
    assert [d.title for d in drafts] == [
        "Implement 4.5 Section 4.5",
        "Implement 4.5.1 Section 4.5.1",
        "Remove 6.1 Section 6.1",
        "Update 3.2 Section 3.2 to match spec",
    ]
    assert drafts[0].files == ["src/app.rs"]  # the spec itself is not code
    assert [sorted(d.depends) for d in drafts] == [[], ["T-001"], ["T-001", "T-002"], ["T-002"]]
    assert order(ids, {i: d.depends for d, i in zip(drafts, ids, strict=True)}) == [
        "T-001",
        "T-002",
        "T-003",
        "T-004",
    ]


def test_scenario_tasks_stored_in_order(project: Project) -> None:
    project.advance("IMPLEMENTING")
    answer = project.ok("tasks")
    assert answer["order"] == ["T-001", "T-002", "T-004", "T-003", "T-005"]
    by_id = {t["id"]: t for t in answer["tasks"]}
    # Phase 4's MEDIUM finding, queued for phase 5 (the seed: "queue for Phase 5").
    assert by_id["T-005"]["title"].startswith("Align specs/storage.md 3: refers to section 3.3 of notes.md")
    assert by_id["T-005"]["affected_files"] == ["specs/storage.md"]
    assert by_id["T-003"]["title"] == "Remove 3.3 Title Search"
    assert by_id["T-003"]["depends_on"] == ["T-004"]  # removal after the addition that replaces it
    assert by_id["T-004"]["affected_files"] == ["notes/core.py", "tests/test_core.py"]
    assert by_id["T-004"]["spec_ref"] == "specs/notes.md §3.4"
    assert [t["id"] for t in project.session()["tasks"]] == answer["order"]


def test_explicit_hints_rerun_keeps_ids_and_progress(project: Project) -> None:
    project.advance("IMPLEMENTING")
    project.ok("tasks")
    project.ok("task-start", "T-001")
    project.scenario("notes/core.py")
    project.ok("task-done", "T-001")
    answer = project.ok("tasks", "--depends", "T-002:T-004", "--files", "T-002=notes/core.py")
    assert answer["order"] == ["T-001", "T-004", "T-002", "T-003", "T-005"]
    tasks = {t["id"]: t for t in project.session()["tasks"]}
    assert tasks["T-001"]["status"] == "done"
    assert tasks["T-002"]["affected_files"] == ["notes/core.py"]
    again = project.ok("tasks")  # explicit dependencies persist
    assert again["order"] == ["T-001", "T-004", "T-002", "T-003", "T-005"]


def test_cycle_from_hints_is_refused_and_writes_nothing(project: Project) -> None:
    project.advance("IMPLEMENTING")
    project.ok("tasks")
    before = project.snapshot_files()
    answer = project.fails("tasks", "--depends", "T-004:T-003")
    assert answer.err.strip() == "specrail: task dependencies form a cycle: T-003 -> T-004 -> T-003"
    assert project.snapshot_files() == before


def test_task_start_waits_for_dependencies(project: Project) -> None:
    project.advance("IMPLEMENTING")
    project.ok("tasks")
    answer = project.fails("task-start", "T-003")
    assert "T-003 depends on T-004, not done yet" in answer.err
    project.ok("task-start", "T-001")
    busy = project.fails("task-start", "T-002")
    assert "T-001 is in progress" in busy.err


def test_verify_needs_every_task_and_then_validates(project: Project) -> None:
    project.advance("IMPLEMENTING")
    project.ok("tasks")
    early = project.fails("verify")
    assert "tasks not done: T-001 (pending)" in early.err
    project.advance("VALIDATING")
    session = project.session()
    assert [(r["name"], r["status"]) for r in session["verification"]] == [
        ("check", "PASS"),
        ("test", "PASS"),
    ]
    log = (project.session_dir / "implementation_log.md").read_text(encoding="utf-8")
    assert "| T-001 Update 2.1 Note to match spec | notes/core.py | +19 -6 | OK |" in log
    assert "- test `python3 -m unittest -q`: PASS (Ran 7 tests" in log
