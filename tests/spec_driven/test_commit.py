"""Phase 7: Commit, Adjust, Don't commit yet; the session's record in the feature commit; and the
tasks re-opened by a rollback to phase 3."""

from __future__ import annotations

import json

from tests.support.spec_driven import Project, git


def tracked(project: Project) -> list[str]:
    label = project.session_dir.relative_to(project.root).as_posix()
    return git(project.root, "ls-files", label).splitlines()


def test_plan_shows_per_file_line_counts_and_the_record(project: Project) -> None:
    project.advance("COMMITTING")
    plan = project.ok("commit-plan", "--grouping", "by_file", "--issue", "12")
    assert [(c["files"], c["message"].splitlines()[0]) for c in plan["commits"]] == [
        (["specs/notes.md"], "docs(specs): update notes.md"),
        (["notes/core.py"], "feat(notes): update notes/core.py"),
        (["tests/test_core.py"], "feat(notes): update tests/test_core.py"),
    ]
    assert all(c["message"].rstrip().endswith("Closes #12") for c in plan["commits"])
    numstat = git(project.root, "diff", "--numstat", "HEAD", "--", "notes/core.py").split()
    assert plan["commits"][1]["lines"] == [
        {"file": "notes/core.py", "added": int(numstat[0]), "removed": int(numstat[1])}
    ]
    assert plan["commits"][1]["added"] == int(numstat[0]) > 0
    label = project.session_dir.relative_to(project.root).as_posix()
    assert [c["session_record"] for c in plan["commits"]] == [None, None, f"{label}/"]
    record = plan["session_record"]
    assert f"{label}/workflow-session.json" in record and f"{label}/proposal.md" in record
    assert not any(p.endswith(".lock") or "/backups/" in p for p in record)
    assert plan["choices"] == ["Commit", "Adjust", "Don't commit yet"]


def test_dont_commit_yet_waits_in_committing_and_commits_later(project: Project) -> None:
    project.advance("COMMITTING")
    project.ok("commit-plan")
    later = project.ok("commit", "--skip", "--note", "waiting for review")
    assert later["state"] == "COMMITTING" and later["committed"] is False
    assert git(project.root, "log", "--format=%s").splitlines() == ["baseline"]
    summary = (project.session_dir / "SUMMARY.md").read_text(encoding="utf-8")
    assert "- None yet: the user chose not to commit yet; the session waits in COMMITTING." in summary
    status = project.ok("status")
    assert status["state"] == "COMMITTING" and status["next"]["step"] == "commit-plan"
    assert "chose not to commit yet" in status["next"]["instruction"]
    assert project.session()["decisions"][-1]["choice"] == "Don't commit yet"
    # Later (another process, another day): the plan again, then the commit.
    project.ok("commit-plan", "--grouping", "single")
    assert project.ok("status")["next"]["step"] == "commit"
    done = project.ok("commit", "--confirm")
    assert done["state"] == "COMPLETE" and len(done["commits"]) == 1
    assert git(project.root, "rev-parse", "HEAD").strip() == done["commits"][0]["hash"]


def test_the_record_is_committed_with_the_feature_without_working_files(project: Project) -> None:
    project.advance("COMMITTING")
    done = project.ok("commit", "--confirm", "--grouping", "by_phase")
    label = project.session_dir.relative_to(project.root).as_posix()
    files = tracked(project)
    assert f"{label}/workflow-session.json" in files and f"{label}/SUMMARY.md" in files
    assert f"{label}/.gitignore" in files
    assert not any(f.endswith(".lock") or f.endswith(".tmp") or "/backups/" in f for f in files)
    assert not (project.session_dir / "backups").exists()  # backups live under .git, not here
    assert not (project.root / ".git/specrail/backups" / project.session_dir.name).exists()  # gone
    assert git(project.root, "status", "--porcelain", "--untracked-files=all") == ""
    # The record travels with the code commit (the last one), not with the spec commit.
    head_files = git(project.root, "show", "--name-only", "--format=", "HEAD").splitlines()
    assert "notes/core.py" in head_files and f"{label}/workflow-session.json" in head_files
    assert f"{label}/workflow-session.json" not in git(
        project.root, "show", "--name-only", "--format=", "HEAD~1"
    )
    committed = json.loads(git(project.root, "show", f"HEAD:{label}/workflow-session.json"))
    assert committed["state"] == "COMPLETE"
    assert committed["commits"][-1] == {
        "hash": None,
        "message": done["commits"][-1]["message"],
        "files": ["notes/core.py", "tests/test_core.py"],
        "carries_record": True,
    }
    found = git(project.root, "log", "-1", "--format=%H", "--", f"{label}/workflow-session.json").strip()
    assert found == done["commits"][-1]["hash"]


