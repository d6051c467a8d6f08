"""A synthesis step refused because the session is not in a state it may start from writes nothing:
no output file, no session change, nothing half-written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from specrail.store import SessionStore
from tests.support.locks import wait_at_lock
from tests.support.synthesis import Synth, advance
from tests.synthesis.builders import REVIEW_REPORT, Project


def files(root: Path) -> dict[str, bytes]:
    """Every file under `root` but the session's lock, which a refused step takes too."""
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.suffix != ".lock"
    }


def ready(project: Project) -> Project:
    """A project holding every file up to the review report, so only the state can refuse a step."""
    project.build()
    project.write_specs()
    project.write(".brainstorming/review-report.md", REVIEW_REPORT)
    return project


@pytest.mark.parametrize(
    ("reached", "step"),
    [
        ("discover", "index"),  # DISCOVERED -> SPECS_WRITTEN skips analysis and the user's answers
        ("analyzed", "index"),  # ANALYZED -> SPECS_WRITTEN skips the user's answers
        ("discover", "answer"),
        ("discover", "reviewed"),
        ("discover", "finalize"),
        ("answer", "analyzed"),
        ("answer", "reviewed"),
        ("answer", "finalize"),
    ],
)
def test_a_step_refused_in_the_wrong_state_writes_nothing(
    synth: Synth, project: Project, reached: str, step: str
) -> None:
    ready(project)
    advance(synth, project.root, project.sid, reached)
    state = project.session()["state"]
    before = files(project.root)

    refused = synth(project.root, step, "--session", project.sid, *(["--yes"] if step == "answer" else []))

    assert refused.code == 1, refused.out + refused.err
    error = refused.json["error"]
    assert error["pointer"] == "/state" and f"is in {state}" in error["message"]
    assert files(project.root) == before
    assert not (project.bdir / "feature-index.json").exists() or step != "index"


def test_index_refused_after_a_concurrent_step_writes_no_index(synth: Synth, project: Project) -> None:
    """`index` started while another step holds the lock and moves the session back to DISCOVERED:
    it must judge the state it finds under the lock, and write no feature-index.json."""
    ready(project)
    advance(synth, project.root, project.sid, "answer")
    store = SessionStore(project.session_dir / "workflow-session.json")
    command = ["synthesis", "index", "--session", project.sid, "--root", str(project.root), "--json"]
    with store.locked():
        proc = subprocess.Popen(
            [sys.executable, "-m", "specrail", *command],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        wait_at_lock([proc], store.lock_path)
        store.transition("DISCOVERED", "discovery run again")  # the other step, under the same lock
        before = files(project.root)
    out, err = proc.communicate(timeout=120)

    assert proc.returncode == 1, out + err
    assert json.loads(out)["error"]["pointer"] == "/state"
    assert not (project.bdir / "feature-index.json").exists()
    assert files(project.root) == before
