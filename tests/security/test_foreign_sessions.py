"""A session this machine did not sign is read, never changed, until the user adopts it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.core.samples import synthesis_session
from tests.support.cli import REPO, run_cli
from tests.support.spec_driven import Project


@pytest.fixture
def project(cloned: Project) -> Project:
    cloned.trusted = True
    return cloned


def head(root: Path) -> str:
    return subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True).stdout


def forge(project: Project, *, keep_signature: bool) -> Path:
    """The record edited outside specrail: its request reworded (and, without `keep_signature`,
    its signature dropped, as a record written elsewhere has none)."""
    path = project.session_dir / "workflow-session.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["request"] = "Something the user never asked for"
    if not keep_signature:
        data.pop("signature", None)
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


@pytest.mark.parametrize("keep_signature", [False, True])
def test_a_forged_session_is_never_committed(project: Project, keep_signature: bool) -> None:
    project.advance("COMMITTING")
    path = forge(project, keep_signature=keep_signature)
    before, record = head(project.root), path.read_bytes()

    refused = project.fails("commit", "--confirm").json["error"]

    assert refused["message"].startswith("refused: this session")
    assert "specrail spec-driven adopt --session" in refused["message"]
    assert refused["pointer"] == "/signature"
    assert head(project.root) == before and path.read_bytes() == record


def test_a_foreign_session_is_read_and_adopted_only_on_request(project: Project) -> None:
    project.advance("PENDING")
    path = forge(project, keep_signature=False)
    record = path.read_bytes()

    assert project.ok("status")["state"] == "PENDING"
    assert project.fails("abort", "--reason", "x").json["error"]["pointer"] == "/signature"
    assert path.read_bytes() == record

    adopted = run_cli("spec-driven", "adopt", "--session", str(project.session_dir), "--json")
    assert adopted.code == 0 and adopted.json["adopted"] is True, adopted.out + adopted.err
    assert project.ok("abort", "--reason", "reviewed, then cancelled")["aborted"] is True


def test_a_foreign_synthesis_session_is_refused_until_adopted(tmp_path: Path) -> None:
    data = synthesis_session()
    data.update(session_id="WFS-cloned", state="DISCOVERED")
    path = tmp_path / ".workflow" / "active" / "WFS-cloned" / "workflow-session.json"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    record = path.read_bytes()
    where = ("--session", "WFS-cloned", "--root", str(tmp_path), "--json")

    refused = run_cli("synthesis", "discover", *where)

    assert refused.code == 1 and "specrail synthesis adopt --session WFS-cloned" in refused.out
    assert path.read_bytes() == record
    assert run_cli("synthesis", "adopt", *where).json["adopted"] is True
    assert "adopt" not in run_cli("synthesis", "discover", *where).out


def test_command_bodies_never_pre_allow_adopt() -> None:
    for path in sorted((REPO / "commands").glob("*.md")):
        front = yaml.safe_load(path.read_text(encoding="utf-8").split("---\n", 2)[1])
        for tool in (t.strip() for t in str(front.get("allowed-tools", "")).split(",")):
            if tool.startswith("Bash("):
                prefix = tool[len("Bash(") : -1].removesuffix(":*").removesuffix("*").strip()
                for command in ("specrail spec-driven adopt", "specrail synthesis adopt"):
                    assert not command.startswith(prefix), f"{path.name}: {tool} allows `{command}`"
