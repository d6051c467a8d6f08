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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CAPTURED_CWD = "/tmp/specrail-capture/work"
PLUGIN_PARTS = (".claude-plugin", "hooks", "scripts/specrail", "pyproject.toml", "README.md", "LICENSE")
EVENTS = {"PostToolUse": "post-tool-use", "PreToolUse": "pre-tool-use", "SessionStart": "session-start"}


@dataclass
class HookRun:
    code: int
    out: str
    err: str

    def json(self) -> dict[str, Any]:
        return dict(json.loads(self.out))


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


@pytest.fixture(scope="session")
def plugin_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the plugin in a cache-like folder: `.../cache/specrail/workflow/<hash>`."""
    cache = tmp_path_factory.mktemp("plugins") / "cache" / "specrail" / "workflow"
    return copy_plugin(cache / "5f0c3a9e1d2b")


def fake_venv(data: Path) -> Path:
    """A plugin data folder whose `venv/bin/python` is this interpreter (which has the dependencies)."""
    bin_dir = data / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    (bin_dir / "python").symlink_to(os.path.realpath(sys.executable))
    return data


@pytest.fixture
def plugin_data(tmp_path: Path) -> Path:
    return fake_venv(tmp_path / "plugin-data")


@pytest.fixture
def work(tmp_path: Path) -> Path:
    folder = tmp_path / "work"
    folder.mkdir()
    return folder


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
) -> HookRun:
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
    return HookRun(proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def payload(name: str, work: Path) -> dict[str, Any]:
    """A captured payload with its paths moved from the capture's work folder to `work`."""
    text = (FIXTURES / f"{name}.json").read_text(encoding="utf-8")
    return dict(json.loads(text.replace(CAPTURED_CWD, str(work))))


Hook = Callable[..., HookRun]


@pytest.fixture
def hook(plugin_root: Path, plugin_data: Path, work: Path) -> Hook:
    """`hook(event, payload_or_fixture_name, **env)` run against the copied plugin in `work`."""

    def run(event: str, stdin: bytes | str | dict[str, Any], **env: str) -> HookRun:
        if isinstance(stdin, str) and (FIXTURES / f"{stdin}.json").exists():
            stdin = payload(stdin, work)
        return run_hook(event, stdin, plugin_root, plugin_data, work, **env)

    return run
