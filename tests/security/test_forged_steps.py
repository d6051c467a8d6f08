"""A history forged by hand with a step the seeds do not allow is refused wherever it is inserted:
each skip of a phase, from each state along the happy path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.machines import SPEC_DRIVEN
from tests.support.spec_driven import HAPPY_PATH, Project, git

FORGED = [
    ("PENDING", "REFINING"),  # no spec update
    ("SPEC_UPDATE", "ALIGNING"),  # no refinement
    ("REFINING", "IMPLEMENTING"),  # no alignment
    ("ALIGNING", "COMMITTING"),  # no implementation, no validation
    ("ALIGNING", "VALIDATING"),  # no implementation
    ("IMPLEMENTING", "COMMITTING"),  # no validation
    ("IMPLEMENTING", "COMPLETE"),  # no validation, no commit
]


def forge_step(project: Project, source: str, target: str) -> Path:
    """Append `source -> target` to the session's history and set its state to `target`."""
    path = project.session_dir / "workflow-session.json"
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    data["history"].append({"from": source, "to": target, "at": "2026-11-20T09:00:00Z", "reason": "forged"})
    data["state"] = target
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def test_every_forged_step_is_a_step_the_seeds_forbid() -> None:
    for source, target in FORGED:
        assert target not in SPEC_DRIVEN[source]


@pytest.mark.parametrize(("source", "target"), FORGED, ids=[f"{a}-{b}" for a, b in FORGED])
def test_a_forged_step_is_refused_and_nothing_is_written(cloned: Project, source: str, target: str) -> None:
    cloned.advance(source)
    cloned.trusted = True  # the commands are approved: only the history can refuse the steps
    path = forge_step(cloned, source, target)
    before = cloned.snapshot_files()
    index = HAPPY_PATH.index(source)  # the forged entry comes after one entry per state left

    status = cloned.run("status")
    assert status.code == 1, status.out + status.err
    error = status.json["error"]
    assert error["file"] == str(path) and error["pointer"] == f"/history/{index}/to", error
    assert f"goes from {source} to {target}" in error["message"]

    commit = cloned.run("commit", "--confirm")
    assert commit.code != 0, commit.out
    assert git(cloned.root, "rev-list", "--count", "HEAD").strip() == "1"  # the baseline only
    assert cloned.snapshot_files() == before
