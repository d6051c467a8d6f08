"""What a user reads without --json: every main step prints the session and state, its findings in
plain words (no Python lists or dicts) and the next step with its command."""

from __future__ import annotations

import re

from tests.support.spec_driven import Project

REPR = re.compile(r"\[['{]|\{'|'\]|\}\]")  # a Python list or dict printed as is


def text(project: Project, *args: str, code: int = 0) -> str:
    answer = project.run(*args, as_json=False)
    assert answer.code == code, answer.out + answer.err
    assert not answer.out.lstrip().startswith("{"), answer.out  # not JSON
    assert not REPR.search(answer.out), answer.out
    return answer.out


def session_line(project: Project, state: str) -> str:
    return f"session: {project.session_dir.relative_to(project.root).as_posix()} ({state})"


def test_init_status_and_proposal_say_where_the_session_is_and_what_comes_next(project: Project) -> None:
    assert "No active session" in text(project, "status")
    out = text(project, "init", "Add tags to notes", "--feature", "note-tags")
    folder = project.session_dir.relative_to(project.root).as_posix()
    assert out.splitlines()[0] == session_line(project, "PENDING")
    assert f"next: Write {folder}/proposal.md" in out
    assert f"  specrail spec-driven proposal --session {folder} --json" in out.splitlines()
    status = text(project, "status")
    assert f"{folder} (note-tags): PENDING, phase 1" in status
    assert f"  not yet  {folder}/proposal.md" in status.splitlines()


def test_the_task_order_is_a_plain_list(project: Project) -> None:
    project.advance("IMPLEMENTING")
    out = text(project, "tasks")
    assert out.splitlines()[0] == session_line(project, "IMPLEMENTING")
    assert "order: T-001, T-002, T-004, T-003, T-005" in out.splitlines()
    assert "next: Start T-001" in out


def test_the_refinement_verdict_is_printed(project: Project) -> None:
    project.advance("REFINING")
    out = text(
        project,
        "refine-round",
        "--spec",
        "notes.md",
        "--found",
        "2",
        "--resolved",
        "2",
        "--open-critical",
        "0",
    )
    assert out.splitlines()[:2] == [session_line(project, "ALIGNING"), "verdict: CONVERGED"]


def test_the_commit_plan_lists_each_commit_with_its_files(project: Project) -> None:
    project.advance("COMMITTING")
    out = text(project, "commit-plan")
    lines = out.splitlines()
    assert lines[0] == session_line(project, "COMMITTING")
    assert "commit 1: docs(specs): add tags to notes" in lines
    assert "  specs/notes.md +20 -8" in lines
    assert any(line.startswith("commit 2: feat(notes): ") for line in lines)
    assert "  notes/core.py +19 -6" in lines and "  tests/test_core.py +14 -5" in lines

    done = text(project, "commit", "--confirm")
    assert done.splitlines()[0] == session_line(project, "COMPLETE")
    made = [line for line in done.splitlines() if line.startswith("commit ")]
    assert len(made) == 2 and all(re.fullmatch(r"commit [0-9a-f]{12}: \S.*", line) for line in made), made
    assert "next: Nothing left" in done


def test_a_refused_step_says_why_in_words(project: Project) -> None:
    project.advance("IMPLEMENTING")
    answer = project.run("commit", "--confirm", as_json=False)
    assert answer.code == 1
    assert "IMPLEMENTING" in answer.out + answer.err
    assert not REPR.search(answer.out + answer.err)
