"""`--session` values from slash-command arguments are data: refused unless a plain id, never run or joined.

Each hostile value would, if interpolated into a shell, create a canary file; if joined into a path,
reach a decoy session outside `.workflow/active/`. Neither may happen, and nothing may change.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from specrail.cli import main
from specrail.cli.synthesis import synthesis
from tests.reliability.support import REPO, snapshot, specrail

REFUSED = "is not a session id"


def hostile(base: Path) -> list[str]:
    canary = base / "canary"
    return [
        f"WFS-x;touch {canary}-semicolon",
        f"WFS-x && touch {canary}-and",
        f"WFS-x|touch {canary}-pipe",
        f"$(touch {canary}-dollar)",
        f"`touch {canary}-backtick`",
        f"WFS-$(touch {canary}-inner)",
        "WFS-x;rm -rf /",
        "$(id)",
        "`id`",
        "../WFS-team-notes",
        "WFS-team-notes/../WFS-team-notes",
        "WFS-team-notes/",
        str(base / "decoy" / "WFS-team-notes"),
        "/tmp/x",
        "~/WFS-x",
        "..",
        "WFS-team-notes\n",
        " WFS-team-notes",
        "WFS-team\u2011notes",  # a non-breaking hyphen
        "WFS-\u0442eam-notes",  # a Cyrillic t
        "WFS-",
        "",
    ]


@pytest.fixture
def world(tmp_path: Path) -> Path:
    """A project with the example session, a decoy next to `active/` and one outside the project."""
    project = tmp_path / "project"
    shutil.copytree(REPO / "scripts" / "specrail" / "examples" / "synthesis", project)
    session = project / ".workflow" / "active" / "WFS-team-notes"
    shutil.copytree(session, project / ".workflow" / "WFS-team-notes")
    shutil.copytree(session, tmp_path / "decoy" / "WFS-team-notes")
    return tmp_path


def arguments(command: str, value: str, root: Path) -> list[str]:
    extra = {"answer": ["--yes"], "new": ["--topic", "Notes", "--roles", "pm"]}.get(command, [])
    return ["synthesis", command, "--session", value, *extra, "--root", str(root)]


def test_every_synthesis_command_refuses_hostile_session_values(
    world: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = world / "project"
    before = snapshot(world)
    checked = 0
    for command in sorted(synthesis.commands):
        for value in hostile(world):
            for as_json in ([], ["--json"]):
                code = main([*arguments(command, value, root), *as_json])
                out, err = capsys.readouterr()
                assert code in (1, 2), (command, value, code, out, err)
                assert REFUSED in err or "Missing" in err or "requires an argument" in err, (
                    command,
                    value,
                    err,
                )
                assert err.count("\n") == 1, f"not one line: {err!r}"
                if as_json:
                    assert '"status": "error"' in out
                checked += 1
    assert snapshot(world) == before, "a refused --session changed a file"
    assert not list(world.rglob("canary*")), "a --session value reached a shell"
    print(f"\n--session values refused: {checked} (commands x values x text/json)")


@pytest.mark.parametrize("command", ["discover", "finalize"])
def test_in_a_real_process_with_a_shell_around(world: Path, command: str) -> None:
    """As the plugin runs it: a subprocess in the project folder; no canary, no change."""
    root = world / "project"
    before = snapshot(world)
    for value in hostile(world)[:9]:
        proc = subprocess.run(
            specrail(*arguments(command, value, Path(".")), "--json"),
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 2, (value, proc.stdout, proc.stderr)
        assert REFUSED in proc.stderr and "Traceback" not in proc.stderr
    assert snapshot(world) == before
    assert not list(world.rglob("canary*"))


def test_a_plain_id_still_works(world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The refusals above are not a blanket refusal: the real session id is accepted."""
    code = main(["synthesis", "complexity", "--session", "WFS-team-notes", "--root", str(world / "project")])
    _, err = capsys.readouterr()
    assert code in (0, 1), err
    assert REFUSED not in err


def test_spec_driven_session_paths_are_data_too(world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`spec-driven --session DIR` takes a folder; shell text there is a folder that does not exist."""
    before = snapshot(world)
    for value in hostile(world)[:9]:
        code = main(["spec-driven", "status", "--session", value, "--root", str(world / "project"), "--json"])
        out, err = capsys.readouterr()
        assert code == 2, (value, out, err)
        assert "no workflow-session.json" in err
    assert snapshot(world) == before
    assert not list(world.rglob("canary*"))
