"""One hook process per JSON artifact write, on the pinned client: the `if` rules of hooks.json.

PreToolUse validates a JSON artifact before it lands, so PostToolUse must not start a second
interpreter for it; a Markdown artifact is still checked after the write. Each hook command of a
copy of the plugin first saves its payload, so the test counts the processes the client started.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.e2e.stand_in import Script, text, tool

if TYPE_CHECKING:
    from tests.support.claude import RunClaude

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO_ROOT))

from tests.core.samples import feature_index, spec_driven_session, synthesis_session  # noqa: E402

SESSION = ".workflow/active/WFS-demo"
SPEC_SESSION = "specs/meta/sessions/tags_2026-01-20"


def counting_plugin(root: Path, marks: Path) -> Path:
    """A copy of the plugin whose hook commands save their payload in `marks` first."""
    shutil.copytree(
        REPO_ROOT, root, ignore=shutil.ignore_patterns(".git", "tests", "__pycache__", "*.egg-info")
    )
    hooks_json = root / "hooks" / "hooks.json"
    hooks = json.loads(hooks_json.read_text(encoding="utf-8"))
    for event in ("PreToolUse", "PostToolUse"):
        for group in hooks["hooks"][event]:
            for handler in group["hooks"]:
                handler["command"] = f'tee "{marks}/$$.json" | {{ {handler["command"]}; }}'
    hooks_json.write_text(json.dumps(hooks), encoding="utf-8")
    return root


def started(marks: Path) -> Counter[tuple[str, str, str]]:
    payloads = (json.loads(f.read_text(encoding="utf-8")) for f in marks.iterdir())
    return Counter(
        (d["hook_event_name"], d["tool_name"], Path(d["tool_input"]["file_path"]).name) for d in payloads
    )


def test_a_json_write_starts_one_process_and_a_markdown_write_is_checked(
    run_claude: RunClaude, tmp_path: Path
) -> None:
    work, marks = tmp_path / "work", tmp_path / "marks"
    marks.mkdir()
    state = work / SESSION / "workflow-session.json"
    state.parent.mkdir(parents=True)
    state.write_text(json.dumps({**synthesis_session(), "state": "DISCOVERED"}), encoding="utf-8")
    spec_state = work / SPEC_SESSION / "workflow-session.json"
    spec_state.parent.mkdir(parents=True)
    spec_state.write_text(json.dumps(spec_driven_session()), encoding="utf-8")
    brainstorming = work / SESSION / ".brainstorming"
    data = feature_index()
    for feature in data["features"]:
        spec = brainstorming / feature["spec_path"]
        spec.parent.mkdir(parents=True, exist_ok=True)
        spec.write_text("# spec\n", encoding="utf-8")
    index = brainstorming / "feature-index.json"
    changelog = brainstorming / "synthesis-changelog.md"
    proposal = work / SPEC_SESSION / "proposal.md"
    calls = [
        tool("Write", {"file_path": str(index), "content": json.dumps(data, indent=2)}),
        tool("Edit", {"file_path": str(index), "old_string": '"1.0"', "new_string": '"1.1"'}),
        tool("Write", {"file_path": str(changelog), "content": "# Synthesis Changelog\n"}),
        tool("Write", {"file_path": str(proposal), "content": "# Proposal\n"}),
        tool("Edit", {"file_path": str(proposal), "old_string": "# Proposal", "new_string": "# Proposal!"}),
    ]
    plugin = counting_plugin(tmp_path / "plugin", marks)
    result = run_claude("Write artifacts", Script([*calls, text("done")]), cwd=work, plugin_dir=plugin)
    assert result.returncode == 0, result.describe()
    assert changelog.is_file() and proposal.read_text(encoding="utf-8") == "# Proposal!\n"
    assert started(marks) == Counter(
        {
            ("PreToolUse", "Write", "feature-index.json"): 1,
            ("PreToolUse", "Edit", "feature-index.json"): 1,
            ("PreToolUse", "Write", "synthesis-changelog.md"): 1,
            ("PostToolUse", "Write", "synthesis-changelog.md"): 1,
            ("PreToolUse", "Write", "proposal.md"): 1,
            ("PostToolUse", "Write", "proposal.md"): 1,
            ("PreToolUse", "Edit", "proposal.md"): 1,
            ("PostToolUse", "Edit", "proposal.md"): 1,
        }
    )


def test_the_client_lists_each_agent_with_its_short_description(run_claude: RunClaude) -> None:
    result = run_claude("hello", Script([text("hi")]))
    assert result.returncode == 0, result.describe()
    sent = json.dumps(result.body(0))
    for path in sorted((REPO_ROOT / "agents").glob("*.md")):
        head = path.read_text(encoding="utf-8").split("\n---\n", 1)[0]
        [line] = [line for line in head.splitlines() if line.startswith("description: ")]
        description = json.loads(line.removeprefix("description: "))
        assert f"workflow:{path.stem}" in sent
        assert json.dumps(description)[1:-1] in sent, path.name
    assert "<example>" not in sent
