"""The real Claude Code CLI loads the plugin, expands its commands and reaches the specrail package."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.e2e.stand_in import END_OF_SCRIPT, Script, text, tool, tool_results

if TYPE_CHECKING:
    from tests.support.claude import RunClaude, RunResult

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]


def command_body(name: str) -> str:
    """The body of ``commands/<name>.md`` without its front matter."""
    source = (REPO_ROOT / "commands" / f"{name}.md").read_text(encoding="utf-8")
    match = re.match(r"\A---\n.*?\n---\n", source, re.DOTALL)
    return source[match.end() :] if match else source


def assert_command_expanded(result: RunResult, name: str, arguments: str) -> None:
    """The first main-loop request carries the command body with ``$ARGUMENTS`` substituted."""
    assert result.returncode == 0, result.describe()
    sent = result.user_text(0)
    assert f"<command-name>/workflow:{name}</command-name>" in sent
    assert f"<command-args>{arguments}</command-args>" in sent
    lines = [line for line in command_body(name).splitlines() if line.strip()]
    with_args = [line for line in lines if "$ARGUMENTS" in line]
    assert with_args, f"commands/{name}.md does not use $ARGUMENTS"
    for line in with_args:
        assert line.replace("$ARGUMENTS", arguments) in sent, line
    for line in lines:
        if "$" not in line and "!`" not in line:
            assert line in sent, f"command body line not sent to the model: {line!r}"
    assert "$ARGUMENTS" not in sent
    assert "argument-hint:" not in sent


def test_synthesis_command_expands(run_claude: RunClaude) -> None:
    result = run_claude("/workflow:synthesis --session WFS-demo -y", [text("ok")])
    assert_command_expanded(result, "synthesis", "--session WFS-demo -y")
    assert result.json["result"] == "ok"


def test_spec_driven_command_expands(run_claude: RunClaude) -> None:
    result = run_claude("/workflow:spec-driven add dark mode --skip-alignment", [text("ok")])
    assert_command_expanded(result, "spec-driven", "add dark mode --skip-alignment")


def test_specrail_version_through_bash_tool(run_claude: RunClaude) -> None:
    version = subprocess.run(
        [sys.executable, "-c", "import specrail; print(specrail.__version__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    script = Script(
        [
            tool("Bash", {"command": "specrail --version", "description": "Show the specrail version"}),
            lambda body: text("model saw: " + tool_results(body)[0]["text"]),
        ]
    )
    result = run_claude("What specrail version is installed?", script)
    assert result.returncode == 0, result.describe()
    assert script.remaining == 0
    assert len(result.main) == 2, result.describe()
    results = result.tool_results(1)
    assert len(results) == 1, results
    assert not results[0]["is_error"], results[0]
    assert version in results[0]["text"], results[0]
    assert result.json["result"] == "model saw: " + results[0]["text"]


def write_blocking_hook_plugin(root: Path) -> Path:
    """A throwaway plugin whose PostToolUse hook on Write exits 2 with two stderr lines."""
    (root / ".claude-plugin").mkdir(parents=True)
    (root / ".claude-plugin" / "plugin.json").write_text(json.dumps({"name": "probe", "version": "0.0.0"}))
    hook = root / "hooks" / "block.sh"
    hook.parent.mkdir()
    hook.write_text(
        "#!/bin/sh\ncat >/dev/null\necho 'first problem' >&2\necho 'second problem' >&2\nexit 2\n"
    )
    hook.chmod(0o755)
    hooks = {
        "hooks": {
            "PostToolUse": [
                {
                    "matcher": "Write",
                    "hooks": [{"type": "command", "command": "${CLAUDE_PLUGIN_ROOT}/hooks/block.sh"}],
                }
            ],
            "Stop": [{"hooks": [{"type": "prompt", "prompt": "Is the task complete? $ARGUMENTS"}]}],
        }
    }
    (root / "hooks" / "hooks.json").write_text(json.dumps(hooks))
    return root


def test_blocking_post_tool_use_hook_feedback_shape(run_claude: RunClaude, tmp_path: Path) -> None:
    """Pins the shape documented in stand_in.py; a prompt Stop hook's side query spares the script."""
    plugin = write_blocking_hook_plugin(tmp_path / "probe")
    work = tmp_path / "work"
    work.mkdir()
    script = Script([tool("Write", {"file_path": "out.txt", "content": "hello\n"}), text("done")])
    result = run_claude("write it", script, cwd=work, plugin_dir=plugin)
    assert result.returncode == 0, result.describe()
    assert (work / "out.txt").read_text() == "hello\n"
    body = result.body(1)
    tool_message, hook_message = body["messages"][-2:]
    assert tool_message["role"] == "user"
    assert [r["is_error"] for r in result.tool_results(1)] == [False]
    assert hook_message["role"] == "system"
    command = f"{plugin}/hooks/block.sh"
    expected = (
        f'PostToolUse:Write hook blocking error from command: "{command}": [{command}]: '
        "first problem\nsecond problem\n\nThis hook comes from the probe@inline plugin."
    )
    assert result.feedback(1).endswith(expected), result.feedback(1)
    # The Stop prompt hook ran as a side query, answered without consuming the script.
    assert result.side, result.describe()
    assert all(not r.body.get("tools") for r in result.side)
    assert script.remaining == 0 and len(result.main) == 2
    assert result.json["result"] == "done"
    assert END_OF_SCRIPT not in result.stdout
