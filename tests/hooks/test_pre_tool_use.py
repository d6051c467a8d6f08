"""PreToolUse: a running synthesis's inputs and the spec-driven snapshots are read-only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.core.samples import spec_driven_session, synthesis_session
from tests.hooks.conftest import Hook, HookRun, payload

SESSION = ".workflow/active/WFS-cap"


def start_session(work: Path, state: str = "DISCOVERED", workflow: str = "synthesis") -> None:
    data = synthesis_session() if workflow == "synthesis" else spec_driven_session()
    data.update(session_id="WFS-cap", state=state)
    path = work / SESSION / "workflow-session.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def denial(run: HookRun) -> str:
    assert run.code == 0, run
    output = run.json()["hookSpecificOutput"]
    assert output["hookEventName"] == "PreToolUse"
    assert output["permissionDecision"] == "deny"
    return str(output["permissionDecisionReason"])


def allowed(run: HookRun) -> bool:
    return (run.code, run.out) == (0, "")


@pytest.mark.parametrize("state", ["PENDING", "DISCOVERED", "CLARIFIED", "REVIEWED"])
def test_role_analysis_is_read_only_while_synthesis_runs(hook: Hook, work: Path, state: str) -> None:
    start_session(work, state)
    reason = denial(hook("PreToolUse", "pre-edit-role-analysis"))
    assert "analysis.md is a role analysis of WFS-cap" in reason
    assert f"the synthesis of WFS-cap is running (state {state})" in reason


def test_guidance_specification_is_read_only_while_synthesis_runs(hook: Hook, work: Path) -> None:
    start_session(work, "SPECS_WRITTEN")
    reason = denial(hook("PreToolUse", "pre-edit-guidance"))
    assert "guidance-specification.md is the guidance specification of WFS-cap" in reason


@pytest.mark.parametrize("state", ["COMPLETE", "ABORTED"])
def test_inputs_are_editable_once_synthesis_is_over(hook: Hook, work: Path, state: str) -> None:
    start_session(work, state)
    assert allowed(hook("PreToolUse", "pre-edit-role-analysis"))
    assert allowed(hook("PreToolUse", "pre-edit-guidance"))


def test_inputs_are_editable_without_a_session(hook: Hook) -> None:
    assert allowed(hook("PreToolUse", "pre-edit-role-analysis"))
    assert allowed(hook("PreToolUse", "pre-edit-guidance"))


def test_inputs_are_editable_when_the_session_file_is_not_a_synthesis(hook: Hook, work: Path) -> None:
    start_session(work, "REFINING", workflow="spec-driven")
    assert allowed(hook("PreToolUse", "pre-edit-role-analysis"))
    (work / SESSION / "workflow-session.json").write_text("{broken", encoding="utf-8")
    assert allowed(hook("PreToolUse", "pre-edit-role-analysis"))


def test_outputs_of_a_running_synthesis_stay_writable(hook: Hook, work: Path) -> None:
    start_session(work)
    for rel in ("feature-index.json", "feature-specs/analysis-F-001.md", "system-architect/notes.md"):
        data = payload("pre-edit-role-analysis", work)
        data["tool_input"]["file_path"] = str(work / SESSION / ".brainstorming" / rel)
        assert allowed(hook("PreToolUse", data)), rel


def test_spec_driven_snapshots_are_read_only(hook: Hook) -> None:
    reason = denial(hook("PreToolUse", "pre-edit-snapshot"))
    assert "'before' snapshot of the spec-driven session dark-mode_2026-01-01" in reason
    assert "Edit the spec itself" in reason


def test_other_files_pass_without_output(hook: Hook, work: Path) -> None:
    start_session(work)
    assert allowed(hook("PreToolUse", "pre-write-notes"))
    assert allowed(hook("PreToolUse", "pre-write-feature-index"))


def test_malformed_stdin_never_blocks(hook: Hook) -> None:
    for stdin in (b"", b"{not json", b"null"):
        run = hook("PreToolUse", stdin)
        assert run.code == 0 and run.out == "", stdin
        assert "PreToolUse: stdin is" in run.err
