"""The first spec-driven run in a cloned repository asks the user, through the client's own
permission prompt, before the repository's commands run; once approved they run.

The command body pre-allows `specrail spec-driven ...` but not `specrail trust`. In `-p` mode the
client has no one to ask, so it denies the call, reports it in `permission_denials` and tells the
model in the next request. The second run stands for the user who accepted the prompt: the call
is allowed (`--allowedTools "Bash(specrail trust:*)"`), the approval is recorded, and `task-done`
runs the check.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from specrail import trust
from tests.e2e.stand_in import Turn, text, tool, tool_results
from tests.support.spec_driven import Project

if TYPE_CHECKING:
    from tests.support.claude import RunClaude

pytestmark = pytest.mark.e2e

# Nothing but the command body's own allowed-tools lets a specrail call through.
NO_BASH = ("Read", "Glob", "Grep")


@pytest.fixture
def cloned_implementing(tmp_path: Path, sd_states: dict[str, Path]) -> Project:
    """The sample project with a task started, at a path whose commands nobody approved."""
    root = tmp_path / "cloned"
    shutil.copytree(sd_states["_pristine"], root, symlinks=True)
    project = Project(root, sd_states)
    project.trusted = False
    project.advance("IMPLEMENTING")
    project.ok("tasks")
    project.ok("task-start", "T-001", "--files", "notes/core.py")
    project.scenario("notes/core.py")  # the task's change, so task-done has one to check
    return project


def bash(command: str) -> Turn:
    return tool("Bash", {"command": command, "description": command.split(" --")[0]})


def only_result(body: dict[str, Any]) -> dict[str, Any]:
    results = tool_results(body)
    assert len(results) == 1, results
    return results[0]


def test_first_run_asks_through_the_permission_prompt_then_runs(
    run_claude: RunClaude, cloned_implementing: Project
) -> None:
    project = cloned_implementing
    where = f"--session {project.session_dir} --root {project.root} --json"
    task_done = f"specrail spec-driven task-done T-001 {where}"
    seen: dict[str, str] = {}

    def asked_to_approve(body: dict[str, Any]) -> Turn:
        refused = only_result(body)["text"]
        assert "not approved yet" in refused and "check: python3 -m compileall" in refused, refused
        found = re.search(r"`(specrail trust [^`]+)`", refused)
        assert found, refused
        seen["approve"] = found.group(1)
        return bash(seen["approve"])

    def denied(body: dict[str, Any]) -> Turn:
        seen["denial"] = only_result(body)["text"]
        return text("The project's commands need your approval first.")

    first = run_claude(
        "/workflow:spec-driven --resume",
        [bash(task_done), asked_to_approve, denied],
        cwd=project.root,
        allowed_tools=NO_BASH,
        extra_env={"SPECRAIL_BOOTSTRAP": "off"},
        timeout=120,
    )

    assert first.returncode == 0, first.describe()
    denials = first.json.get("permission_denials") or []
    assert [d["tool_input"]["command"] for d in denials] == [seen["approve"]], denials
    assert "requires approval" in seen["denial"], seen["denial"]
    assert not trust.approval_file(project.root).exists()
    assert project.session()["tasks"][0]["status"] == "in_progress"  # nothing ran, nothing recorded

    def approved(body: dict[str, Any]) -> Turn:
        answer = only_result(body)["text"]
        assert "approved; recorded in" in answer and "check: python3 -m compileall" in answer, answer
        return bash(task_done)

    def checked(body: dict[str, Any]) -> Turn:
        answer = json.loads(only_result(body)["text"])
        seen["check"] = answer["check"]["status"]
        return text("T-001 done.")

    second = run_claude(
        "/workflow:spec-driven --resume",
        [bash(seen["approve"]), approved, checked],
        cwd=project.root,
        allowed_tools=(*NO_BASH, "Bash(specrail trust:*)"),
        extra_env={"SPECRAIL_BOOTSTRAP": "off"},
        timeout=120,
    )

    assert second.returncode == 0, second.describe()
    assert not (second.json.get("permission_denials") or [])
    assert seen["check"] == "PASS"
    assert trust.approval_file(project.root).exists()
    assert next(t for t in project.session()["tasks"] if t["id"] == "T-001")["status"] == "done"
