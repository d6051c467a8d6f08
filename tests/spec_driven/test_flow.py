"""The whole session from PENDING to COMPLETE, out-of-order steps, and a restart from disk."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys

import pytest

from specrail import states
from specrail.cli import main
from specrail.validation.check import check_file
from tests.support.spec_driven import Project, git


def test_happy_path_reaches_complete_with_commits(project: Project) -> None:
    answer = project.ok("init", "Add tags to notes", "--feature", "note-tags")
    assert answer["created"] and answer["state"] == "PENDING"
    assert answer["next"]["step"] == "write-proposal"
    project.advance("COMMITTING")
    plan = project.ok("commit-plan")
    assert plan["grouping"] == "by_phase"
    assert [c["files"] for c in plan["commits"]] == [
        ["specs/notes.md"],
        ["notes/core.py", "tests/test_core.py"],
    ]
    assert plan["commits"][0]["message"].startswith("docs(specs): ")
    assert "- Updated specs/notes.md to v1.1" in plan["commits"][0]["message"]
    assert "- Validated with test, core_tests" in plan["commits"][1]["message"]
    done = project.ok("commit", "--confirm", "--description", "tag notes and filter by tag")
    assert done["state"] == "COMPLETE" and done["next"]["step"] == "done"
    log = git(project.root, "log", "--format=%s").splitlines()
    assert log == [
        "feat(notes): tag notes and filter by tag",
        "docs(specs): tag notes and filter by tag",
        "baseline",
    ]
    session = project.session()
    # The record rides in the last commit, which it cannot name: git finds it.
    assert [c["hash"] for c in session["commits"]] == [git(project.root, "rev-parse", "HEAD~1").strip(), None]
    assert [c["hash"] for c in done["commits"]] == [
        git(project.root, "rev-parse", "HEAD~1").strip(),
        git(project.root, "rev-parse", "HEAD").strip(),
    ]
    assert git(project.root, "status", "--porcelain", "--untracked-files=all") == ""
    assert session["outcome"] == {
        "proposal_clarity": 0.5,
        "refinement_rounds": 1,
        "alignment_triggered": True,
        "implementation_success_rate": 1.0,
        "validation_pass_rate": 1.0,
        "total_duration_mins": 0,
        "deferred_items": 0,
        "unproven_accepted": [],
    }
    walked = [step["to"] for step in session["history"]]
    assert walked == [
        "SPEC_UPDATE",
        "REFINING",
        "ALIGNING",
        "IMPLEMENTING",
        "VALIDATING",
        "COMMITTING",
        "COMPLETE",
    ]
    summary = (project.session_dir / "SUMMARY.md").read_text(encoding="utf-8")
    assert "- specs/notes.md: v1.0 → v1.1" in summary
    assert "- 2 files changed" in summary
    status = project.ok("status")
    assert status["problems"] == []
    assert all(o["valid"] for o in status["outputs"] if o["present"])
    assert {o["kind"] for o in status["outputs"] if o["present"]} >= {
        "proposal",
        "summary",
        "alignment-report",
    }


def test_every_generated_artifact_validates(project: Project) -> None:
    project.advance("COMMITTING")
    project.ok("commit", "--confirm")
    files = [p for p in project.session_dir.rglob("*") if p.is_file() and p.suffix in (".md", ".json")]
    kinds = set()
    for path in files:
        if "snapshots" in path.parts or "backups" in path.parts:
            continue
        result = check_file(path, root=project.root)
        assert result.ok, [i.line() for i in result.issues]
        kinds.add(result.kind)
    assert kinds == {
        "workflow-session",
        "proposal",
        "diff-record",
        "diff-record-json",
        "refinement-summary",
        "alignment-report",
        "implementation-log",
        "validation-report",
        "summary",
    }


@pytest.mark.parametrize(
    ("state", "step"),
    [
        ("PENDING", ("diff",)),
        ("PENDING", ("tasks",)),
        (
            "SPEC_UPDATE",
            ("refine-round", "--spec", "notes.md", "--found", "0", "--resolved", "0", "--open-critical", "0"),
        ),
        ("REFINING", ("align-check",)),
        ("REFINING", ("start-update",)),
        ("ALIGNING", ("task-start", "T-001")),
        ("IMPLEMENTING", ("run-validations",)),
        ("VALIDATING", ("commit", "--confirm")),
    ],
)
def test_out_of_order_step_is_refused_and_writes_nothing(
    project: Project, state: str, step: tuple[str, ...]
) -> None:
    project.advance(state)
    before = project.snapshot_files()
    answer = project.fails(*step)
    assert answer.json["status"] == "error"
    assert f"the session is in {state}" in answer.json["error"]["message"]
    assert answer.json["error"]["pointer"] == "/state"
    assert project.snapshot_files() == before


def test_state_machine_refuses_a_skipped_phase_in_the_store(project: Project) -> None:
    project.advance("PENDING")
    refusal = states.refusal("spec-driven", "PENDING", "IMPLEMENTING")
    assert refusal is not None and "Allowed next: SPEC_UPDATE, ABORTED" in refusal


def test_restarted_process_continues_from_disk(project: Project) -> None:
    project.advance("IMPLEMENTING")
    project.ok("tasks")
    project.ok("task-start", "T-001", "--files", "notes/core.py")
    fresh = subprocess.run(
        [sys.executable, "-m", "specrail", "spec-driven", "status", "--root", str(project.root), "--json"],
        capture_output=True,
        text=True,
        check=True,
    )
    answer = json.loads(fresh.stdout)
    assert answer["state"] == "IMPLEMENTING"
    assert answer["next"]["step"] == "task-done"
    assert "T-001" in answer["next"]["command"]
    assert answer["progress"]["tasks"]["in_progress"] == 1


def test_status_without_a_session_says_how_to_start(project: Project) -> None:
    answer = project.ok("status")
    assert answer["session"] is None
    assert answer["next"]["command"].startswith('specrail spec-driven init "REQUEST"')


def test_status_names_each_next_step(project: Project) -> None:
    project.ok("init", "Add tags to notes", "--feature", "note-tags")
    seen = []
    for state in (
        "PENDING",
        "SPEC_UPDATE",
        "REFINING",
        "ALIGNING",
        "IMPLEMENTING",
        "VALIDATING",
        "COMMITTING",
    ):
        project.advance(state)
        step = project.ok("status")["next"]
        seen.append(step["step"])
        assert step["command"] is None or "--session" in step["command"]
    assert seen == [
        "write-proposal",
        "diff",
        "refine-round",
        "align-check",
        "tasks",
        "run-validations",
        "commit-plan",
    ]


def test_status_text_for_people(project: Project) -> None:
    project.advance("REFINING")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["spec-driven", "status", "--root", str(project.root)]) == 0
    lines = out.getvalue().splitlines()
    label = project.session_dir.relative_to(project.root).as_posix()
    assert lines[0] == f"session: {label} (note-tags): REFINING, phase 3"
    assert f"  ok       {label}/proposal.md" in lines
    assert f"  not yet  {label}/refinement_summary.md" in lines
    assert lines[-2] == (
        "next: Refinement round 1 of specs/notes.md: review it (spec-refiner agent), "
        "fix the gaps in the spec, then record the round: one --open per line of the refiner's "
        "`open:` list, as written ('G1:CRITICAL - what it is'; --open none when none is left), "
        "one --decision 'what - Rationale: why' and one "
        "--deferred 'what - Reason: why' per item it reported."
    )


def test_commit_needs_confirmation_unless_configured_otherwise(project: Project) -> None:
    project.advance("COMMITTING")
    before = project.snapshot_files()
    refused = project.fails("commit")
    assert "committing needs the user's confirmation" in refused.err
    assert refused.json["error"]["pointer"] == "/config/commit/require_user_confirm"
    assert project.snapshot_files() == before
    assert git(project.root, "log", "--format=%s").splitlines() == ["baseline"]


def test_commit_without_confirmation_when_not_required(project: Project) -> None:
    project.edit(".specrail.yaml", "require_user_confirm: true", "require_user_confirm: false")
    project.advance("COMMITTING")
    answer = project.ok("commit", "--grouping", "single")
    assert answer["state"] == "COMPLETE" and len(answer["commits"]) == 1
