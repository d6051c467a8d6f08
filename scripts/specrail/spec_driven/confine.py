"""Paths read from a session record, confined before any write, copy or delete.

A session record arrives with a clone like any other file: a path in it (`affected_files`,
`backed_up`, `absent_before`, a snapshot's `copy_path`) is used only as a relative path without
`..` whose every component below its base is a real folder or file, never a symbolic link. So
no step of the workflow writes, copies or deletes outside the project (or, for a backup, outside
the session's own backup folder), whatever the record and the tree hold.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from specrail.errors import InvalidInput
from specrail.validation.patterns import REL_PATH_PATTERN


def under(base: Path, raw: str, *, what: str, where: str = "the project") -> Path:
    """`base / raw`, refused (InvalidInput naming `what`) unless `raw` is a relative path without
    `..` and no component of it below `base` is a symbolic link. The last component may be missing."""
    if not isinstance(raw, str) or not re.match(REL_PATH_PATTERN, raw):
        raise InvalidInput(f"{what}: {raw!r} is not a relative path inside {where}; refused", file=str(raw))
    current = base
    for part in PurePosixPath(raw).parts:
        if part in ("", ".", ".."):
            raise InvalidInput(f"{what}: {raw!r} is not a relative path inside {where}; refused", file=raw)
        current = current / part
        if current.is_symlink():
            link = current.relative_to(base).as_posix()
            raise InvalidInput(
                f"{what}: {raw} goes through the symbolic link {link}, which specrail does not follow "
                f"to write, copy or delete; refused, nothing outside {where} was touched",
                file=raw,
            )
    return current


def in_project(root: Path, raw: str, *, what: str) -> Path:
    """`raw` (a path from the session record) under the project's root, confined."""
    return under(root.resolve(), raw, what=what)


def real_folder(base: Path, folder: Path, *, what: str) -> Path:
    """`folder` (below `base`) when no component of it below `base` is a symbolic link."""
    inner = folder.relative_to(base).as_posix()
    return base if inner == "." else under(base, inner, what=what, where=str(base))
