"""A user's install with the real client: the repository's marketplace, `claude plugin install`, then
the first session start building specrail from the installed copy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from specrail import __version__
from tests.core.test_distribution import clone_of
from tests.e2e.stand_in import Script, text, tool, tool_results

if TYPE_CHECKING:
    from tests.support.claude import RunClaude

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]

MAX_INSTALL_BYTES = 10 * 1024 * 1024
STREAM = ["--output-format", "stream-json", "--verbose"]  # hook responses are events of the stream


def session_start_answers(stdout: str) -> list[dict[str, Any]]:
    """The JSON answers of the SessionStart hooks, from the client's event stream."""
    events = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    return [
        json.loads(e["stdout"])
        for e in events
        if e.get("subtype") == "hook_response" and e.get("hook_event") == "SessionStart" and e.get("stdout")
    ]


def size(folder: Path) -> int:
    return sum(p.lstat().st_size for p in folder.rglob("*") if not p.is_dir())


def client(claude: Path, home: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAUDE", "ANTHROPIC"))}
    env.update(HOME=str(home), CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC="1", DISABLE_AUTOUPDATER="1")
    env.update(DISABLE_TELEMETRY="1", CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL="1")
    proc = subprocess.run(
        [str(claude), "plugin", *args], env=env, capture_output=True, text=True, timeout=120, cwd=home
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc.stdout


def test_marketplace_install_is_small_and_the_first_start_builds_specrail(
    claude_bin: Path, run_claude: RunClaude, tmp_path: Path
) -> None:
    clone = clone_of(REPO_ROOT, tmp_path / "clone")
    # A user who followed the README's first command has built the package in the clone.
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            ".",
        ],
        cwd=clone,
        check=True,
        capture_output=True,
    )
    home = tmp_path / "home"
    home.mkdir()
    client(claude_bin, home, "marketplace", "add", str(clone))
    client(claude_bin, home, "install", "workflow@specrail")
    cache = home / ".claude" / "plugins" / "cache"
    [installed] = [p.parent.parent for p in cache.rglob(".claude-plugin/plugin.json")]
    print(f"installed plugin: {size(installed) / 1e6:.2f} MB in {installed}")
    assert size(home / ".claude") < MAX_INSTALL_BYTES
    assert not list(home.rglob("node_modules")), "the install ran npm"
    assert not list(installed.glob("build")) and not list(installed.rglob("*.egg-info"))
    assert (installed / "scripts" / "specrail" / "examples" / "synthesis").is_dir()

    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "python3").symlink_to(os.path.realpath(sys.executable))
    path = os.pathsep.join([str(tools), "/usr/bin", "/bin"])  # no specrail on it: the venv must provide it
    script = Script(
        [
            tool("Bash", {"command": "command -v specrail && specrail --version", "description": "Which"}),
            lambda body: text("saw: " + tool_results(body)[0]["text"]),
        ]
    )
    first = run_claude(
        "Which specrail?",
        script,
        plugin_dir=None,
        extra_env={"PATH": path, "HOME": str(home)},
        extra_args=STREAM,
        timeout=600,
    )
    print(f"first start and two turns: {first.duration:.1f} s")
    assert first.returncode == 0, first.describe()
    [answer] = first.tool_results(1)
    where, version = answer["text"].strip().splitlines()
    assert Path(where).is_relative_to(home / ".claude" / "plugins" / "data"), where
    assert version == f"specrail, version {__version__}"
    assert not list(installed.rglob("__pycache__")), "the first start wrote into the plugin's cache folder"
    [started] = session_start_answers(first.stdout)
    venv_bin = Path(where).parent
    assert started["systemMessage"] == f"workflow plugin: installed specrail {__version__} in {venv_bin}."


def test_an_offline_first_start_says_why_and_what_to_do(run_claude: RunClaude, tmp_path: Path) -> None:
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "python3").symlink_to(os.path.realpath(sys.executable))
    (tmp_path / "no-wheels").mkdir()
    offline = {
        "PATH": os.pathsep.join([str(tools), "/usr/bin", "/bin"]),
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": str(tmp_path / "no-wheels"),
        "PIP_CONFIG_FILE": os.devnull,
    }
    result = run_claude("Hello", Script([text("hi")]), extra_env=offline, extra_args=STREAM, timeout=300)
    assert result.returncode == 0, result.describe()
    [answer] = session_start_answers(result.stdout)
    message = answer["systemMessage"]
    assert "ERROR: Could not find a version that satisfies the requirement pydantic" in message, message
    assert "See above" not in message and "PIP_FIND_LINKS" in message and "PIP_INDEX_URL" in message
    assert "`specrail` is not installed" in result.user_text(0)  # the model knows the commands cannot run
