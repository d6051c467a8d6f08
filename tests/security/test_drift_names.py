"""`drift` prints the repository's file names escaped: a name cannot rewrite the terminal's lines."""

from __future__ import annotations

import subprocess

import pytest

from tests.support.cli import run_cli
from tests.support.spec_driven import Project

NAME = "specs/evil\x1b[2K\r\u202eok.md"


@pytest.fixture
def project(cloned: Project) -> Project:
    cloned.trusted = True
    return cloned


def test_drift_escapes_file_names(project: Project) -> None:
    project.advance("COMMITTING")
    project.ok("commit", "--confirm")
    (project.root / NAME).write_text("# Evil\n\nText.\n", encoding="utf-8")
    subprocess.run(["git", "add", "-A"], cwd=project.root, check=True)
    message = "edit a spec outside a session"
    subprocess.run(["git", "commit", "-q", "-m", message], cwd=project.root, check=True)

    shown = run_cli("drift", "--root", str(project.root))

    assert "evil" in shown.out, shown.out + shown.err
    assert not any(c in shown.out for c in ("\x1b", "\r", "\u202e")), repr(shown.out)
    assert "evil\\x1b[2K\\x0d\\u202eok.md" in shown.out
