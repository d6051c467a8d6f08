"""A session file edited by hand: specrail refuses a state its history does not explain."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import run_cli
from tests.support.signed import sign_file
from tests.support.spec_driven import Project, approve_shown


def forge(project: Project, change: Any) -> Path:
    path = project.session_dir / "workflow-session.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    sign_file(path)  # a forgery signed here too: replaying the history still refuses it
    return path


def head(root: Path) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True).stdout


def set_state(state: str) -> Any:
    return lambda data: data.update(state=state)


def add_step(source: str, target: str) -> Any:
    def change(data: dict[str, Any]) -> None:
        data["history"].append(
            {"from": source, "to": target, "at": "2026-11-20T09:00:00Z", "reason": "forged"}
        )
        data["state"] = target

    return change


def break_chain(data: dict[str, Any]) -> None:
    data["history"][1]["from"] = "ALIGNING"


@pytest.mark.parametrize(
    ("change", "pointer", "says"),
    [
        (set_state("COMMITTING"), "/state", "the state is COMMITTING, but the history leads to IMPLEMENTING"),
        (add_step("IMPLEMENTING", "COMMITTING"), "/history/4/to", "goes from IMPLEMENTING to COMMITTING"),
        (
            break_chain,
            "/history/1/from",
            "starts from ALIGNING, but the history before it leads to SPEC_UPDATE",
        ),
    ],
    ids=["state", "forged-step", "broken-chain"],
)
def test_forged_state_cannot_commit_without_validation(
    cloned: Project, change: Any, pointer: str, says: str
) -> None:
    cloned.advance("IMPLEMENTING")
    approve_shown(cloned.root)
    path = forge(cloned, change)
    before, commit_before = cloned.snapshot_files(), head(cloned.root)

    for step in (["commit", "--confirm"], ["status"], ["run-validations"]):
        refused = run_cli("spec-driven", *step, "--root", str(cloned.root), "--json")
        assert refused.code == 1, (step, refused.out, refused.err)
        error = refused.json["error"]
        assert error["pointer"] == pointer and error["file"] == str(path)
        assert says in error["message"]
        assert "Restore the file from version control" in error["message"]

    assert head(cloned.root) == commit_before  # no commit was made
    assert cloned.snapshot_files() == before  # and nothing was written


def test_forged_synthesis_state_is_refused(tmp_path: Path) -> None:
    from tests.synthesis.builders import EXAMPLE_ID, copy_example

    root = copy_example(tmp_path / "example")
    found = run_cli("synthesis", "discover", "--session", EXAMPLE_ID, "--root", str(root), "--json")
    assert found.code == 0, found.out + found.err
    session = root / ".workflow" / "active" / EXAMPLE_ID / "workflow-session.json"
    data = json.loads(session.read_text(encoding="utf-8"))
    data["state"] = "SPECS_WRITTEN"
    session.write_text(json.dumps(data), encoding="utf-8")
    sign_file(session)
    before = session.read_bytes()

    refused = run_cli("synthesis", "finalize", "--session", EXAMPLE_ID, "--root", str(root), "--json")

    assert refused.code == 1, refused.out + refused.err
    assert refused.json["error"]["pointer"] == "/state"
    assert "the history leads to DISCOVERED" in refused.json["error"]["message"]
    assert session.read_bytes() == before
