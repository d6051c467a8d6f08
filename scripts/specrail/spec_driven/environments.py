"""How the project's own tools start: its interpreter or runner, found from its own files.

The workflow runs the project's checks in the project's environment, never in the plugin's:

- Python: `$VIRTUAL_ENV`, else `.venv/` or `venv/` at the root (POSIX `bin/python` or Windows
  `Scripts/python.exe`), else the project's runner after its lock file or configuration (`uv run`,
  `poetry run`, `pdm run`, `hatch run`), else `python3`.
- Node: the package manager after the lock file (`packageManager` in package.json first); tools the
  project installed in `node_modules/.bin`.

Every choice carries the reason shown to the user by `init` (JSON and text).
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

POSIX_PYTHON = ("bin", "python")
WINDOWS_PYTHON = ("Scripts", "python.exe")
# Lock files, newest convention first within each tool; the first one found names the manager.
NODE_LOCKS = (
    ("pnpm-lock.yaml", "pnpm"),
    ("yarn.lock", "yarn"),
    ("bun.lock", "bun"),
    ("bun.lockb", "bun"),
    ("package-lock.json", "npm"),
    ("npm-shrinkwrap.json", "npm"),
)
NODE_MANAGERS = ("npm", "yarn", "pnpm", "bun")


@dataclass(frozen=True)
class Launch:
    """The words that start the project's tool (`.venv/bin/python`, `uv run --frozen python`, `pnpm`),
    and why they were chosen."""

    ecosystem: str
    run: str
    why: str

    def as_json(self) -> dict[str, str]:
        return {"ecosystem": self.ecosystem, "run": self.run, "why": self.why}


def _venv_python(folder: Path) -> Path | None:
    for parts in (POSIX_PYTHON, WINDOWS_PYTHON):
        candidate = folder.joinpath(*parts)
        if candidate.is_file():
            return candidate
    return None


def _spelled(root: Path, path: Path) -> str:
    """`path` as the command line spells it: relative to the root when inside it, quoted when needed."""
    try:
        text = path.relative_to(root).as_posix()
    except ValueError:
        text = str(path)
    return shlex.quote(text)


def python(root: Path, pyproject: Mapping[str, Any], env: Mapping[str, str] | None = None) -> Launch:
    """The project's Python interpreter (or runner), and why."""
    env = os.environ if env is None else env
    active = env.get("VIRTUAL_ENV", "")
    if active and os.path.isabs(active):
        found = _venv_python(Path(active))
        if found:
            return Launch("python", _spelled(root, found), f"$VIRTUAL_ENV is set ({active})")
    for name in (".venv", "venv"):
        found = _venv_python(root / name)
        if found:
            return Launch("python", _spelled(root, found), f"the project's virtual environment {name}/")
    tool = pyproject.get("tool")
    hatch = tool.get("hatch") if isinstance(tool, dict) else None
    if (root / "uv.lock").is_file():
        return Launch("python", "uv run --frozen python", "uv.lock at the root: uv runs the project")
    if (root / "poetry.lock").is_file():
        return Launch("python", "poetry run python", "poetry.lock at the root: poetry runs the project")
    if (root / "pdm.lock").is_file():
        return Launch("python", "pdm run python", "pdm.lock at the root: pdm runs the project")
    if (root / "hatch.toml").is_file() or (isinstance(hatch, dict) and "envs" in hatch):
        return Launch("python", "hatch run python", "hatch environments configured: hatch runs the project")
    return Launch("python", "python3", "no virtual environment, $VIRTUAL_ENV or project runner found")


def node(root: Path, package: Mapping[str, Any]) -> Launch:
    """The project's package manager, and why."""
    declared = package.get("packageManager")
    if isinstance(declared, str):
        name = re.split(r"[@+]", declared.strip(), maxsplit=1)[0]
        if name in NODE_MANAGERS:
            return Launch("node", name, f"package.json packageManager {declared!r}")
    for lock, manager in NODE_LOCKS:
        if (root / lock).is_file():
            return Launch("node", manager, f"{lock} at the root")
    return Launch("node", "npm", "no lock file: npm, the default")


def node_tool(root: Path, name: str) -> str | None:
    """`node_modules/.bin/NAME` when the project installed that tool, else None."""
    path = root / "node_modules" / ".bin" / name
    return f"node_modules/.bin/{name}" if path.is_file() else None
