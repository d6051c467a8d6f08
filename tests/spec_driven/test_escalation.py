"""Every escalation path: STALLED, BLOCKED (alignment, validation) and a failed task, each option."""

from __future__ import annotations

import json

import pytest

from specrail.validation.check import check_file
from tests.support.spec_driven import Project

FAILING_TEST = """import unittest


class Broken(unittest.TestCase):
    def test_fails(self) -> None:
        self.assertEqual(1, 2)
"""


def stall(project: Project) -> None:
    project.advance("REFINING")
    for found, resolved in ((4, 1), (1, 1), (0, 0), (2, 2)):
        project.ok(
            "refine-round",
            "--spec",
            "notes.md",
            "--found",
            str(found),
            "--resolved",
            str(resolved),
            "--open-critical",
            "0",
        )
    assert project.state == "STALLED"


def block_validation(project: Project) -> None:
    project.advance("VALIDATING")
    project.write("tests/test_broken.py", FAILING_TEST)
    answer = project.fails("run-validations")
    assert answer.json["critical_failures"] == ["test"]
    assert project.state == "BLOCKED"


def block_alignment(project: Project) -> None:
    project.advance("ALIGNING")
    project.edit("specs/notes.md", "## 4. Errors\n", "## 4. Errors\n\nSee [the old wizard](wizards.md).\n")
    answer = project.fails("align-check")
    assert answer.json["counts"]["CRITICAL"] == 1
    assert project.state == "BLOCKED"


@pytest.mark.parametrize(
    ("choice", "state", "deferred"),
    [
        ("Continue", "REFINING", []),
        ("Accept partial", "ALIGNING", ["Refinement: specs/notes.md: 3 open gaps accepted (partial)"]),
        ("abort", "ABORTED", []),
    ],
)
def test_stalled_options(project: Project, choice: str, state: str, deferred: list[str]) -> None:
    stall(project)
    answer = project.ok("resolve", "--choice", choice)
    assert answer["state"] == state
    session = project.session()
    assert session["pending_decision"] is None
    assert session["deferred_items"] == deferred
    assert session["decisions"][-1]["kind"] == "stall"
    assert session["history"][-1]["reason"].startswith("user chose ")


def test_stalled_continue_gives_a_fresh_window(project: Project) -> None:
    stall(project)
    project.ok("resolve", "--choice", "1")
    again = project.ok(
        "refine-round", "--spec", "notes.md", "--found", "0", "--resolved", "0", "--open-critical", "0"
    )
    assert again["verdict"] == "CONTINUE"  # would be STALLED again without the fresh window
    done = project.ok(
        "refine-round", "--spec", "notes.md", "--found", "0", "--resolved", "3", "--open-critical", "0"
    )
    assert done["verdict"] == "CONVERGED" and done["state"] == "ALIGNING"


def test_stalled_reduce_scope_needs_a_note(project: Project) -> None:
    stall(project)
    refused = project.fails("resolve", "--choice", "Reduce scope", code=2)
    assert "say what is left out" in refused.err
    assert project.state == "STALLED"
    answer = project.ok("resolve", "--choice", "reduce", "--note", "tag colours left for later")
    assert answer["choice"] == "Reduce scope" and answer["state"] == "REFINING"
    assert project.session()["deferred_items"] == [
        "Scope reduced for specs/notes.md: tag colours left for later"
    ]


def test_unknown_choice_is_a_usage_error(project: Project) -> None:
    stall(project)
    answer = project.fails("resolve", "--choice", "Skip Validation", code=2)
    assert "is not one of: Continue, Reduce scope, Accept partial, Abort" in answer.err


@pytest.mark.parametrize(
    ("choice", "state"),
    [
        ("Fix & Retry", "VALIDATING"),
        ("Skip Validation", "COMMITTING"),
        ("Rollback to Phase 5", "IMPLEMENTING"),
        ("Rollback to Phase 3", "REFINING"),
        ("Abort", "ABORTED"),
    ],
)
def test_blocked_validation_options(project: Project, choice: str, state: str) -> None:
    block_validation(project)
    decision = project.session()["pending_decision"]
    assert decision["options"] == [
        "Fix & Retry",
        "Skip Validation",
        "Rollback to Phase 5",
        "Rollback to Phase 3",
        "Abort",
    ]
    answer = project.ok("resolve", "--choice", choice)
    assert answer["state"] == state
    session = project.session()
    if choice == "Skip Validation":
        assert session["deferred_items"][0].startswith("Validation skipped after FAIL: test")
        assert project.ok("commit", "--confirm")["state"] == "COMPLETE"
    if choice == "Rollback to Phase 5":
        assert session["verification"] == [] and session["validations"] == []
        assert answer["next"]["step"] == "verify"
    if choice == "Rollback to Phase 3":
        assert session["refinement"]["specs/notes.md"]["final"] is None
        assert session["refinement"]["specs/notes.md"]["window_start"] == 1
        assert session["alignment"] is None
        assert answer["next"]["step"] == "refine-round"


