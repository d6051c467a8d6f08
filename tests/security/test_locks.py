"""Two steps at once: each checks and writes under the session lock, so the second sees the first.

The race is made certain: the test holds the session's lock while it starts both commands, so
both are ready before either may go on. A step that checked before taking the lock would pass its
check on the same old state as the other one.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from specrail.store import SessionStore
from tests.support.locks import wait_at_lock
from tests.support.spec_driven import Project


def at_once(project: Project, *commands: list[str]) -> list[dict[str, Any]]:
    """Run `specrail spec-driven COMMAND` for each command, released together; their answers."""
    folder = project.session_dir
    store = SessionStore(folder / "workflow-session.json")
    where = ["--session", str(folder), "--root", str(project.root), "--json"]
    with store.locked():
        procs = [
            subprocess.Popen(
                [sys.executable, "-m", "specrail", "spec-driven", *args, *where],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for args in commands
        ]
        wait_at_lock(procs, store.lock_path)
    answers = []
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert "Traceback" not in err, err
        answers.append({**json.loads(out), "exit": proc.returncode})
    return answers


def session(project: Project) -> dict[str, Any]:
    return dict(json.loads((project.session_dir / "workflow-session.json").read_text(encoding="utf-8")))


def test_two_refine_rounds_at_once_record_distinct_rounds(cloned: Project) -> None:
    cloned.advance("REFINING")
    round_ = ["refine-round", "--spec", "notes.md", "--found", "3", "--resolved", "0", "--open-critical", "0"]

    answers = at_once(cloned, round_, round_)

    assert [a["exit"] for a in answers] == [0, 0], answers
    assert sorted(a["round"] for a in answers) == [1, 2]
    rounds = session(cloned)["refinement"]["specs/notes.md"]["rounds"]
    assert [(r["round"], r["open_gaps"]) for r in rounds] == [(1, 3), (2, 6)]


def test_two_task_starts_at_once_one_is_refused(cloned: Project) -> None:
    cloned.advance("IMPLEMENTING")
    tasks = cloned.ok("tasks")["tasks"]
    free = [t["id"] for t in tasks if not t["depends_on"]]
    first, second = (free + free)[:2] if len(free) < 2 else free[:2]

    answers = at_once(cloned, ["task-start", first], ["task-start", second])

    assert sorted(a["exit"] for a in answers) == [0, 1], answers
    refused = next(a for a in answers if a["exit"] == 1)["error"]["message"]
    assert "in progress" in refused or "in_progress" in refused, refused
    started = [t["id"] for t in session(cloned)["tasks"] if t["status"] == "in_progress"]
    assert len(started) == 1


def test_two_start_updates_at_once_move_the_state_once(cloned: Project) -> None:
    cloned.advance("PENDING")
    cloned.scenario("proposal.md", f"{cloned.session_dir.relative_to(cloned.root)}/proposal.md")
    cloned.ok("proposal")
    cloned.ok("answer-question", "--number", "1", "--answer", "Yes, tags are stored lowercase")
    cloned.ok("proposal", "--confirm")

    answers = at_once(cloned, ["start-update"], ["start-update"])

    assert sorted(a["exit"] for a in answers) == [0, 1], answers
    assert [h["to"] for h in session(cloned)["history"]] == ["SPEC_UPDATE"]


def test_two_aborts_at_once_abort_once(cloned: Project) -> None:
    cloned.advance("REFINING")

    answers = at_once(cloned, ["abort", "--reason", "first"], ["abort", "--reason", "second"])

    assert sorted(a["exit"] for a in answers) == [0, 1], answers
    history = session(cloned)["history"]
    assert [h["to"] for h in history].count("ABORTED") == 1


def test_two_commits_at_once_commit_once(cloned: Project) -> None:
    cloned.advance("COMMITTING")
    before = git_count(cloned.root)

    answers = at_once(cloned, ["commit", "--confirm"], ["commit", "--confirm"])

    assert sorted(a["exit"] for a in answers) == [0, 1], answers
    made = git_count(cloned.root) - before
    assert made == len(session(cloned)["commits"]), made
    assert session(cloned)["state"] == "COMPLETE"


def git_count(root: Path) -> int:
    out = subprocess.run(["git", "rev-list", "--count", "HEAD"], cwd=root, capture_output=True, text=True)
    return int(out.stdout.strip())


def test_two_task_dones_at_once_record_the_task_once(cloned: Project) -> None:
    cloned.advance("IMPLEMENTING")
    cloned.trusted = True  # the user approved the sample's commands
    cloned.ok("tasks")
    cloned.ok("task-start", "T-001", "--files", "notes/core.py")
    cloned.scenario("notes/core.py")

    answers = at_once(cloned, ["task-done", "T-001"], ["task-done", "T-001"])

    assert sorted(a["exit"] for a in answers) == [0, 1], answers
    assert "T-001 is done" in next(a for a in answers if a["exit"] == 1)["error"]["message"]
    task = next(t for t in session(cloned)["tasks"] if t["id"] == "T-001")
    assert task["status"] == "done" and task["attempts"] == 1


def test_two_alignment_checks_at_once_move_the_state_once(cloned: Project) -> None:
    cloned.advance("ALIGNING")

    answers = at_once(cloned, ["align-check"], ["align-check"])

    assert sorted(a["exit"] for a in answers) == [0, 1], answers
    assert [h["to"] for h in session(cloned)["history"]].count("IMPLEMENTING") == 1


def test_two_validation_runs_at_once_move_the_state_once(cloned: Project) -> None:
    cloned.advance("VALIDATING")
    cloned.trusted = True
    cloned.ok("validate-plan")

    answers = at_once(cloned, ["run-validations"], ["run-validations"])

    assert sorted(a["exit"] for a in answers) == [0, 1], answers
    assert [h["to"] for h in session(cloned)["history"]].count("COMMITTING") == 1


def test_two_synthesis_answers_at_once_run_one_after_the_other(tmp_path: Path) -> None:
    from specrail.validation.check import check_file
    from tests.support.cli import run_cli
    from tests.synthesis.builders import EXAMPLE_ID, copy_example

    root = copy_example(tmp_path / "example")
    for step in ("discover", "analyzed"):
        assert run_cli("synthesis", step, "--session", EXAMPLE_ID, "--root", str(root), "--json").code == 0
    path = root / ".workflow" / "active" / EXAMPLE_ID / "workflow-session.json"
    argv = [sys.executable, "-m", "specrail", "synthesis", "answer", "--session", EXAMPLE_ID, "--yes"]
    store = SessionStore(path)
    with store.locked():
        procs = [
            subprocess.Popen([*argv, "--root", str(root), "--json"], stdout=subprocess.PIPE, text=True)
            for _ in range(2)
        ]
        wait_at_lock(procs, store.lock_path)
    outs = [proc.communicate(timeout=120)[0] for proc in procs]

    assert [proc.returncode for proc in procs] == [0, 0], outs
    data = json.loads(path.read_text(encoding="utf-8"))
    assert [h["to"] for h in data["history"]][-2:] == ["CLARIFIED", "CLARIFIED"]
    assert check_file(path).ok
