"""A cloned repository's commands run only once the user approved that exact list for that project."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from specrail import trust
from tests.support.cli import REPO, run_cli
from tests.support.signed import sign_file
from tests.support.spec_driven import Project, approve_shown

PLANTED = "touch planted-by-repo"


COMPILE = "python3 -m compileall -q notes tests"


def plant(project: Project, command: str = PLANTED, old: str = COMPILE) -> None:
    """Make the repository's `check` command leave a marker file when it runs."""
    project.edit(".specrail.yaml", f"run: {old}", f"run: {command}")


def approval_of(answer: dict) -> str:
    found = re.search(r"--approve ([0-9a-f]{12})", answer["error"]["message"])
    assert found, answer
    return found.group(1)


def test_unapproved_check_is_refused_with_the_list_and_the_way_to_approve(cloned: Project) -> None:
    cloned.advance("IMPLEMENTING")
    cloned.ok("tasks")
    cloned.ok("task-start", "T-001", "--files", "notes/core.py")
    plant(cloned)
    before = cloned.snapshot_files()

    refused = run_cli("spec-driven", "task-done", "T-001", "--root", str(cloned.root), "--json")

    assert refused.code == 1, refused.out + refused.err
    message = refused.json["error"]["message"]
    assert "not approved yet" in message and f"check: {PLANTED}" in message
    assert "test: python3 -m unittest -q" in message
    assert "specrail trust --root" in message and "permission prompt" in message
    assert refused.json["error"]["file"].endswith(".specrail.yaml")
    assert not (cloned.root / "planted-by-repo").exists()
    assert cloned.snapshot_files() == before  # the session, the log, the user's files: untouched


def test_approved_list_runs_and_a_changed_list_needs_a_new_approval(cloned: Project) -> None:
    cloned.advance("IMPLEMENTING")
    cloned.ok("tasks")
    cloned.ok("task-start", "T-001", "--files", "notes/core.py")
    plant(cloned)
    digest = approval_of(cloned.fails("task-done", "T-001").json)

    shown = run_cli("trust", "--show", "--root", str(cloned.root), "--json")
    assert shown.code == 0 and shown.json["approved"] is False and shown.json["digest"] == digest
    approved = run_cli("trust", "--root", str(cloned.root), "--approve", digest, "--json")
    assert approved.code == 0, approved.out + approved.err
    record = Path(approved.json["approval_file"])
    assert not record.resolve().is_relative_to(cloned.root.resolve())
    assert json.loads(record.read_text())["project"] == str(cloned.root.resolve())

    assert cloned.ok("task-done", "T-001")["check"]["status"] == "PASS"
    assert (cloned.root / "planted-by-repo").exists()

    cloned.ok("task-start", "T-002")
    plant(cloned, "touch second-marker", old=PLANTED)
    changed = cloned.fails("task-done", "T-002").json["error"]["message"]
    assert "changed since you approved them" in changed and "touch second-marker" in changed
    assert not (cloned.root / "second-marker").exists()


def test_detected_commands_need_approval_too(cloned: Project) -> None:
    cloned.advance("IMPLEMENTING")
    cloned.ok("tasks")
    cloned.ok("task-start", "T-001", "--files", "notes/core.py")
    (cloned.root / ".specrail.yaml").unlink()
    cloned.write("Makefile", "check:\n\ttouch planted-by-make\n")

    message = cloned.fails("task-done", "T-001").json["error"]["message"]

    assert "check: make check" in message and "specrail trust" in message
    assert not (cloned.root / "planted-by-make").exists()


def test_approval_with_a_stale_digest_records_nothing(cloned: Project) -> None:
    plant(cloned)
    stale = run_cli("trust", "--root", str(cloned.root), "--approve", "000000000000", "--json")
    assert stale.code == 1
    assert "nothing approved" in stale.json["error"]["message"]
    assert PLANTED in stale.json["error"]["message"]
    assert not trust.approval_file(cloned.root).exists()


def test_approval_belongs_to_one_path(cloned: Project, tmp_path: Path) -> None:
    cloned.advance("IMPLEMENTING")
    approve_shown(cloned.root)
    elsewhere = tmp_path / "another-clone"
    shutil.copytree(cloned.root, elsewhere, symlinks=True)
    other = Project(elsewhere)
    other.trusted = False
    other.ok("tasks")
    other.ok("task-start", "T-001")
    other.scenario("notes/core.py")
    assert "not approved yet" in other.fails("task-done", "T-001").json["error"]["message"]


def test_commands_planted_in_the_session_file_never_run(cloned: Project) -> None:
    cloned.advance("VALIDATING")
    approve_shown(cloned.root)
    session_file = cloned.session_dir / "workflow-session.json"
    data = json.loads(session_file.read_text())
    data["config"]["commands"] = {"test": {"run": "touch from-session", "timeout": 60}}
    data["config"]["validation"]["conditional"][0]["run"] = "touch from-session-validation"
    data["validation_plan"] = [
        {"name": "test", "command": "touch from-plan", "timeout": 60, "critical": True, "reason": "required"}
    ]
    session_file.write_text(json.dumps(data, indent=2))
    sign_file(session_file)  # even signed, the record's commands are never run

    answer = cloned.ok("run-validations")

    ran = {r["name"]: r["command"] for r in answer["results"]}
    assert ran["test"] == "python3 -m unittest -q", ran
    assert ran["core_tests"] == "python3 -m unittest -q tests.test_core", ran
    assert not list(cloned.root.glob("from-*"))


def test_command_bodies_never_pre_allow_trust() -> None:
    for path in sorted((REPO / "commands").glob("*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])
        tools = [t.strip() for t in str(front.get("allowed-tools", "")).split(",")]
        for tool in tools:
            assert tool != "Bash", path
            if tool.startswith("Bash("):
                prefix = tool[len("Bash(") : -1].removesuffix(":*").removesuffix("*").strip()
                assert not "specrail trust".startswith(prefix), f"{path.name}: {tool} allows `specrail trust`"


def test_init_says_the_commands_need_approval(cloned: Project) -> None:
    answer = cloned.ok("init", "Add tags to notes", "--feature", "note-tags")

    assert answer["commands"]["approved"] is False
    assert any("not approved yet" in w and "specrail trust --root" in w for w in answer["warnings"])
    approve_shown(cloned.root)
    again = cloned.ok("init", "Add tags to notes", "--feature", "note-tags")
    assert again["commands"]["approved"] is True and not again["warnings"]


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX terminal")
def test_trust_in_a_terminal_records_only_what_the_user_confirms(cloned: Project) -> None:
    import pty

    def answer(reply: str) -> str:
        master, terminal = pty.openpty()
        proc = subprocess.Popen(
            [sys.executable, "-m", "specrail", "trust", "--root", str(cloned.root)],
            stdin=terminal,
            stdout=terminal,
            stderr=terminal,
        )
        os.close(terminal)
        os.write(master, reply.encode() + b"\n")
        shown = b""
        with contextlib.suppress(OSError):  # EIO once the command has ended
            while chunk := os.read(master, 4096):
                shown += chunk
        os.close(master)
        assert proc.wait(timeout=60) == (0 if reply == "y" else 1)
        return shown.decode()

    refused = answer("n")
    assert "check: python3 -m compileall" in refused and "nothing approved" in refused
    assert not trust.approval_file(cloned.root).exists()
    assert "approved; recorded in" in answer("y")
    assert trust.approval_file(cloned.root).exists()