def test_adjust_changes_grouping_scope_and_message(project: Project) -> None:
    project.advance("COMMITTING")
    project.ok("commit-plan")  # the configured by_phase grouping
    refused = project.fails("commit-plan", "--message", "one message", code=2)
    assert "--grouping single" in refused.err
    adjusted = project.ok(
        "commit-plan", "--grouping", "single", "--message", "feat(tags): tag notes\n\nAsked for in review."
    )
    assert [c["message"] for c in adjusted["commits"]] == ["feat(tags): tag notes\n\nAsked for in review.\n"]
    done = project.ok("commit", "--confirm")  # commits the plan last shown
    assert len(done["commits"]) == 1
    body = git(project.root, "log", "-1", "--format=%B").strip()
    assert body == "feat(tags): tag notes\n\nAsked for in review."


def test_adjusted_scope_and_description_are_kept(project: Project) -> None:
    project.advance("COMMITTING")
    project.ok("commit-plan", "--grouping", "single", "--scope", "Tags", "--description", "tag every note")
    project.ok("commit", "--confirm")
    assert git(project.root, "log", "-1", "--format=%s").strip() == "feat(tags): tag every note"


def test_commit_refused_by_git_leaves_the_session_in_committing(project: Project) -> None:
    project.advance("COMMITTING")
    hook = project.root / ".git" / "hooks" / "pre-commit"
    hook.write_text("#!/bin/sh\necho refused by policy >&2\nexit 1\n", encoding="utf-8")
    hook.chmod(0o755)
    before = (project.session_dir / "workflow-session.json").read_bytes()
    refused = project.fails("commit", "--confirm", "--grouping", "single", code=2)
    assert "refused by policy" in refused.err
    assert (project.session_dir / "workflow-session.json").read_bytes() == before
    assert not (project.session_dir / "SUMMARY.md").exists()
    hook.unlink()
    assert project.ok("commit", "--confirm", "--grouping", "single")["state"] == "COMPLETE"


def test_rollback_to_phase_3_reopens_the_tasks_of_changed_sections(project: Project) -> None:
    project.advance("VALIDATING")
    project.edit("notes/core.py", "def with_tag(", "def with_tag(:\n")  # break the code
    blocked = project.run("run-validations")
    assert blocked.code == 1 and project.state == "BLOCKED"
    project.ok("resolve", "--choice", "Rollback to Phase 3")
    assert project.state == "REFINING"
    # The refiner rewrites section 3.4 only.
    project.edit("specs/notes.md", "ignoring case, in list order.", "ignoring case, newest first.")
    project.ok("refine-round", "--spec", "notes.md", "--found", "1", "--resolved", "1", "--open-critical=0")
    project.ok("align-check")
    assert project.state == "IMPLEMENTING"
    tasks = {t["section"]: t for t in project.session()["tasks"]}
    assert tasks["3.4"]["status"] == "pending"
    assert "re-opened: specs/notes.md §3.4 changed" in tasks["3.4"]["note"]
    assert {s: t["status"] for s, t in tasks.items() if s != "3.4"} == {
        "2.1": "done",
        "3.1": "done",
        "3.3": "done",
        "3": "done",  # the MEDIUM alignment finding in specs/storage.md §3
    }
    step = project.ok("status")["next"]
    assert step["step"] == "task-start" and tasks["3.4"]["id"] in step["command"]
