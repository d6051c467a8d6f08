"""A session record cannot claim a commit that neither touches its folder nor leads to one that does."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.support.cli import run_cli
from tests.support.spec_driven import Project


@pytest.fixture
def project(cloned: Project) -> Project:
    cloned.trusted = True
    return cloned


def git(project: Project, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=project.root, capture_output=True, text=True, check=True).stdout


def test_a_record_cannot_claim_an_unrelated_commit(project: Project) -> None:
    project.advance("COMMITTING")
    project.ok("commit", "--confirm")
    baseline = git(project, "rev-list", "--max-parents=0", "HEAD").strip()
    (project.root / "notes" / "other.py").write_text("X = 1\n", encoding="utf-8")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "someone else's work")
    elsewhere = git(project, "rev-parse", "HEAD").strip()
    path = project.session_dir / "workflow-session.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for sha in (baseline, elsewhere):
        data["commits"].insert(0, {"hash": sha, "message": "claimed", "files": ["notes/core.py"]})
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    git(project, "add", "-A")
    git(project, "commit", "-q", "-m", "record edited by hand")

    answer = run_cli("trace", "notes/core.py", "--root", str(project.root), "--json").json

    shown = {c["commit"] for e in answer["entries"] for c in e["commits"]}
    assert shown, answer
    assert baseline not in shown, (baseline, shown)
    assert elsewhere not in shown, (elsewhere, shown)
