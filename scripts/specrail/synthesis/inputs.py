"""The read-only inputs of a synthesis: role folders, their analysis files, content hashes."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from specrail.errors import IOFailure
from specrail.synthesis.paths import CROSS_CUTTING, SPECS_DIR, SessionPaths, is_role_name

MAX_FILES_PER_ROLE = 5
INDEX_FILE = "analysis.md"
ANALYSIS_NAME = re.compile(r"^analysis(?:-[^/]+)?\.md$")
FEATURE_SUBDOC = re.compile(r"^analysis-(F-[0-9]{3,})-(.+)\.md$")


@dataclass(frozen=True)
class Role:
    """One role folder of `.brainstorming/` holding at least one `analysis*.md`."""

    name: str
    files: tuple[str, ...]  # every analysis file name, analysis.md first, then by name

    @property
    def has_index(self) -> bool:
        return INDEX_FILE in self.files

    @property
    def subdocs(self) -> dict[str, str]:
        """Feature id -> file name of the per-feature analyses (`analysis-F-001-slug.md`)."""
        found: dict[str, str] = {}
        for name in self.files:
            match = FEATURE_SUBDOC.match(name)
            if match:
                found.setdefault(match.group(1), name)
        return found


def capped(role: Role, feature_mode: bool) -> tuple[list[str], list[str]]:
    """The files of `role` given to the agents, and those left out: the cap (the seed's "max 5")
    counts the other analysis files, not analysis.md, analysis-cross-cutting.md or, in feature
    mode, the per-feature analyses that the spec writer reads for each feature."""
    used = {INDEX_FILE, CROSS_CUTTING} | (set(role.subdocs.values()) if feature_mode else set())
    others = [name for name in role.files if name not in used]
    kept = set(others[:MAX_FILES_PER_ROLE])
    return [n for n in role.files if n in used or n in kept], others[MAX_FILES_PER_ROLE:]


def _ordered(names: list[str]) -> tuple[str, ...]:
    return tuple(sorted(names, key=lambda n: (n != INDEX_FILE, n)))


def scan_roles(paths: SessionPaths) -> tuple[list[Role], list[str]]:
    """Role folders with analysis files (sorted by name), and warnings about skipped folders."""
    roles: list[Role] = []
    warnings: list[str] = []
    base = paths.brainstorm_dir
    if not base.is_dir():
        return roles, warnings
    for folder in sorted(base.iterdir()):
        if not folder.is_dir() or folder.name.startswith(".") or folder.name == SPECS_DIR:
            continue
        names = [p.name for p in folder.iterdir() if p.is_file() and ANALYSIS_NAME.match(p.name)]
        if not names:
            continue
        if not is_role_name(folder.name):
            warnings.append(
                f"skipped folder {folder.name!r}: not a role name (lowercase letters, digits, '-')"
            )
            continue
        roles.append(Role(folder.name, _ordered(names)))
    return roles, warnings


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 16), b""):
                digest.update(block)
    except OSError as exc:
        raise IOFailure(f"cannot read: {exc.strerror or exc}", file=str(path)) from None
    return digest.hexdigest()


def input_files(paths: SessionPaths, roles: list[Role]) -> list[Path]:
    """The guidance specification (when present) and every role analysis file."""
    files = [paths.guidance] if paths.guidance.is_file() else []
    files += [paths.brainstorm_dir / role.name / name for role in roles for name in role.files]
    return files


def hashes(paths: SessionPaths, roles: list[Role]) -> dict[str, str]:
    """sha256 of each input, keyed by its path relative to the session folder."""
    return {paths.rel(p): sha256_of(p) for p in input_files(paths, roles)}


def changed_inputs(recorded: dict[str, str], current: dict[str, str]) -> list[str]:
    """One line per input changed, removed or added since the hashes were recorded."""
    lines = [f"{key} changed" for key in recorded if key in current and current[key] != recorded[key]]
    lines += [f"{key} was removed" for key in recorded if key not in current]
    lines += [f"{key} was added" for key in current if key not in recorded]
    return lines


def cross_cutting_specs(roles: list[Role], participating: list[str]) -> list[str]:
    """`{role}/analysis-cross-cutting.md` of each participating role that has one."""
    return [
        f"{r.name}/{CROSS_CUTTING}" for r in roles if r.name in participating and CROSS_CUTTING in r.files
    ]
