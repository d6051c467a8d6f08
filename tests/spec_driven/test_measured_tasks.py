"""A task is done when its change is measured, not when the model says so.

Each test plays a model that wants to finish with the least work, through the CLI: it marks a
task done that it never started, claims files it never touched, changes nothing, or changes files
the task never declared. `task-done` measures the tree against what `task-start` recorded.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.support.cli import run_cli
from tests.support.spec_driven import Project, git


def task(project: Project, task_id: str) -> dict:
    return next(t for t in project.session()["tasks"] if t["id"] == task_id)


def test_task_done_without_task_start_is_refused_and_writes_nothing(project: Project) -> None:
    project.advance("IMPLEMENTING")
    project.ok("tasks")
    project.scenario("notes/core.py")  # the change is there, but the task was never started
    before = project.snapshot_files()

    refused = project.fails("task-done", "T-001", "--files", "notes/core.py")  # attempt 1

    assert "T-001 is pending" in refused.json["error"]["message"]
    assert "`task-start` it first" in refused.json["error"]["message"]
    assert project.snapshot_files() == before
    assert task(project, "T-001")["status"] == "pending"


def test_claimed_files_that_did_not_change_are_not_a_change(project: Project) -> None:
    project.advance("IMPLEMENTING")
    project.ok("tasks")
    project.ok("task-start", "T-001", "--files", "notes/core.py")

    asked = project.fails("task-done", "T-001", "--files", "notes/core.py").json  # attempt 1: nothing done

    assert asked["files_changed"] == []
    assert "T-001 changed no file since task-start" in asked["errors"][0]["message"]
    assert "measured, not taken from --files" in asked["warnings"][0]
    assert asked["pending_decision"]["options"] == ["No change needed", "Implement it"]
    assert task(project, "T-001")["status"] == "in_progress"
    again = project.fails("task-done", "T-001")  # attempt 2: past the open question
    assert "a decision is pending" in again.json["error"]["message"]
    # The user says it is not done: the task stays in progress until its change is there.
    assert project.ok("resolve", "--choice", "Implement it")["state"] == "IMPLEMENTING"
    assert task(project, "T-001")["status"] == "in_progress"
    project.scenario("notes/core.py")
    done = project.ok("task-done", "T-001")
    assert done["files_changed"] == ["notes/core.py"] and done["undeclared"] == []
    recorded = task(project, "T-001")
    assert recorded["status"] == "done" and recorded["files_changed"] == ["notes/core.py"]
    assert recorded["lines_added"] > 0


def test_no_change_needed_is_the_users_decision_and_is_recorded(project: Project) -> None:
    project.advance("IMPLEMENTING")
    project.ok("tasks")
    project.ok("task-start", "T-001", "--files", "notes/core.py")
    project.scenario("notes/core.py")
    project.ok("task-done", "T-001")
    project.ok("task-start", "T-002")

    project.fails("task-done", "T-002", "--note", "already implemented")  # attempt 1
    project.ok("resolve", "--choice", "No change needed", "--note", "implemented with T-001")

    recorded = task(project, "T-002")
    assert recorded["status"] == "done" and recorded["files_changed"] == []
    assert "no change needed (the user's decision): implemented with T-001" in recorded["note"]
    assert recorded["check"]["status"] == "SKIPPED"
    decisions = project.session()["decisions"]
    assert decisions[-1]["kind"] == "implementation" and decisions[-1]["choice"] == "No change needed"


def test_a_removal_already_absent_needs_no_change(project: Project) -> None:
    project.advance("IMPLEMENTING")
    project.ok("tasks")
    for task_id in ("T-001", "T-002", "T-004"):
        project.ok("task-start", task_id)
        project.write(f"notes/{task_id.lower()}.py", "X = 1\n")
        project.ok("task-done", task_id)
    removal = task(project, "T-003")
    assert removal["action"] == "remove" and removal["affected_files"] == []
    project.ok("task-start", "T-003", "--files", "notes/legacy_filter.py")  # gone before the task

    answer = project.ok("task-done", "T-003")  # attempt 1: nothing to remove, measured
    assert answer["files_changed"] == []
    assert "already absent" in task(project, "T-003")["note"]


def test_files_changed_but_not_declared_are_named_recorded_and_rolled_back(project: Project) -> None:
    project.advance("IMPLEMENTING")
    project.ok("tasks")
    project.ok("task-start", "T-001", "--files", "notes/core.py")
    storage = project.root / "notes/storage.py"
    stored = storage.read_bytes()
    project.write("notes/storage.py", stored.decode() + "\ndef broken(:\n")  # fails the check
    project.write("notes/helpers.py", "HELP = 1\n")  # a new file nobody declared

    # attempt 1: claim only the declared file
    failed = project.fails("task-done", "T-001", "--files", "notes/core.py").json

    assert sorted(failed["files_changed"]) == ["notes/helpers.py", "notes/storage.py"]
    assert sorted(failed["undeclared"]) == ["notes/helpers.py", "notes/storage.py"]
    assert any("did not declare: notes/helpers.py, notes/storage.py" in w for w in failed["warnings"])
    assert failed["check"]["status"] == "FAIL" and failed["rolled_back"] is True
    assert storage.read_bytes() == stored  # the undeclared change is rolled back too
    assert not (project.root / "notes/helpers.py").exists()
    recorded = task(project, "T-001")
    assert sorted(recorded["undeclared"]) == ["notes/helpers.py", "notes/storage.py"]
    assert recorded["status"] == "rolled_back"


def test_an_undeclared_change_is_traced_to_its_task(project: Project) -> None:
    project.advance("IMPLEMENTING")
    project.ok("tasks")
    project.ok("task-start", "T-001", "--files", "notes/core.py")
    project.scenario("notes/core.py")
    project.edit("notes/storage.py", "import json", "import json  # tags stored as a list")

    done = project.ok("task-done", "T-001", "--files", "notes/core.py")  # attempt 1: claims one file

    assert done["files_changed"] == ["notes/core.py", "notes/storage.py"]
    assert done["undeclared"] == ["notes/storage.py"]
    recorded = task(project, "T-001")
    assert recorded["files_changed"] == ["notes/core.py", "notes/storage.py"]
    assert recorded["undeclared"] == ["notes/storage.py"]
    assert "notes/storage.py" in (project.session_dir / "implementation_log.md").read_text(encoding="utf-8")


def test_task_start_keeps_no_copy_of_project_code_in_the_tree(project: Project) -> None:
    project.advance("IMPLEMENTING")
    project.ok("tasks")
    project.ok("task-start", "T-001", "--files", "notes/core.py,tests/test_core.py")

    code = (project.root / "notes/core.py").read_bytes()
    copies = [
        p.relative_to(project.root).as_posix()
        for p in project.root.rglob("*.py")
        if ".git" not in p.relative_to(project.root).parts and p.read_bytes() == code
    ]
    assert copies == ["notes/core.py"]
    assert not (project.session_dir / "backups").exists()
    git_dir = git(project.root, "rev-parse", "--absolute-git-dir").strip()
    name = hashlib.sha256(b"notes/core.py").hexdigest()  # one flat file, no .py extension
    backup = Path(git_dir) / "specrail/backups" / project.session_dir.name / "T-001" / name
    assert backup.read_bytes() == code
    untracked = git(project.root, "status", "--porcelain", "--untracked-files=all")
    assert "core.py" not in untracked


def test_trace_leads_from_an_undeclared_file_to_its_task(project: Project) -> None:
    project.advance("IMPLEMENTING")
    project.ok("tasks")
    project.ok("task-start", "T-001", "--files", "notes/core.py")
    project.scenario("notes/core.py")
    project.edit("notes/storage.py", "import json", "import json  # tags stored as a list")
    project.ok("task-done", "T-001")
    for task_id in ("T-002", "T-004", "T-003", "T-005"):
        project.ok("task-start", task_id)
        if task_id == "T-004":
            project.scenario("tests/test_core.py")
            project.ok("task-done", task_id)
        else:
            project.no_change(task_id, "covered by T-001")
    project.ok("verify")
    project.advance("COMPLETE")

    traced = run_cli("trace", "notes/storage.py", "--root", str(project.root), "--json")

    assert traced.code == 0, traced.out + traced.err
    tasks = [t["id"] for e in traced.json["entries"] for t in e.get("tasks", [])]
    assert "T-001" in tasks, traced.out
