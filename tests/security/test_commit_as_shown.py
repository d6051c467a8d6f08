"""The final commit takes exactly the files of the commit plan the user saw."""

from __future__ import annotations

import subprocess

import pytest

from tests.support.spec_driven import Project


@pytest.fixture
def project(cloned: Project) -> Project:
    cloned.trusted = True  # the user approved the project's commands
    return cloned


def committed(project: Project) -> list[str]:
    out = subprocess.run(
        ["git", "log", "--name-only", "--format=", "-z", "HEAD"],
        cwd=project.root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return sorted({p.strip("\n") for p in out.split("\0") if p.strip("\n")})


def head(project: Project) -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=project.root, capture_output=True, text=True, check=True
    ).stdout


def test_backups_left_out_of_the_plan_stay_out_of_the_commit(project: Project) -> None:
    project.advance("COMMITTING")
    folder = project.session_dir
    (folder / ".gitignore").write_text("", encoding="utf-8")  # a clone's folder ignores nothing
    (folder / "backups" / "T-009").mkdir(parents=True)
    (folder / "backups" / "T-009" / "secret.txt").write_text("copied from outside\n", encoding="utf-8")

    plan = project.ok("commit-plan")
    shown = [f for c in plan["commits"] for f in c["files"]] + plan["session_record"]
    assert not any("backups" in f for f in shown)
    project.ok("commit", "--confirm")

    files = committed(project)
    assert not any("backups" in f for f in files), files
    assert f"{project.session_dir.relative_to(project.root).as_posix()}/workflow-session.json" in files


def test_a_file_added_to_the_session_after_the_plan_is_refused(project: Project) -> None:
    project.advance("COMMITTING")
    project.ok("commit-plan")
    (project.session_dir / "late.md").write_text("not in the plan\n", encoding="utf-8")
    before, state = head(project), project.state

    refused = project.fails("commit", "--confirm").json["error"]

    assert "refused: the commit plan the user saw" in refused["message"] and "late.md" in refused["message"]
    assert head(project) == before and project.state == state
    assert (project.session_dir / "late.md").read_text(encoding="utf-8") == "not in the plan\n"
