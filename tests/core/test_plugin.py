"""The plugin manifest, marketplace and layout, checked by the real Claude Code CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import click

import specrail
from specrail.cli import cli
from tests.support.cli import REPO

CLAUDE = REPO / "tests" / "tools" / "node_modules" / ".bin" / "claude"


def test_claude_plugin_validate_strict_is_clean() -> None:
    assert CLAUDE.exists(), "run `npm ci --prefix tests/tools` first"
    proc = subprocess.run(
        [str(CLAUDE), "plugin", "validate", "--strict", "."],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "Validation passed" in output
    assert "warning" not in output.split("These plugin directory checks")[-1].lower()


def test_ready_for_the_official_plugin_directory() -> None:
    proc = subprocess.run(
        [str(CLAUDE), "plugin", "validate", "--strict", "--profile", "directory", "."],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "pypi.org (declared)" in output
    manifest = json.loads((REPO / ".claude-plugin/plugin.json").read_text())
    icon = (REPO / manifest["icon"]).read_bytes()
    assert icon[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(icon[16:20], "big"), int.from_bytes(icon[20:24], "big")
    assert width == height and 512 <= width <= 2048
    assert (REPO / "LICENSE").is_file() and manifest["license"] == "MIT"


def test_manifest_and_marketplace_agree_with_the_package() -> None:
    manifest = json.loads((REPO / ".claude-plugin/plugin.json").read_text())
    market = json.loads((REPO / ".claude-plugin/marketplace.json").read_text())
    assert manifest["name"] == "workflow"
    assert manifest["version"] == specrail.__version__
    assert isinstance(manifest["author"], dict) and manifest["author"]["name"]
    [entry] = market["plugins"]
    assert (entry["name"], entry["source"], entry["version"]) == ("workflow", "./", specrail.__version__)
    pyproject = (REPO / "pyproject.toml").read_text()
    assert f'version = "{specrail.__version__}"' in pyproject


def _commands(group: click.Group, prefix: str = "") -> list[tuple[str, click.Command]]:
    found = []
    for name, command in group.commands.items():
        path = f"{prefix}{name}"
        found.append((path, command))
        if isinstance(command, click.Group):
            found += _commands(command, path + " ")
    return found


def test_every_command_has_help_with_an_example() -> None:
    for path, command in _commands(cli):
        help_text = command.help or ""
        assert help_text.strip(), f"`specrail {path}` has no help"
        assert "Example" in help_text, f"`specrail {path}` help has no example"


def test_readme_mentions_every_top_level_command() -> None:
    readme = (REPO / "README.md").read_text()
    for name in cli.commands:
        assert f"specrail {name}" in readme, f"README does not mention `specrail {name}`"


def test_shell_completion_documented_in_the_readme_works() -> None:
    env = {**os.environ, "_SPECRAIL_COMPLETE": "bash_source"}
    command = [sys.executable, "-m", "specrail"]
    proc = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert "_SPECRAIL_COMPLETE" not in proc.stderr
    assert "complete" in proc.stdout and "specrail" in proc.stdout
    assert "_SPECRAIL_COMPLETE=bash_source specrail" in (REPO / "README.md").read_text()
