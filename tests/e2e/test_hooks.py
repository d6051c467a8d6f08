"""The plugin's hooks in the real client: where they start, denying, blocking, resuming and bootstrapping."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from specrail import __version__
from tests.core.samples import feature_index, synthesis_session
from tests.e2e.stand_in import Script, feedback_text, text, tool, tool_results

if TYPE_CHECKING:
    from tests.support.claude import RunClaude

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]

SESSION = ".workflow/active/WFS-demo"
INDEX = f"{SESSION}/.brainstorming/feature-index.json"


def index_with_specs(work: Path) -> dict[str, Any]:
    """A valid feature index for WFS-demo; its spec files exist in `work`."""
    data = feature_index()
    for feature in data["features"]:
        spec = work / SESSION / ".brainstorming" / feature["spec_path"]
        spec.parent.mkdir(parents=True, exist_ok=True)
        spec.write_text("# spec\n", encoding="utf-8")
    return data


def start_synthesis(work: Path, state: str = "DISCOVERED") -> None:
    data = synthesis_session()
    data["state"] = state
    path = work / SESSION / "workflow-session.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_invalid_feature_index_is_denied_and_the_model_reads_why(
    run_claude: RunClaude, tmp_path: Path
) -> None:
    work = tmp_path / "work"
    start_synthesis(work)
    data = index_with_specs(work)
    before = json.dumps(data, indent=2)
    (work / INDEX).write_text(before, encoding="utf-8")
    data["features"][0]["id"] = "F1"
    write = tool("Write", {"file_path": str(work / INDEX), "content": json.dumps(data, indent=2)})
    result = run_claude("Write the feature index", Script([write, text("seen")]), cwd=work)
    assert result.returncode == 0, result.describe()
    [denied] = result.tool_results(1)
    assert denied["is_error"], denied
    assert (
        f"specrail: {INDEX} would not be a valid feature-index, so this Write was refused" in denied["text"]
    )
    assert "- /features/0/id: 'F1' is not a feature id like F-001" in denied["text"]
    assert "fix: use a feature id like F-001" in denied["text"]
    assert (work / INDEX).read_text(encoding="utf-8") == before


def test_an_edit_that_breaks_the_feature_index_is_denied(run_claude: RunClaude, tmp_path: Path) -> None:
    work = tmp_path / "work"
    start_synthesis(work)
    before = json.dumps(index_with_specs(work), indent=2)
    (work / INDEX).write_text(before, encoding="utf-8")
    change = {"old_string": '"slug": "', "new_string": '"slug": "X', "replace_all": True}
    script = Script(
        [
            tool("Read", {"file_path": str(work / INDEX)}),
            tool("Edit", {"file_path": str(work / INDEX), **change}),
            text("seen"),
        ]
    )
    result = run_claude("Tidy the feature index", script, cwd=work)
    assert result.returncode == 0, result.describe()
    [denied] = result.tool_results(2)
    assert denied["is_error"], denied
    assert "so this Edit was refused; the file is unchanged" in denied["text"]
    assert "- /features/0/slug: 'Xoffline-sync' is not " in denied["text"]
    assert "- /features/1/slug: 'Xsharing' is not " in denied["text"]
    assert (work / INDEX).read_text(encoding="utf-8") == before


def test_valid_feature_index_passes(run_claude: RunClaude, tmp_path: Path) -> None:
    work = tmp_path / "work"
    start_synthesis(work)
    content = json.dumps(index_with_specs(work), indent=2)
    write = tool("Write", {"file_path": str(work / INDEX), "content": content})
    result = run_claude("Write the feature index", Script([write, text("seen")]), cwd=work)
    assert result.returncode == 0, result.describe()
    assert "hook" not in result.feedback(1).lower()
    assert not result.tool_results(1)[0]["is_error"]
    assert (work / INDEX).read_text(encoding="utf-8") == content


def test_invalid_markdown_artifact_is_blocked_after_the_write(run_claude: RunClaude, tmp_path: Path) -> None:
    work = tmp_path / "work"
    start_synthesis(work)
    changelog = work / SESSION / ".brainstorming" / "synthesis-changelog.md"
    write = tool("Write", {"file_path": str(changelog), "content": "# Synthesis Changelog\n\nNothing yet.\n"})
    result = run_claude("Start the changelog", Script([write, text("seen")]), cwd=work)
    assert result.returncode == 0, result.describe()
    feedback = result.feedback(1)
    assert (
        f"specrail: {SESSION}/.brainstorming/synthesis-changelog.md is not a valid synthesis-changelog"
        in feedback
    )
    assert "- section 'Enhancements Applied': section missing" in feedback
    assert changelog.is_file()


def recording_plugin(root: Path, marks: Path) -> Path:
    """A copy of the plugin whose hook commands first save their payload in `marks`, `if` fields kept."""
    shutil.copytree(
        REPO_ROOT, root, ignore=shutil.ignore_patterns(".git", "tests", "__pycache__", "*.egg-info")
    )
    hooks_json = root / "hooks" / "hooks.json"
    hooks = json.loads(hooks_json.read_text(encoding="utf-8"))
    for event in ("PreToolUse", "PostToolUse"):
        for group in hooks["hooks"][event]:
            if group["matcher"] == "AskUserQuestion":  # no file: starts on the user's answers only
                continue
            for handler in group["hooks"]:
                assert handler["if"].endswith(("/**)", "/**/*.md)")), handler
                handler["command"] = f'tee "{marks}/$$.json" | {{ {handler["command"]}; }}'
    hooks_json.write_text(json.dumps(hooks), encoding="utf-8")
    return root


def test_hooks_start_only_for_files_in_a_workflow_tree(run_claude: RunClaude, tmp_path: Path) -> None:
    work, marks = tmp_path / "work", tmp_path / "marks"
    marks.mkdir()
    start_synthesis(work)
    (work / "src").mkdir()
    (work / "docs").mkdir()
    tree_file = work / SESSION / ".brainstorming" / "notes.md"
    calls = [
        tool("Write", {"file_path": str(work / "src" / "a.py"), "content": "x = 1\n"}),
        tool("Write", {"file_path": str(work / "docs" / "review-report.md"), "content": "# Review\n"}),
        tool("Write", {"file_path": str(tree_file), "content": "notes\n"}),
        tool("Edit", {"file_path": str(tree_file), "old_string": "notes", "new_string": "more notes"}),
    ]
    plugin = recording_plugin(tmp_path / "plugin", marks)
    result = run_claude("Write files", Script([*calls, text("done")]), cwd=work, plugin_dir=plugin)
    assert result.returncode == 0, result.describe()
    assert (work / "src" / "a.py").is_file() and (work / "docs" / "review-report.md").is_file()
    started = sorted(
        (d["hook_event_name"], d["tool_name"], d["tool_input"]["file_path"])
        for d in (json.loads(f.read_text(encoding="utf-8")) for f in marks.iterdir())
    )
    assert started == [
        ("PostToolUse", "Edit", str(tree_file)),
        ("PostToolUse", "Write", str(tree_file)),
        ("PreToolUse", "Edit", str(tree_file)),
        ("PreToolUse", "Write", str(tree_file)),
    ]


def test_edit_of_a_role_analysis_during_synthesis_is_denied(run_claude: RunClaude, tmp_path: Path) -> None:
    work = tmp_path / "work"
    analysis = work / SESSION / ".brainstorming" / "ux-expert" / "analysis.md"
    analysis.parent.mkdir(parents=True)
    analysis.write_text("# UX analysis\n\nOffline first.\n", encoding="utf-8")
    start_synthesis(work)
    change = {"old_string": "Offline first.", "new_string": "Online only."}
    edit = tool("Edit", {"file_path": str(analysis), **change})
    result = run_claude("Tidy the analysis", Script([edit, text("seen")]), cwd=work)
    assert result.returncode == 0, result.describe()
    [denied] = result.tool_results(1)
    assert denied["is_error"], denied
    assert "analysis.md is a role analysis of WFS-demo" in denied["text"]
    assert "is running (state DISCOVERED)" in denied["text"]
    assert analysis.read_text(encoding="utf-8") == "# UX analysis\n\nOffline first.\n"


def test_a_resumed_session_gets_the_resume_context(run_claude: RunClaude, tmp_path: Path) -> None:
    work, home = tmp_path / "work", tmp_path / "home"
    work.mkdir()
    home.mkdir()
    first = run_claude("Hello", Script([text("hi")]), cwd=work, extra_env={"HOME": str(home)})
    assert first.returncode == 0, first.describe()
    assert "Active workflow sessions" not in first.user_text(0)
    start_synthesis(work, "CLARIFIED")
    resumed = run_claude(
        "Where were we?",
        Script([text("back")]),
        cwd=work,
        extra_env={"HOME": str(home)},
        extra_args=["--continue"],
    )
    assert resumed.returncode == 0, resumed.describe()
    sent = resumed.user_text(0)
    assert "Hello" in sent, "not a continued conversation"
    assert "Active workflow sessions" in sent
    assert "- synthesis WFS-demo: CLARIFIED" in sent
    assert "`specrail synthesis spec-input --session WFS-demo --json`" in sent


def test_specrail_runs_through_bash_after_bootstrapping_an_empty_plugin_data(
    run_claude: RunClaude, tmp_path: Path
) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "python3").symlink_to(os.path.realpath(sys.executable))
    path = os.pathsep.join([str(tools), "/usr/bin", "/bin"])  # no specrail on it: the venv must provide it
    script = Script(
        [
            tool(
                "Bash",
                {
                    "command": "command -v specrail && specrail --version && command -v python3",
                    "description": "Which",
                },
            ),
            lambda body: text("saw: " + tool_results(body)[0]["text"]),
        ]
    )
    result = run_claude("Which specrail?", script, extra_env={"PATH": path}, timeout=600)
    assert result.returncode == 0, result.describe()
    [answer] = result.tool_results(1)
    assert not answer["is_error"], answer
    where, version, python = answer["text"].strip().splitlines()
    data = result.home / ".claude" / "plugins" / "data"
    assert Path(where).is_relative_to(data) and where.endswith("/path/specrail")
    assert python == str(tools / "python3"), "the plugin venv's python must not shadow the project's"
    assert version == f"specrail, version {__version__}"
    assert "installed specrail" not in feedback_text(result.body(0))  # the install note is for the user only
