"""init, configuration and overrides, resume and abort; phase 1's proposal, questions, confirmation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.support.spec_driven import EXAMPLE, Project

PROPOSAL = (EXAMPLE / "scenario" / "proposal.md").read_text(encoding="utf-8")


def write_proposal(project: Project, text: str = PROPOSAL) -> None:
    project.write(f"{project.session_dir.relative_to(project.root)}/proposal.md", text)


def test_init_creates_the_session_with_the_effective_config(project: Project) -> None:
    answer = project.ok("init", "Add tags to notes!", "--max-rounds", "3", "--validation=full")
    today = datetime.now(UTC).date().isoformat()
    assert answer["session"] == f"specs/meta/sessions/add-tags-to-notes_{today}"
    session = project.session()
    assert session["state"] == "PENDING" and session["history"] == []
    assert session["feature"] == "add-tags-to-notes"
    assert session["overrides"] == {"skip_alignment": False, "validation": "full", "max_rounds": 3}
    config = session["config"]
    assert config["refinement"] == {"max_rounds": 3, "stall_threshold": 3, "auto_accept_partial": False}
    assert config["commands"] == {}  # commands are read from the project when they run
    assert config["commit"]["default_grouping"] == "by_phase"
    shown = {c["name"]: (c["run"], c["source"], c["required"]) for c in answer["commands"]["commands"]}
    assert shown["test"] == ("python3 -m unittest -q", "configured", True)
    assert shown["check"] == ("python3 -m compileall -q notes tests", "configured", False)
    assert shown["core_tests"][1] == "configured" and answer["warnings"] == []


def test_defaults_without_a_config_file(project: Project) -> None:
    (project.root / ".specrail.yaml").unlink()
    project.ok("init", "Tags", "--feature", "Tag Support")
    config = project.session()["config"]
    assert project.session()["feature"] == "tag-support"
    assert config["refinement"] == {"max_rounds": 5, "stall_threshold": 3, "auto_accept_partial": False}
    assert config["alignment"] == {
        "trigger_on_cross_refs": True,
        "trigger_on_new_spec": True,
        "mode": "alignment_check",
    }
    assert config["validation"]["required"] == ["test"] and config["commands"] == {}
    assert config["commit"] == {"default_grouping": "single", "require_user_confirm": True, "co_author": None}


def test_same_feature_same_day_is_resumed_not_overwritten(project: Project) -> None:
    project.ok("init", "Add tags to notes", "--feature", "note-tags")
    write_proposal(project)
    project.ok("proposal")
    again = project.ok("init", "Something else", "--feature", "note-tags")
    assert again["resumed"] is True and again["created"] is False
    session = project.session()
    assert session["request"] == "Add tags to notes" and session["proposal"] is not None
    assert session["overrides"]["skip_alignment"] is False
    resumed = project.ok("init", "--resume")
    assert resumed["state"] == "PENDING" and resumed["next"]["step"] == "answer-question"


def test_abort_records_the_reason_and_ends_the_session(project: Project) -> None:
    project.ok("init", "Add tags to notes", "--feature", "note-tags")
    answer = project.ok("init", "--abort", "--reason", "superseded")
    assert answer["state"] == "ABORTED"
    assert project.session()["history"][-1]["reason"] == "aborted: superseded"
    refused = project.fails("init", "Add tags to notes", "--feature", "note-tags")
    assert "is ABORTED; pass another --feature name" in refused.err
    assert project.fails("proposal", code=2).err.startswith("specrail: no active spec-driven session")


@pytest.mark.parametrize(
    ("yaml", "message"),
    [
        ("spec_driven_feature: [unclosed\n", ".specrail.yaml: invalid YAML at line 2 column 1"),
        (
            "spec_driven_feature:\n  colour: blue\n",
            ".specrail.yaml::/spec_driven_feature/colour: Extra inputs",
        ),
        (
            "spec_driven_feature:\n  refinement:\n    max_rounds: '5'\n",
            ".specrail.yaml::/spec_driven_feature/refinement/max_rounds: Input should be a valid integer",
        ),
        ("- a list\n", ".specrail.yaml::/: the configuration must be a mapping"),
    ],
)
def test_config_errors_are_one_line_and_write_nothing(project: Project, yaml: str, message: str) -> None:
    project.write(".specrail.yaml", yaml)
    answer = project.fails("init", "Add tags to notes")
    lines = answer.err.strip().splitlines()
    assert len(lines) == 1 and message in lines[0], answer.err
    assert answer.json["status"] == "error" and answer.json["exit_code"] == 1
    assert not (project.root / "specs" / "meta").exists()


def test_proposal_layout_problems_are_listed(project: Project) -> None:
    project.ok("init", "Add tags to notes", "--feature", "note-tags")
    write_proposal(
        project, PROPOSAL.replace("**Intent:**", "**Aim:**").replace("- specs/notes.md", "- specs/x.md")
    )
    answer = project.fails("proposal").json
    assert answer["status"] == "fail"
    messages = [e["message"] for e in answer["errors"]]
    assert "missing '**Intent:**' line" in messages
    assert any("affected spec specs/x.md does not exist" in m for m in messages)
    assert project.session()["proposal"] is None


def test_new_spec_marked_new_is_accepted(project: Project) -> None:
    project.ok("init", "Labels", "--feature", "labels")
    write_proposal(
        project,
        PROPOSAL.replace(
            "- specs/notes.md - Section 2.1, 3.3, 3.4", "- specs/notes.md - 2.1\n- `labels.md` (new) - all"
        ),
    )
    answer = project.ok("proposal")
    assert answer["proposal"]["affected_specs"] == ["specs/notes.md", "specs/labels.md"]
    assert answer["proposal"]["new_specs"] == ["specs/labels.md"]


def test_leaving_pending_needs_answers_and_confirmation(project: Project) -> None:
    project.ok("init", "Add tags to notes", "--feature", "note-tags")
    write_proposal(project)
    first = project.ok("proposal")
    assert first["open_questions"] == [
        {"number": 1, "question": "Should tag matching ignore case?", "answer": None}
    ]
    before = project.snapshot_files()
    refused = project.fails("start-update")
    assert "open question 1 is unanswered" in refused.err
    assert project.snapshot_files() == before
    project.ok("answer-question", "--number", "1", "--answer", "Yes")
    assert "not confirmed the proposal" in project.fails("start-update").err
    assert project.fails("answer-question", "--number", "2", "--answer", "x").code == 1
    project.ok("proposal", "--confirm")
    write_proposal(project, PROPOSAL + "\nA late remark.\n")
    assert "changed since it was recorded" in project.fails("start-update").err
    again = project.ok("proposal")
    assert again["open_questions"][0]["answer"] == "Yes"  # the answer follows the question
    assert again["confirmed"] is False  # a changed proposal needs a new confirmation
    project.ok("proposal", "--confirm")
    started = project.ok("start-update")
    assert started["state"] == "SPEC_UPDATE"
    snapshot = project.session()["snapshots"]["specs/notes.md"]
    assert snapshot["version"] == "1.0" and snapshot["existed"] is True
    copy = project.session_dir / snapshot["copy_path"]
    assert copy.read_bytes() == (EXAMPLE / "specs" / "notes.md").read_bytes()


def test_snapshot_is_never_replaced_and_can_add_a_spec(project: Project) -> None:
    project.advance("SPEC_UPDATE")
    project.scenario("specs/notes.md")
    kept = project.ok("snapshot")
    assert kept["kept"] == ["specs/notes.md"] and kept["taken"] == []
    added = project.ok("snapshot", "--spec", "storage.md")
    assert [s["path"] for s in added["taken"]] == ["specs/storage.md"]
    assert project.session()["proposal"]["affected_specs"] == ["specs/notes.md", "specs/storage.md"]
    outside = project.fails("snapshot", "--spec", "../elsewhere.md")
    assert "is not a relative path inside the project" in outside.err
