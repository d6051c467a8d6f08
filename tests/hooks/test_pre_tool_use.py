"""PreToolUse: a running synthesis's inputs, the snapshots and the session file are read-only, and an
invalid JSON artifact never lands (Write, Edit and MultiEdit, as the client applies them)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.core.samples import feature_index, spec_driven_session, synthesis_session
from tests.support.cli import Result
from tests.support.hooks import Hook, denial, payload

SESSION = ".workflow/active/WFS-cap"


def start_session(work: Path, state: str = "DISCOVERED", workflow: str = "synthesis") -> None:
    data = synthesis_session() if workflow == "synthesis" else spec_driven_session()
    data.update(session_id="WFS-cap", state=state)
    path = work / SESSION / "workflow-session.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def allowed(run: Result) -> bool:
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


def start_spec_driven(work: Path) -> None:
    folder = work / "specs/meta/sessions/dark-mode_2026-01-01"
    folder.mkdir(parents=True)
    (folder / "workflow-session.json").write_text(json.dumps(spec_driven_session()), encoding="utf-8")


def test_spec_driven_snapshots_are_read_only(hook: Hook, work: Path) -> None:
    start_spec_driven(work)
    reason = denial(hook("PreToolUse", "pre-edit-snapshot"))
    assert "'before' snapshot of the spec-driven session dark-mode_2026-01-01" in reason
    assert "Edit the spec itself" in reason


def test_other_files_pass_without_output(hook: Hook, work: Path) -> None:
    start_session(work)
    assert allowed(hook("PreToolUse", "pre-write-notes"))
    data = payload("pre-write-notes", work)
    data["tool_input"]["file_path"] = str(work / SESSION / ".brainstorming" / "notes.md")
    assert allowed(hook("PreToolUse", data))


INDEX = f"{SESSION}/.brainstorming/feature-index.json"


def index_call(work: Path, tool: str, **tool_input: object) -> dict[str, Any]:
    """A PreToolUse payload for `tool` on WFS-cap's feature index, in a running session."""
    start_session(work)
    data = payload("pre-write-feature-index", work)
    data["tool_name"] = tool
    data["tool_input"] = {"file_path": str(work / INDEX), **tool_input}
    return data


def valid_index(work: Path) -> str:
    """A valid feature index for WFS-cap, its spec files present."""
    data = feature_index()
    data["session_id"] = "WFS-cap"
    for feature in data["features"]:
        spec = work / SESSION / ".brainstorming" / feature["spec_path"]
        spec.parent.mkdir(parents=True, exist_ok=True)
        spec.write_text("# spec\n", encoding="utf-8")
    return json.dumps(data, indent=2) + "\n"


def test_an_invalid_json_write_is_denied_with_pointers_and_fixes(hook: Hook, work: Path) -> None:
    content = valid_index(work).replace('"F-001"', '"F1"', 1).replace('"version": "1.0"', '"version": 1')
    reason = denial(hook("PreToolUse", index_call(work, "Write", content=content)))
    lines = reason.splitlines()
    assert lines[
        0
    ] == f"specrail: {INDEX} would not be a valid feature-index, so this Write was refused; " + (
        "the file is unchanged:"
    )
    assert "- /features/0/id: 'F1' is not a feature id like F-001" in lines
    assert "  fix: use a feature id like F-001" in lines
    assert any(line.startswith("- /version: ") for line in lines)
    assert lines[-1].startswith("Correct each location above and send the Write again")
    assert not (work / INDEX).exists()


def test_malformed_json_is_denied_with_its_place(hook: Hook, work: Path) -> None:
    reason = denial(hook("PreToolUse", index_call(work, "Write", content='{"version": "1.0",\n')))
    assert "- (whole file): malformed JSON at line 2 column 1" in reason


def test_a_valid_json_write_passes(hook: Hook, work: Path) -> None:
    assert allowed(hook("PreToolUse", index_call(work, "Write", content=valid_index(work))))


def test_an_edit_is_judged_on_the_file_it_would_leave(hook: Hook, work: Path) -> None:
    data = index_call(work, "Edit", old_string='"F-002"', new_string='"F2"', replace_all=False)
    (work / INDEX).write_text(valid_index(work), encoding="utf-8")
    before = (work / INDEX).read_text(encoding="utf-8")
    assert "- /features/1/id: 'F2' is not a feature id like F-001" in denial(hook("PreToolUse", data))
    assert (work / INDEX).read_text(encoding="utf-8") == before
    data["tool_input"].update(old_string='"Sharing"', new_string='"Sharing links"')
    assert allowed(hook("PreToolUse", data))


def test_replace_all_and_multi_edit_are_applied_as_the_client_does(hook: Hook, work: Path) -> None:
    data = index_call(work, "Edit", old_string='"slug": "', new_string='"slug": "X', replace_all=True)
    (work / INDEX).write_text(valid_index(work), encoding="utf-8")
    reason = denial(hook("PreToolUse", data))
    assert "- /features/0/slug: 'Xoffline-sync' is not " in reason
    assert "- /features/1/slug: 'Xsharing' is not " in reason
    edits = [
        {"old_string": '"Sharing"', "new_string": '"Sharing links"'},
        {"old_string": '"F-002"', "new_string": '"F2"'},
    ]
    multi = index_call(work, "MultiEdit", edits=edits)
    assert "- /features/1/id: 'F2' is not a feature id like F-001" in denial(hook("PreToolUse", multi))
    edits.append({"old_string": '"F2"', "new_string": '"F-002"'})  # refused by the client: edits an edit
    assert allowed(hook("PreToolUse", multi))


def test_an_edit_the_client_would_refuse_is_left_to_the_client(hook: Hook, work: Path) -> None:
    (work / INDEX).write_text(valid_index(work), encoding="utf-8")
    missing = index_call(work, "Edit", old_string="not in the file", new_string="{")
    assert allowed(hook("PreToolUse", missing))
    twice = index_call(work, "Edit", old_string="cross_cutting", new_string="{")
    assert allowed(hook("PreToolUse", twice))  # several matches without replace_all


def test_the_session_file_is_written_only_by_specrail(hook: Hook, work: Path) -> None:
    start_session(work, "DISCOVERED")
    data = payload("pre-write-feature-index", work)
    data["tool_input"] = {"file_path": str(work / SESSION / "workflow-session.json"), "content": "{}"}
    reason = denial(hook("PreToolUse", data))
    assert reason.startswith(f"specrail: {SESSION}/workflow-session.json is written only by specrail")
    assert "so it was refused and the file is unchanged" in reason
    assert "this synthesis session is in DISCOVERED; allowed next: DISCOVERED, ANALYZED, ABORTED." in reason
    assert "`specrail synthesis analyzed --session WFS-cap --json`" in reason


def test_malformed_stdin_never_blocks(hook: Hook) -> None:
    for stdin in (b"", b"{not json", b"null"):
        run = hook("PreToolUse", stdin)
        assert run.code == 0 and run.out == "", stdin
        assert "PreToolUse: stdin is" in run.err
