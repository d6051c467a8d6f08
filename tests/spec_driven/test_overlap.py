"""The overlap gate on real git branches: init warns, `overlap` fails, `commit` refuses a moved base."""

from __future__ import annotations

from pathlib import Path

from specrail.spec_driven import overlap
from tests.spec_driven.evidence_projects import implement, python_project, start
from tests.support.cli import run_cli
from tests.support.spec_driven import Project, git

LINKED = "**Tests:** `tests/test_notes.py::test_filter_by_tag`"


def finish(project: Project, label: str) -> None:
    implement(project, label)
    project.ok("run-validations", "--session", label)
    project.ok("commit", "--confirm", "--session", label)


def test_two_branches_changing_the_same_section(tmp_path: Path) -> None:
    project = python_project(tmp_path / "py")
    root = project.root
    git(root, "checkout", "-q", "-b", "tags-a")
    first = start(project, feature="tags-a", tests_line=LINKED)
    assert project.session()["diffs"]["specs/notes.md"]["bases"] == {"1.1": None}
    finish(project, first)
    git(root, "checkout", "-q", "main")
    git(root, "checkout", "-q", "-b", "tags-b")
    assert not (root / first / "workflow-session.json").exists()

    # The second init warns: the first session, committed on another branch, changes the spec.
    started = project.ok("init", "Filter notes by tag", "--feature", "tags-b", "--skip-alignment")
    assert any(
        w.startswith(f"session {first.rsplit('/', 1)[-1]} (tags-a, COMPLETE) also changes specs/notes.md#1.1")
        for w in started["warnings"]
    ), started["warnings"]
    project.ok("abort", "--reason", "restarted", "--session", started["session"])
    second = start(project, feature="tags-b2", tests_line=LINKED)
    # start-update's warning (the affected specs) and the diff's (the same sections).
    assert overlap.warnings(root, second, ["specs/notes.md"])[0].startswith(
        f"session {first.rsplit('/', 1)[-1]} (tags-a, COMPLETE) also changes specs/notes.md#1.1"
    )
    rediffed = project.ok("diff", "--session", second)
    assert any("also changes specs/notes.md#1.1" in w for w in rediffed["warnings"]), rediffed

    # `overlap` on either branch fails, naming the section and both sessions.
    on_b = run_cli("overlap", "--base", "main", "--json", cwd=root)
    assert on_b.code == 1, on_b.out + on_b.err
    [conflict] = on_b.json["conflicts"]
    assert conflict == {
        "kind": "session",
        "section": "specs/notes.md#1.1",
        "sessions": [second, first],
        "refs": ["tags-a"],
    }
    finish(project, second)
    git(root, "checkout", "-q", "tags-a")
    on_a = run_cli("overlap", "--base", "main", cwd=root)
    assert on_a.code == 1
    assert f"specs/notes.md#1.1: changed by {first} and by {second} (tags-b)" in on_a.out
    # Once the second branch is merged into the base, the first conflicts with the base instead.
    git(root, "checkout", "-q", "main")
    git(root, "merge", "-q", "--ff-only", "tags-b")
    git(root, "checkout", "-q", "tags-a")
    again = run_cli("overlap", "--base", "main", "--json", cwd=root).json
    assert [(c["kind"], c["section"], c["sessions"]) for c in again["conflicts"]] == [
        ("base", "specs/notes.md#1.1", [first])
    ]


def test_no_overlap_exits_zero(tmp_path: Path) -> None:
    project = python_project(tmp_path / "py")
    git(project.root, "checkout", "-q", "-b", "tags")
    finish(project, start(project, tests_line=LINKED))
    answer = run_cli("overlap", "--base", "main", cwd=project.root)
    assert answer.code == 0, answer.out + answer.err
    assert "no overlap with main: 1 session(s) on this branch, 0 unmerged elsewhere" in answer.out
    unknown = run_cli("overlap", "--base", "origin/nope", cwd=project.root)
    assert unknown.code == 2 and "--base origin/nope: no such branch or commit" in unknown.err


def test_commit_refuses_when_the_branch_moved_a_changed_section(tmp_path: Path) -> None:
    project = python_project(tmp_path / "py")
    root = project.root
    label = start(project, tests_line=LINKED, overview="A notebook keeps tagged notes")
    assert set(project.session()["diffs"]["specs/notes.md"]["bases"]) == {"1", "1.1"}
    implement(project, label)
    project.fails("run-validations", "--session", label)  # the overview's wording has no test
    project.ok("resolve", "--choice", "Accept unproven", "--note", "wording only", "--session", label)
    # Someone else's change to section 1 lands on the branch (the work tree keeps the session's).
    committed = git(root, "show", "HEAD:specs/notes.md").replace("keeps notes", "stores notes")
    blob = (
        __import__("subprocess")
        .run(
            ["git", "hash-object", "-w", "--stdin"], cwd=root, input=committed, text=True, capture_output=True
        )
        .stdout.strip()
    )
    git(root, "update-index", "--cacheinfo", f"100644,{blob},specs/notes.md")
    git(root, "commit", "-q", "-m", "Reword the overview")
    moved = git(root, "rev-parse", "--short=8", "HEAD").strip()
    before = project.snapshot_files()
    refused = project.fails("commit", "--confirm", "--session", label)
    message = refused.json["error"]["message"]
    assert f"specs/notes.md#1 (changed in {moved} 'Reword the overview')" in message
    assert "specrail spec-driven rebase --spec specs/notes.md" in message
    assert project.snapshot_files() == before and project.state == "COMMITTING"
    # Re-running the diff against the branch's text takes the moved section as the new base.
    rebased = project.ok("rebase", "--spec", "specs/notes.md", "--session", label)
    assert rebased["bases"]["1"] is not None
    project.ok("commit", "--confirm", "--session", label)
    assert project.state == "COMPLETE"


def test_a_spec_edited_before_the_snapshot_is_no_moved_base(tmp_path: Path) -> None:
    project = python_project(tmp_path / "py")
    project.edit("specs/notes.md", "keeps notes", "keeps notes, and more")  # not committed
    label = start(project, tests_line=LINKED, overview="A notebook keeps tagged notes")
    implement(project, label)
    project.fails("run-validations", "--session", label)
    project.ok("resolve", "--choice", "Accept unproven", "--note", "wording only", "--session", label)
    project.ok("commit", "--confirm", "--session", label)
    assert project.state == "COMPLETE"
