"""Run the plugin's hooks as the client does: `/bin/sh -c <command from hooks.json>`, payload on stdin.

The hooks run from a copy of the plugin in a folder with a hash-like name (the client installs
plugins into a cache folder named after a version or commit), with their own CLAUDE_PLUGIN_DATA.
Payloads are the stdin JSON captured from the pinned client (fixtures/), moved into the test's
work folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.support.cli import REPO, Result

FIXTURES = REPO / "tests" / "hooks" / "fixtures"
CAPTURED_CWD = "/tmp/specrail-capture/work"
PLUGIN_PARTS = (".claude-plugin", "hooks", "scripts/specrail", "pyproject.toml", "README.md", "LICENSE")
EVENTS = {"PostToolUse": "post-tool-use", "PreToolUse": "pre-tool-use", "SessionStart": "session-start"}


def copy_plugin(dest: Path) -> Path:
    """The plugin's files that a user's install holds, copied into `dest`."""
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for part in PLUGIN_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=ignore)
        elif src.is_file():
            (dest / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / part)
    return dest


def fake_venv(data: Path) -> Path:
    """A plugin data folder whose `venv/bin/python` is this interpreter (which has the dependencies)."""
    bin_dir = data / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(os.path.realpath(sys.executable))
    return data


def command(event: str) -> str:
    hooks = json.loads((REPO / "hooks" / "hooks.json").read_text(encoding="utf-8"))
    return str(hooks["hooks"][event][0]["hooks"][0]["command"])


def bin_with_python(tmp: Path) -> str:
    """A PATH whose only `python3` is this interpreter, with no `specrail` on it (so a venv is built)."""
    folder = tmp / "python-only-bin"
    folder.mkdir(exist_ok=True)
    if not (folder / "python3").exists():
        (folder / "python3").symlink_to(os.path.realpath(sys.executable))
    return f"{folder}:/usr/bin:/bin"


def hook_env(root: Path, data: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUDE")}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", os.defpath)])
    env.update(CLAUDE_PLUGIN_ROOT=str(root), CLAUDE_PLUGIN_DATA=str(data), **extra)
    return env


def run_hook(
    event: str, stdin: bytes | str | dict[str, Any], root: Path, data: Path, cwd: Path, **env: str
) -> Result:
    """Run the `event` hook of hooks.json exactly as the client does."""
    raw = json.dumps(stdin) if isinstance(stdin, dict) else stdin
    proc = subprocess.run(
        ["/bin/sh", "-c", command(event)],
        input=raw.encode() if isinstance(raw, str) else raw,
        capture_output=True,
        env=hook_env(root, data, **env),
        cwd=cwd,
        timeout=600,
    )
    return Result(proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def payload(name: str, work: Path) -> dict[str, Any]:
    """A captured payload with its paths moved from the capture's work folder to `work`."""
    text = (FIXTURES / f"{name}.json").read_text(encoding="utf-8")
    return dict(json.loads(text.replace(CAPTURED_CWD, str(work))))


Hook = Callable[..., Result]


def denial(run: Result) -> str:
    """The reason of a PreToolUse hook's denial (fails unless the hook denied)."""
    assert run.code == 0, run
    output = run.json["hookSpecificOutput"]
    assert output["hookEventName"] == "PreToolUse"
    assert output["permissionDecision"] == "deny", output
    return str(output["permissionDecisionReason"])


def write_session(folder: Path, data: dict[str, Any]) -> None:
    """`data` as FOLDER/workflow-session.json (the folder created as needed), as a clone could plant it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "workflow-session.json").write_text(json.dumps(data), encoding="utf-8")
