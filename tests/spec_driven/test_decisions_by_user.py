"""Only the user decides: the steps the model may not take for the user inside the client, and
the settings a resumed session keeps."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from specrail.cli.spec_driven import spec_driven
from specrail.cli.synthesis import synthesis
from tests.support.spec_driven import Project

REPO = Path(__file__).resolve().parents[2]

# The steps that record a user's decision; every other step decides nothing.
DECISIONS = {
    "spec-driven": {"resolve", "answer-question", "confirm-proposal", "commit", "abort", "settings", "adopt"},
    "synthesis": {"answer", "adopt"},
}


def allowed_rules(command: str) -> list[str]:
    """The Bash rules of a command's `allowed-tools` front matter."""
    text = (REPO / "commands" / f"{command}.md").read_text(encoding="utf-8")
    front = text.split("---", 2)[1]
    line = next(line for line in front.splitlines() if line.startswith("allowed-tools:"))
    return re.findall(r"Bash\(([^)]*)\)", line)


def pre_allowed(rules: list[str], command: str) -> bool:
    """The client's prefix rule (`Bash(prefix:*)`): the prefix, then the end or a space."""
    for rule in rules:
        prefix = rule.removesuffix(":*")
        if command == prefix or (rule.endswith(":*") and command.startswith(prefix + " ")):
            return True
    return False


@pytest.mark.parametrize(("workflow", "group"), [("spec-driven", spec_driven), ("synthesis", synthesis)])
def test_only_steps_that_decide_nothing_are_pre_allowed(workflow: str, group: object) -> None:
    rules = allowed_rules(workflow)
    assert f"specrail {workflow}:*" not in rules  # no wildcard over the whole workflow
    steps = set(group.commands)  # type: ignore[attr-defined]
    assert DECISIONS[workflow] <= steps
    for step in sorted(steps):
        command = f"specrail {workflow} {step} --session S --json"
        assert pre_allowed(rules, command) is (step not in DECISIONS[workflow]), step
    if workflow == "synthesis":  # auto mode's answer, refused by the step itself unless started with -y
        assert pre_allowed(rules, "specrail synthesis answer --yes --session S --json")
        assert not pre_allowed(rules, "specrail synthesis answer --session S --yes --json")


def test_the_model_cannot_confirm_the_proposal_or_abort(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    project.advance("PENDING")
    project.scenario("proposal.md", f"{project.session_dir.relative_to(project.root)}/proposal.md")
    project.ok("proposal")
    before = project.snapshot_files()
    monkeypatch.setenv("CLAUDECODE", "1")
    refused = project.fails("proposal", "--confirm")
    assert "confirming the proposal is the user's decision" in refused.json["error"]["message"]
    assert "confirm-proposal" in refused.json["error"]["message"]
    aborted = project.fails("init", "--abort", "--reason", "done")
    assert "aborting the session is the user's decision" in aborted.json["error"]["message"]
    assert project.snapshot_files() == before
    # the decision step itself runs once the client has asked the user
    assert project.ok("confirm-proposal")["confirmed"] is True
    assert project.session()["proposal"]["confirmed"] is True


def test_a_person_in_a_terminal_confirms_as_before(project: Project) -> None:
    project.advance("PENDING")
    project.scenario("proposal.md", f"{project.session_dir.relative_to(project.root)}/proposal.md")
    assert project.ok("proposal", "--confirm")["confirmed"] is True


def test_a_resumed_session_keeps_its_settings(project: Project) -> None:
    project.ok(
        "init", "Add tags to notes", "--feature", "note-tags", "--validation=full", "--max-rounds", "4"
    )
    before = project.snapshot_files()
    for options in (["--validation=minimal"], ["--skip-alignment"], ["--max-rounds", "9"]):
        refused = project.fails("init", "Add tags to notes", "--feature", "note-tags", *options)
        error = refused.json["error"]
        assert "keeps the settings it started with" in error["message"], error
        assert "specrail spec-driven settings" in error["message"]
        assert error["pointer"].startswith("/overrides/")
    assert project.snapshot_files() == before
    # the same settings again are not a change
    again = project.ok("init", "Add tags to notes", "--feature", "note-tags", "--validation=full")
    assert again["resumed"] is True
    assert project.session()["overrides"] == {"skip_alignment": False, "validation": "full", "max_rounds": 4}


def test_the_user_changes_the_settings_with_their_own_step(project: Project) -> None:
    project.ok("init", "Add tags to notes", "--feature", "note-tags")
    answer = project.ok("settings", "--validation", "minimal", "--skip-alignment")
    assert answer["changed"] == {
        "validation": {"from": "standard", "to": "minimal"},
        "skip_alignment": {"from": False, "to": True},
    }
    session = project.session()
    assert session["overrides"]["validation"] == "minimal" and session["overrides"]["skip_alignment"]
    assert session["decisions"][-1]["kind"] == "settings"
    assert "validation: standard -> minimal" in session["decisions"][-1]["choice"]
    assert project.fails("settings", "--validation", "minimal", code=2)  # nothing to change
