"""Find a Python interpreter a test needs (an older one, one without a package) on this machine.

Looks on PATH, in the usual system folders and beside the running interpreter's installation
(where pyenv, asdf or uv keep other versions), so no test names one machine's paths; a test that
finds none skips and says what it needed.
"""

from __future__ import annotations

import functools
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

NAME = re.compile(r"python3(\.\d+)?")
PROBE = (
    "import importlib.util, sys; "
    "print(sys.version_info[0], sys.version_info[1], "
    "importlib.util.find_spec('jsonschema') is not None)"
)


@dataclass(frozen=True)
class Interpreter:
    path: Path
    version: tuple[int, int]
    has_jsonschema: bool


def _folders() -> list[Path]:
    folders = [Path(p) for p in os.environ.get("PATH", os.defpath).split(os.pathsep) if p]
    folders += [Path("/usr/local/bin"), Path("/usr/bin")]
    installs = Path(sys.base_prefix).parent  # e.g. a version manager's versions/ folder
    folders += sorted(installs.glob("*/bin"))
    return folders


@functools.cache
def interpreters() -> tuple[Interpreter, ...]:
    """Every distinct Python 3 interpreter found that runs, newest first."""
    seen: set[str] = set()
    found: list[Interpreter] = []
    for folder in _folders():
        if "shims" in folder.parts or not folder.is_dir():
            continue  # a shim runs whatever version is selected, not the one it is named after
        for candidate in sorted(folder.iterdir()):
            if not NAME.fullmatch(candidate.name) or not os.access(candidate, os.X_OK):
                continue
            real = os.path.realpath(candidate)
            if real in seen:
                continue
            seen.add(real)
            env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
            try:
                proc = subprocess.run(
                    [str(candidate), "-c", PROBE], capture_output=True, text=True, timeout=20, env=env
                )
            except OSError:
                continue
            parts = proc.stdout.split()
            if proc.returncode != 0 or len(parts) != 3:
                continue
            found.append(Interpreter(candidate, (int(parts[0]), int(parts[1])), parts[2] == "True"))
    return tuple(sorted(found, key=lambda i: i.version, reverse=True))


def find_python(wanted: Callable[[Interpreter], bool]) -> Interpreter | None:
    """The newest interpreter found for which `wanted` holds, or None."""
    return next((i for i in interpreters() if wanted(i)), None)
