"""What specrail generates in a session folder is used only as specrail wrote it.

A model in a hurry rewrites a diff record so that fewer tasks come out of it, or a report so that
the commit says what it likes. specrail recorded each file's sha256 when it wrote it: `tasks`
refuses a changed diff record, `status` lists a changed report, and `commit` refuses while
`status` lists any problem.
"""

from __future__ import annotations

import json

from tests.support.spec_driven import Project, git


def test_tasks_refuses_a_rewritten_diff_record(project: Project) -> None:
    project.advance("IMPLEMENTING")
    twin = project.session_dir / "spec_diffs/notes.diff.json"
    record = json.loads(twin.read_text(encoding="utf-8"))
    planned = len(record["sections"])
    record["sections"] = record["sections"][:1]  # one task instead of several
    twin.write_text(json.dumps(record, indent=2), encoding="utf-8")

    refused = project.fails("tasks")  # attempt 1

    message = refused.json["error"]["message"]
    assert "spec_diffs/notes.diff.json: changed after specrail wrote it" in message
    assert "specrail spec-driven diff --spec" in message
    assert not [t for t in project.session()["tasks"] if t["status"] != "pending"]
    project.ok("diff", "--spec", "specs/notes.md")  # written again from the spec and its snapshot
    assert len(project.ok("tasks")["tasks"]) >= planned


def test_a_rewritten_report_is_listed_and_stops_the_commit(project: Project) -> None:
    project.advance("COMMITTING")
    report = project.session_dir / "validation_report.md"
    report.write_text(
        report.read_text(encoding="utf-8") + "\nAll reviewed by hand: PASS.\n", encoding="utf-8"
    )
    head = git(project.root, "rev-parse", "HEAD")

    problems = project.ok("status")["problems"]
    refused = project.fails("commit", "--confirm")  # attempt 1

    assert any("validation_report.md: changed after specrail wrote it" in p for p in problems)
    assert "lists 1 problem(s)" in refused.json["error"]["message"]
    assert "validation_report.md" in refused.json["error"]["message"]
    assert git(project.root, "rev-parse", "HEAD") == head and project.state == "COMMITTING"
    written = project.ok("reports")["written"]
    assert any(w.endswith("validation_report.md") for w in written)
    assert "by hand" not in report.read_text(encoding="utf-8")
    assert project.ok("commit", "--confirm")["state"] == "COMPLETE"


def test_commit_refuses_while_status_lists_a_missing_output(project: Project) -> None:
    project.advance("COMMITTING")
    (project.session_dir / "implementation_log.md").unlink()
    head = git(project.root, "rev-parse", "HEAD")

    refused = project.fails("commit", "--confirm")  # attempt 1

    assert "implementation_log.md" in refused.json["error"]["message"]
    assert git(project.root, "rev-parse", "HEAD") == head and project.state == "COMMITTING"


def test_the_happy_path_records_every_generated_file(project: Project) -> None:
    project.advance("COMPLETE")
    recorded = project.session()["generated"]
    for name in (
        "spec_diffs/notes.diff.md",
        "spec_diffs/notes.diff.json",
        "refinement_summary.md",
        "implementation_log.md",
        "validation_report.md",
        "SUMMARY.md",
    ):
        assert name in recorded, name
    assert project.ok("status")["problems"] == []
