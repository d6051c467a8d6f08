"""Where the hooks act: inside a workflow tree, decided on the file's real path.

A workflow tree is a session folder, `.workflow/active/WFS-*/` or `specs/meta/sessions/*/`, that
holds a `workflow-session.json`. The plugin runs in every project its user opens: anywhere else the
hooks are silent. hooks.json says the same with `if` fields so that a client that knows them starts
no process at all; this module decides for the clients that do not, and on the real path: relative
to the payload's `cwd`, `..` resolved, symlinks followed. Fast on purpose: `posix` only (already
loaded), `os` imported only when the path holds `.`, `..` or a symlink.
"""

from __future__ import annotations

import posix

SESSION_FILE = "workflow-session.json"
SPEC_DRIVEN_TREE = ("specs", "meta", "sessions")
_S_IFMT, _S_IFLNK = 0o170000, 0o120000


def _plain(path: str) -> bool:
    """True when absolute `path` has no `.`, `..` or empty segment and no symlink along it."""
    parts = path.split("/")[1:]
    if "" in parts or "." in parts or ".." in parts:
        return False
    prefix = ""
    for part in parts:
        prefix += "/" + part
        try:
            mode = posix.lstat(prefix).st_mode
        except FileNotFoundError:
            return True  # nothing below a missing folder can be a link
        except OSError:
            return False
        if mode & _S_IFMT == _S_IFLNK:
            return False
    return True


def real_path(path: str, cwd: str | None) -> str | None:
    """`path` (relative to `cwd` unless absolute) made absolute and resolved; None without a base."""
    if "\x00" in path:
        return None
    if not path.startswith("/"):
        if not cwd or not cwd.startswith("/"):
            return None
        path = cwd.rstrip("/") + "/" + path
    if _plain(path):
        return path
    import os

    return os.path.realpath(path)


def workflow_tree(real: str) -> str | None:
    """The session folder holding `real` (strictly below it) when its session file exists, else None."""
    parts = real.split("/")
    for i in range(len(parts) - 2, 2, -1):
        synthesis = parts[i].startswith("WFS-") and parts[i - 2 : i] == [".workflow", "active"]
        spec_driven = i >= 4 and tuple(parts[i - 3 : i]) == SPEC_DRIVEN_TREE
        if synthesis or spec_driven:
            folder = "/".join(parts[: i + 1])
            try:
                posix.stat(folder + "/" + SESSION_FILE)
            except (OSError, ValueError):
                continue
            return folder
    return None


def new_session_file(real: str) -> bool:
    """Whether `real` is the place of a session's `workflow-session.json` (in either tree)."""
    parts = real.split("/")
    if len(parts) < 5 or parts[-1] != SESSION_FILE:
        return False
    synthesis = parts[-2].startswith("WFS-") and parts[-4:-2] == [".workflow", "active"]
    return synthesis or (len(parts) >= 6 and tuple(parts[-5:-2]) == SPEC_DRIVEN_TREE)


def locate(path: str, cwd: str | None) -> tuple[str, str] | None:
    """(real path, session folder) when `path` is inside a workflow tree, else None."""
    real = real_path(path, cwd)
    if real is None or ("/.workflow/active/WFS-" not in real and "/specs/meta/sessions/" not in real):
        return None
    tree = workflow_tree(real)
    return (real, tree) if tree else None
