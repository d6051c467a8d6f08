"""The guard decides on the real path: `..`, a path relative to the payload's `cwd`, a symlink.

These run the hook directly, as a client that ignores hooks.json's `if` fields does. A client that
honours them (the pinned one) matches `if` against the path as the call names it, `..` resolved but
links not followed: a link placed outside every workflow tree starts no hook in that client.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.security.hook_runs import BRAINSTORM, GUIDANCE, INDEX, SESSION, call, start_synthesis
from tests.support.hooks import Hook, denial

GUIDANCE_TEXT = "# Guidance\n\nKeep it offline first.\n"
CHANGE = {"old_string": "offline first", "new_string": "online only"}


@pytest.mark.parametrize(
    "named",
    [
        f"{BRAINSTORM}/ux-expert/../guidance-specification.md",
        f"{BRAINSTORM}/./guidance-specification.md",
        f"{SESSION}//.brainstorming/guidance-specification.md",
    ],
)
def test_dot_segments_do_not_hide_the_guidance(hook: Hook, work: Path, named: str) -> None:
    start_synthesis(work)
    reason = denial(hook("PreToolUse", call("PreToolUse", work, "Edit", f"{work}/{named}", **CHANGE)))
    assert "is the guidance specification of WFS-cap" in reason
    assert "(really .workflow/active/WFS-cap/.brainstorming/guidance-specification.md)" in reason
    assert (work / GUIDANCE).read_text(encoding="utf-8") == GUIDANCE_TEXT


def test_a_relative_path_is_taken_from_the_payloads_cwd(hook: Hook, work: Path) -> None:
    start_synthesis(work)
    reason = denial(hook("PreToolUse", call("PreToolUse", work, "Edit", GUIDANCE, **CHANGE)))
    assert reason.startswith(f"{GUIDANCE} is the guidance specification of WFS-cap")


def test_a_link_to_the_guidance_is_the_guidance(hook: Hook, work: Path) -> None:
    start_synthesis(work)
    (work / "docs").mkdir()
    (work / "docs/guide.md").symlink_to(work / GUIDANCE)
    reason = denial(
        hook("PreToolUse", call("PreToolUse", work, "Write", str(work / "docs/guide.md"), content="x"))
    )
    assert reason.startswith(f"docs/guide.md (really {GUIDANCE}) is the guidance specification of WFS-cap")
    assert (work / GUIDANCE).read_text(encoding="utf-8") == GUIDANCE_TEXT


def test_a_linked_folder_leads_to_the_guidance_too(hook: Hook, work: Path) -> None:
    start_synthesis(work)
    (work / "shortcut").symlink_to(work / BRAINSTORM, target_is_directory=True)
    named = str(work / "shortcut/guidance-specification.md")
    assert "is the guidance specification of WFS-cap" in denial(
        hook("PreToolUse", call("PreToolUse", work, "Edit", named, **CHANGE))
    )


def test_a_link_to_a_snapshot_is_a_snapshot(hook: Hook, work: Path) -> None:
    folder = work / "specs/meta/sessions/dark-mode_2026-01-01"
    (folder / "snapshots").mkdir(parents=True)
    (folder / "workflow-session.json").write_text("{}", encoding="utf-8")
    (folder / "snapshots/ui.md").write_text("# UI\n", encoding="utf-8")
    (work / "ui-before.md").symlink_to(folder / "snapshots/ui.md")
    run = hook(
        "PreToolUse", call("PreToolUse", work, "Edit", "ui-before.md", old_string="UI", new_string="X")
    )
    assert "is a 'before' snapshot of the spec-driven session dark-mode_2026-01-01" in denial(run)
    assert (folder / "snapshots/ui.md").read_text(encoding="utf-8") == "# UI\n"


def test_a_link_to_the_session_file_is_the_session_file(hook: Hook, work: Path) -> None:
    data = start_synthesis(work)
    (work / "state.json").symlink_to(work / SESSION / "workflow-session.json")
    forged = json.dumps({**data, "state": "REVIEWED"})
    reason = denial(hook("PreToolUse", call("PreToolUse", work, "Write", "state.json", content=forged)))
    assert "is written only by specrail" in reason and "this synthesis session is in DISCOVERED" in reason
    assert (
        json.loads((work / SESSION / "workflow-session.json").read_text(encoding="utf-8"))["state"]
        == "DISCOVERED"
    )


def test_a_link_to_an_artifact_is_validated_as_that_artifact(hook: Hook, work: Path) -> None:
    start_synthesis(work)
    (work / INDEX).write_text("{}\n", encoding="utf-8")
    (work / "index.json").symlink_to(work / INDEX)
    run = hook("PreToolUse", call("PreToolUse", work, "Write", "index.json", content='{"version": 2}'))
    reason = denial(run)
    assert reason.startswith(f"specrail: index.json (really {INDEX}) would not be a valid feature-index")
    assert "- /version: " in reason
    assert (work / INDEX).read_text(encoding="utf-8") == "{}\n"
