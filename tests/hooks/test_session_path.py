"""SessionStart puts `specrail` on the session's PATH, and nothing else of the plugin's venv."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from specrail import __version__, bootstrap
from tests.support.hooks import Hook

PLUGIN_TOOLS = ("python3", "pip", "pip3", "pytest", "ruff")


def full_venv(data: Path) -> None:
    """Give the fake venv what a real one holds besides `python`: `python3`, `pip`, tools of its
    dependencies, and the stamp of a finished install of this version."""
    bin_dir = data / "venv" / "bin"
    for name in PLUGIN_TOOLS:
        (bin_dir / name).symlink_to(os.path.realpath(sys.executable))
    (data / "venv" / bootstrap.STAMP).write_text(__version__ + "\n", encoding="utf-8")


def session_shell(env_file: Path, script: str, path: str) -> list[str]:
    """Run `script` in a shell set up as the client sets up a Bash tool call: the env file sourced."""
    env = {**os.environ, "PATH": path}
    proc = subprocess.run(
        ["/bin/sh", "-c", f'. "{env_file}"; {script}'], capture_output=True, text=True, env=env, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.splitlines()


def test_only_specrail_reaches_the_session_path(
    hook: Hook, plugin_data: Path, work: Path, tmp_path: Path
) -> None:
    full_venv(plugin_data)
    env_file = tmp_path / "session-env.sh"
    run = hook("SessionStart", "session-start-startup", CLAUDE_ENV_FILE=str(env_file))
    assert (run.code, run.out, run.err) == (0, "", "")

    project_python = tmp_path / "project-bin"
    project_python.mkdir()
    (project_python / "python3").symlink_to(os.path.realpath(sys.executable))
    path = f"{project_python}:/usr/bin:/bin"
    found = session_shell(
        env_file,
        "command -v specrail; command -v python3; command -v pip || echo none; specrail --version",
        path,
    )
    assert found[0] == str(plugin_data / bootstrap.PATH_DIR / "specrail")
    assert found[1] == str(project_python / "python3"), "the plugin's python must not shadow the project's"
    assert not found[2].startswith(str(plugin_data)), found[2]
    assert found[3] == f"specrail, version {__version__}"
    assert sorted(p.name for p in (plugin_data / bootstrap.PATH_DIR).iterdir()) == ["specrail"]


def test_windows_launcher_folder_holds_the_cmd_and_the_sh_launcher(tmp_path: Path) -> None:
    bootstrap.write_launchers(str(tmp_path), windows=True)
    assert sorted(p.name for p in (tmp_path / bootstrap.PATH_DIR).iterdir()) == ["specrail", "specrail.cmd"]
    data = r"C:\Users\Ada Lovelace\.claude\plugins\data\workflow-specrail"
    line = bootstrap.export_line(data, windows=True)
    assert (
        line == "export PATH='/c/Users/Ada Lovelace/.claude/plugins/data/workflow-specrail/path':\"$PATH\"\n"
    )
    assert "venv" not in line


def test_a_stale_launcher_is_rewritten(hook: Hook, plugin_data: Path, tmp_path: Path) -> None:
    full_venv(plugin_data)
    folder = plugin_data / bootstrap.PATH_DIR
    folder.mkdir()
    (folder / "specrail").write_text("#!/bin/sh\necho old\n", encoding="utf-8")
    env_file = tmp_path / "session-env.sh"
    assert hook("SessionStart", "session-start-startup", CLAUDE_ENV_FILE=str(env_file)).code == 0
    assert (folder / "specrail").read_text(encoding="utf-8") == bootstrap.launcher(str(plugin_data))[
        "specrail"
    ]