def test_blocked_validation_fix_and_retry_then_passes(project: Project) -> None:
    block_validation(project)
    project.ok("resolve", "--choice", "Fix & Retry")
    (project.root / "tests" / "test_broken.py").unlink()
    assert project.ok("run-validations")["state"] == "COMMITTING"


@pytest.mark.parametrize(
    ("choice", "state"),
    [("Fix & Retry", "ALIGNING"), ("Rollback to Phase 3", "REFINING"), ("Abort", "ABORTED")],
)
def test_blocked_alignment_options(project: Project, choice: str, state: str) -> None:
    block_alignment(project)
    assert project.session()["pending_decision"]["options"] == ["Fix & Retry", "Rollback to Phase 3", "Abort"]
    assert project.ok("resolve", "--choice", choice)["state"] == state


def fail_task(project: Project) -> None:
    project.advance("IMPLEMENTING")
    project.ok("tasks")
    project.ok("task-start", "T-001", "--files", "notes/core.py,notes/tags.py")
    project.write("notes/core.py", "def broken(:\n")
    project.write("notes/tags.py", "TAGS = ()\n")
    answer = project.fails("task-done", "T-001")
    assert answer.json["check"]["status"] == "FAIL"
    assert answer.json["rolled_back"] is True
    assert answer.json["restored"] == ["notes/core.py", "notes/tags.py"]


def test_failed_task_is_rolled_back_from_its_copies(project: Project) -> None:
    original = (project.root / "notes" / "core.py").read_bytes()
    fail_task(project)
    assert (project.root / "notes" / "core.py").read_bytes() == original
    assert not (project.root / "notes" / "tags.py").exists()  # created by the task: removed again
    session = project.session()
    task = session["tasks"][0]
    assert task["status"] == "rolled_back" and "SyntaxError" in task["check"]["output_tail"]
    assert session["pending_decision"]["options"] == [
        "Diagnose & Fix",
        "Rollback Change",
        "Pause for User",
        "Abort Phase",
    ]
    assert session["state"] == "IMPLEMENTING"
    refused = project.fails("task-start", "T-002")
    assert "a decision is pending" in refused.err


@pytest.mark.parametrize(
    ("choice", "status", "next_step"),
    [
        ("Diagnose & Fix", "pending", "task-start"),
        ("Pause for User", "pending", "task-start"),
        ("Rollback Change", "skipped", "task-start"),
        ("Abort Phase", "skipped", "verify"),
    ],
)
def test_failed_task_options(project: Project, choice: str, status: str, next_step: str) -> None:
    fail_task(project)
    answer = project.ok("resolve", "--choice", choice)
    assert answer["state"] == "IMPLEMENTING"
    assert answer["next"]["step"] == next_step
    session = project.session()
    assert session["tasks"][0]["status"] == status
    if choice == "Abort Phase":
        assert {t["status"] for t in session["tasks"]} == {"skipped"}
        assert len(session["deferred_items"]) == 5
    log = (project.session_dir / "implementation_log.md").read_text(encoding="utf-8")
    assert "- T-001 incremental check FAIL (SyntaxError" in log


def test_resolve_without_a_decision_is_refused(project: Project) -> None:
    project.advance("IMPLEMENTING")
    answer = project.fails("resolve", "--choice", "Continue")
    assert "no decision is pending" in answer.err


def test_session_file_rules_tie_decisions_to_states(project: Project) -> None:
    stall(project)
    path = project.session_dir / "workflow-session.json"
    assert check_file(path).ok
    data = json.loads(path.read_text(encoding="utf-8"))
    data["pending_decision"]["kind"] = "validation"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert [i.line() for i in check_file(path).errors] == [
        f"{path}::/pending_decision/kind: a validation decision belongs to BLOCKED, not STALLED"
    ]
    data["pending_decision"] = None
    path.write_text(json.dumps(data), encoding="utf-8")
    assert [i.line() for i in check_file(path).errors] == [
        f"{path}::/pending_decision: state STALLED but no decision is pending"
    ]
