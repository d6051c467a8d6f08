"""`specrail status`: the table of sessions, one session's timeline, colour rules."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from specrail import mermaid
from tests.support.cli import REPO, run_cli
from tests.support.signed import sign_file

SESSION = ".workflow/active/WFS-team-notes"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(REPO / "scripts/specrail/examples/synthesis", root)
    sign_file(root / SESSION / "workflow-session.json")  # as specrail on this machine left it
    shutil.copytree(REPO / "scripts/specrail/examples/spec-driven", root, dirs_exist_ok=True)
    for args in (("discover",), ("analyzed",)):
        assert (
            run_cli("synthesis", *args, "--session", "WFS-team-notes", "--root", str(root), "--json").code
            == 0
        )
    assert run_cli("spec-driven", "init", "Add tags to notes", "--root", str(root), "--json").code == 0
    return root


def test_table_lists_both_workflows_aligned(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # one line per session (narrower terminals wrap cells)
    run = run_cli("status", "--root", str(project))
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[0].split() == [
        "SESSION",
        "WORKFLOW",
        "STATE",
        "AGE",
        "LAST",
        "TRANSITION",
        "MISSING",
        "OR",
        "INVALID",
    ]
    body = {line.split()[0]: line for line in lines[1:]}
    assert set(body) == {"WFS-team-notes", f"add-tags-to-notes_{_today(project)}"}
    assert "synthesis" in body["WFS-team-notes"] and "ANALYZED" in body["WFS-team-notes"]
    column = lines[0].index("STATE")
    assert all(line[column:].split()[0] in {"ANALYZED", "PENDING"} for line in lines[1:])
    assert "\x1b[" not in run.out


def _today(project: Path) -> str:
    [folder] = (project / "specs/meta/sessions").iterdir()
    return folder.name.rsplit("_", 1)[1]


def test_missing_and_invalid_outputs_are_named(project: Path) -> None:
    brainstorm = project / SESSION / ".brainstorming"
    (brainstorm / "feature-conflict-map.json").unlink()
    data = json.loads((brainstorm / "enhancement-recommendations.json").read_text())
    data[0]["priority"] = ""
    (brainstorm / "enhancement-recommendations.json").write_text(json.dumps(data))
    answer = run_cli("status", "--root", str(project), "--json").json
    [row] = [r for r in answer["sessions"] if r["workflow"] == "synthesis"]
    assert "missing .brainstorming/feature-conflict-map.json" in row["problems"]
    assert any(
        p.startswith("invalid .brainstorming/enhancement-recommendations.json (/0/priority:")
        for p in row["problems"]
    )
    assert "MISSING OR INVALID" in run_cli("status", "--root", str(project)).out


def test_timeline_of_one_session_and_its_diagram(project: Path) -> None:
    run = run_cli("status", "WFS-team-notes", "--root", str(project))
    assert run.code == 0
    assert "PENDING -> DISCOVERED" in run.out and "DISCOVERED -> ANALYZED" in run.out
    assert "next: phase 4: `specrail synthesis questions --session WFS-team-notes --json`" in run.out
    steps = run_cli("status", "WFS-team-notes", "--root", str(project), "--json").json["timeline"]
    assert [(s["from"], s["to"]) for s in steps] == [("PENDING", "DISCOVERED"), ("DISCOVERED", "ANALYZED")]
    diagram = run_cli("status", "WFS-team-notes", "--mermaid", "--root", str(project)).out
    assert mermaid.lint(diagram) == []
    assert "class ANALYZED current" in diagram
    unknown = run_cli("status", "WFS-nope", "--root", str(project))
    assert unknown.code == 2 and "no workflow session named 'WFS-nope'" in unknown.err


def _tty_output(args: list[str], env: dict[str, str]) -> str:
    """Run the CLI with stdout on a pseudo-terminal, as a user's shell would."""
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "specrail", *args], stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    proc.wait(timeout=60)
    os.close(leader)
    return b"".join(chunks).decode()


def test_colour_only_on_a_terminal_and_never_with_no_color(project: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    coloured = _tty_output(["status", "--root", str(project)], env)
    assert "\x1b[" in coloured and "ANALYZED" in coloured
    plain = _tty_output(["status", "--root", str(project)], {**env, "NO_COLOR": "1"})
    assert "\x1b[" not in plain and "ANALYZED" in plain


def test_no_sessions(tmp_path: Path) -> None:
    run = run_cli("status", "--root", str(tmp_path))
    assert run.code == 0 and "no workflow sessions" in run.out


def test_an_unreadable_session_file_says_why(tmp_path: Path) -> None:
    sessions = tmp_path / "specs" / "meta" / "sessions"
    for name, text in (("no-state_1", '{"workflow": "spec-driven"}'), ("list_1", "[1]"), ("cut_1", '{"a"')):
        (sessions / name).mkdir(parents=True)
        (sessions / name / "workflow-session.json").write_text(text, encoding="utf-8")
    rows = {
        r["session"]: r["problems"]
        for r in json.loads(run_cli("status", "--root", str(tmp_path), "--json").out)["sessions"]
    }
    assert rows == {
        "no-state_1": ["workflow-session.json unreadable (no 'state' field)"],
        "list_1": ["workflow-session.json unreadable (not a JSON object)"],
        "cut_1": [
            "workflow-session.json unreadable (not JSON: Expecting ':' delimiter: line 1 column 5 (char 4))"
        ],
    }


def test_a_root_that_does_not_exist_is_a_usage_error(tmp_path: Path) -> None:
    for command in (["status"], ["doctor"], ["drift"]):
        run = run_cli(*command, "--root", str(tmp_path / "typo"))
        assert run.code == 2 and "typo' does not exist" in run.err, (command, run.out, run.err)
