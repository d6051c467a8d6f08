"""Only the user decides: in the real client, a decision step the user did not approve does not run.

The command body pre-allows the `specrail spec-driven` steps that decide nothing; `resolve` is not
among them. In `-p` mode the client has no one to ask, so it refuses the call, and the pending
decision stays as it was. Neither an env-prefixed call (which could clear `CLAUDECODE`) nor a
compound command hiding the decision behind a pre-allowed step gets through. The second run
stands for the user who approved the call in the client's prompt: then the choice is recorded.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from specrail.cli import main
from tests.e2e.stand_in import StandIn, Turn, text, tool, tool_results
from tests.support.claude import client_env
from tests.support.cli import REPO as REPO_ROOT
from tests.support.spec_driven import Project
from tests.synthesis.builders import EXAMPLE_ID, copy_example

if TYPE_CHECKING:
    from tests.support.claude import RunClaude

pytestmark = pytest.mark.e2e

# Nothing but the command body's own allowed-tools lets a specrail call through.
NO_BASH = ("Read", "Glob", "Grep")


@pytest.fixture
def stalled(tmp_path: Path, sd_states: dict[str, Path]) -> Project:
    """The sample project with refinement stalled: a decision waits for the user."""
    root = tmp_path / "stalled"
    shutil.copytree(sd_states["_pristine"], root, symlinks=True)
    project = Project(root, sd_states)
    project.advance("REFINING")
    for found, resolved in ((4, 1), (1, 1), (0, 0), (2, 2)):
        args = ("--spec", "notes.md", "--found", str(found), "--resolved", str(resolved))
        project.ok("refine-round", *args, "--open-critical", "0")
    assert project.state == "STALLED"
    return project


def bash(command: str) -> Turn:
    return tool("Bash", {"command": command, "description": "workflow step"})


def test_a_choice_the_user_did_not_make_leaves_the_decision_pending(
    run_claude: RunClaude, stalled: Project
) -> None:
    project = stalled
    where = f"--session {project.session_dir} --root {project.root} --json"
    record = project.session_dir / "workflow-session.json"
    before = record.read_bytes()
    pending = project.session()["pending_decision"]
    resolve = f'specrail spec-driven resolve --choice "Accept partial" {where}'
    attempts = [
        resolve,
        f"CLAUDECODE= {resolve}",
        f"env -u CLAUDECODE {resolve}",
        f"specrail spec-driven status {where} && {resolve}",
        f"python3 -m specrail spec-driven resolve --choice 'Accept partial' {where}",
    ]
    seen: dict[str, Any] = {"results": []}

    def status_then(command: str) -> Any:
        def step(body: dict[str, Any]) -> Turn:
            seen["results"].append(tool_results(body)[0])
            return bash(command)

        return step

    script: list[Any] = [bash(f"specrail spec-driven status {where}")]
    script += [status_then(c) for c in attempts]
    script.append(status_then("true"))  # collects the last result; the call itself is denied too
    script.append(text("The decision waits for you."))
    run = run_claude(
        "/workflow:spec-driven --resume",
        script,
        cwd=project.root,
        allowed_tools=NO_BASH,
        extra_env={"SPECRAIL_BOOTSTRAP": "off"},
        timeout=120,
    )

    assert run.returncode == 0, run.describe()
    status, *refused = seen["results"]
    assert not status["is_error"] and json.loads(status["text"])["pending_decision"] == pending
    denied = [d["tool_input"]["command"] for d in run.json.get("permission_denials") or []]
    assert denied[: len(attempts)] == attempts, denied
    assert all("requires approval" in r["text"] or "approval" in r["text"] for r in refused[: len(attempts)])
    assert record.read_bytes() == before  # nothing recorded: the decision is still the user's
    assert project.state == "STALLED" and project.session()["pending_decision"] == pending

    approved = run_claude(
        "/workflow:spec-driven --resume",
        [bash(resolve), text("Recorded your choice.")],
        cwd=project.root,
        allowed_tools=(*NO_BASH, "Bash(specrail spec-driven resolve:*)"),
        extra_env={"SPECRAIL_BOOTSTRAP": "off"},
        timeout=120,
    )

    assert approved.returncode == 0, approved.describe()
    assert not (approved.json.get("permission_denials") or [])
    assert project.state == "ALIGNING" and project.session()["pending_decision"] is None


@pytest.fixture
def asked(tmp_path: Path) -> Path:
    """The synthesis example analysed in a session started without -y: its questions wait."""
    root = copy_example(tmp_path / "synthesis")
    for step in ("discover", "analyzed"):
        assert main(["synthesis", step, "--session", EXAMPLE_ID, "--root", str(root), "--json"]) == 0
    return root


def test_the_model_cannot_answer_the_questions_for_the_user(run_claude: RunClaude, asked: Path) -> None:
    record = asked / ".workflow/active" / EXAMPLE_ID / "workflow-session.json"
    before = record.read_bytes()
    answers = asked / "answers.json"
    answers.write_text(json.dumps({"answers": {}}), encoding="utf-8")
    where = f"--session {EXAMPLE_ID} --root {asked} --json"
    defaults = f"specrail synthesis answer --yes {where}"  # pre-allowed: auto mode's own step
    own = f"specrail synthesis answer --answers {answers} {where}"  # not pre-allowed
    seen: list[dict[str, Any]] = []

    def keep(command: str) -> Any:
        def step(body: dict[str, Any]) -> Turn:
            seen.extend(tool_results(body))
            return bash(command)

        return step

    run = run_claude(
        f"/workflow:synthesis --session {EXAMPLE_ID}",
        [bash(defaults), keep(own), keep("true"), text("The questions wait for you.")],
        cwd=asked,
        allowed_tools=NO_BASH,
        extra_env={"SPECRAIL_BOOTSTRAP": "off"},
        timeout=120,
    )

    assert run.returncode == 0, run.describe()
    refused_by_specrail, refused_by_client = seen[0], seen[1]
    assert refused_by_specrail["is_error"] and refused_by_specrail["text"].startswith("Exit code 1")
    error = json.loads(refused_by_specrail["text"].splitlines()[-1])["error"]
    assert "is the user's decision, not the model's" in error["message"] and error["pointer"] == "/auto_mode"
    assert "requires approval" in refused_by_client["text"], refused_by_client
    denied = [d["tool_input"]["command"] for d in run.json.get("permission_denials") or []]
    assert own in denied and defaults not in denied, denied
    assert record.read_bytes() == before


def host(proc: subprocess.Popen[str], question: str, asked_user: list[dict[str, Any]]) -> None:
    """The SDK host side of one turn: start it, let every tool run, answer `question` with
    "Continue" (the user's choice) when the client asks the user, stop at the result."""
    assert proc.stdin is not None and proc.stdout is not None

    def send(message: dict[str, Any]) -> None:
        assert proc.stdin is not None
        proc.stdin.write(json.dumps(message) + "\n")
        proc.stdin.flush()

    send({"type": "control_request", "request_id": "init", "request": {"subtype": "initialize"}})
    send({"type": "user", "message": {"role": "user", "content": "Go on."}, "parent_tool_use_id": None})
    for line in proc.stdout:
        message = json.loads(line)
        if message.get("type") == "control_request":
            request = message["request"]
            given = dict(request["input"])
            if request.get("tool_name") == "AskUserQuestion":
                asked_user.append(given)
                given["answers"] = {question: "Continue"}
            reply = {"behavior": "allow", "updatedInput": given}
            send(
                {
                    "type": "control_response",
                    "response": {
                        "subtype": "success",
                        "request_id": message["request_id"],
                        "response": reply,
                    },
                }
            )
        elif message.get("type") == "result":
            break
    proc.stdin.close()


def test_the_users_answer_is_captured_and_binds_resolve(
    claude_bin: Path, stand_in: StandIn, stalled: Project, tmp_path: Path
) -> None:
    """Where someone answers AskUserQuestion (here an SDK host speaking the client's stream-json
    control protocol; in `-p` mode the tool is off), the hook records the chosen option, and the
    model's resolve with another option is refused even though the user allowed resolve to run."""
    project = stalled
    pending = project.session()["pending_decision"]
    where = f"--session {project.session_dir} --root {project.root} --json"
    question = {
        "question": pending["reason"],
        "header": "Stalled",
        "multiSelect": False,
        "options": [{"label": o, "description": o} for o in pending["options"]],
    }
    seen: list[dict[str, Any]] = []

    def keep(then: Turn) -> Any:
        def step(body: dict[str, Any]) -> Turn:
            seen.extend(tool_results(body))
            return then

        return step

    stand_in.load(
        [
            tool("AskUserQuestion", {"questions": [question]}),
            keep(bash(f'specrail spec-driven resolve --choice "Accept partial" {where}')),
            keep(bash(f'specrail spec-driven resolve --choice "Continue" {where}')),
            keep(text("Done as you chose.")),
        ]
    )
    args = [str(claude_bin), "-p", "--input-format", "stream-json", "--output-format", "stream-json"]
    args += ["--verbose", "--permission-prompt-tool", "stdio", "--plugin-dir", str(REPO_ROOT)]
    args += ["--allowedTools", "Bash(specrail spec-driven resolve:*)", "--permission-mode", "acceptEdits"]
    home = tmp_path / "home"
    home.mkdir()
    env = client_env(stand_in.base_url, home, {"SPECRAIL_BOOTSTRAP": "off"})
    asked_user: list[dict[str, Any]] = []
    with subprocess.Popen(
        args, cwd=project.root, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    ) as proc:
        watchdog = threading.Timer(120, proc.kill)  # a client that hangs fails the test, not the run
        watchdog.start()
        try:
            host(proc, pending["reason"], asked_user)
        finally:
            watchdog.cancel()

    assert len(asked_user) == 1  # the user was asked, through the client
    answered, other_choice, same_choice = seen
    assert '="Continue"' in answered["text"], answered  # the client's own report of the answer
    assert other_choice["is_error"], other_choice
    error = json.loads(other_choice["text"].splitlines()[-1])["error"]
    assert "the user chose 'Continue' when asked" in error["message"]
    assert not same_choice["is_error"], same_choice
    session = project.session()
    assert session["state"] == "REFINING" and session["decisions"][-1]["choice"] == "Continue"
