"""Only specrail starts a session: a Write that would create a workflow-session.json is refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.security.hook_runs import call
from tests.support.hooks import Hook, denial


@pytest.mark.parametrize(
    "target",
    [
        "specs/meta/sessions/forged_2026-01-01/workflow-session.json",
        ".workflow/active/WFS-forged/workflow-session.json",
    ],
)
def test_a_write_creating_a_session_file_is_refused(hook: Hook, work: Path, target: str) -> None:
    forged = {"schema_version": 1, "workflow": "spec-driven", "state": "COMMITTING"}
    (work / target).parent.mkdir(parents=True, exist_ok=True)
    for given in (target, str(work / target)):
        run = hook("PreToolUse", call("PreToolUse", work, "Write", given, content=json.dumps(forged)))

        reason = denial(run)
        assert "would start a session" in reason and "specrail spec-driven init" in reason
    assert not (work / target).exists()
