"""The few git calls the workflow makes: changed paths, per-path commits, line counts."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence
from pathlib import Path

from specrail.errors import IOFailure

TIMEOUT_S = 60
# Every call: no file-system monitor (a repository's config could name a program to run), paths as
# they are. Commands that can show a diff run without external diff drivers or text conversion.
BASE = ("git", "-c", "core.quotepath=false", "-c", "core.fsmonitor=false")
SHOWS_DIFFS = frozenset({"diff", "show", "log"})


def git_bytes(
    root: Path, *args: str, stdin: bytes = b"", check: bool = True
) -> subprocess.CompletedProcess[bytes]:
    """One git command fed `stdin` (never the caller's own), its output as bytes; IOFailure (exit 2)
    when git cannot run or, with `check`, fails."""
    if args and args[0] in SHOWS_DIFFS:
        args = (args[0], "--no-ext-diff", "--no-textconv", *args[1:])
    try:
        proc = subprocess.run(
            [*BASE, *args],
            cwd=root,
            input=stdin,
            capture_output=True,
            timeout=TIMEOUT_S,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise IOFailure(f"git {_name(args)} failed: {exc}") from None
    if check and proc.returncode != 0:
        message = (proc.stderr or proc.stdout).decode("utf-8", errors="replace").strip().splitlines()
        raise IOFailure(f"git {_name(args)} failed: {message[-1] if message else proc.returncode}")
    return proc


def _name(args: Sequence[str]) -> str:
    return next((a for a in args if not a.startswith("-")), args[0] if args else "")


def git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """One git command, its output as text (UTF-8 whatever the locale; undecodable bytes replaced)."""
    proc = git_bytes(root, *args, check=check)
    return subprocess.CompletedProcess(
        proc.args,
        proc.returncode,
        proc.stdout.decode("utf-8", errors="replace"),
        proc.stderr.decode("utf-8", errors="replace"),
    )


def is_repo(root: Path) -> bool:
    try:
        proc = git(root, "rev-parse", "--is-inside-work-tree", check=False)
    except IOFailure:
        return False
    return proc.returncode == 0 and proc.stdout.strip() == "true"


def top_level(root: Path) -> Path:
    return Path(git(root, "rev-parse", "--show-toplevel").stdout.strip())


def changed_files(root: Path, paths: Sequence[str] = ()) -> list[str]:
    """Modified, added, deleted and untracked paths (relative to `root`), optionally limited to `paths`."""
    # Read-only: no index refresh written (a full disk or a read-only tree does not stop it).
    out = git(
        root,
        "--no-optional-locks",
        "status",
        "--porcelain=v1",
        "-z",
        "--untracked-files=all",
        "--",
        *(paths or ["."]),
    ).stdout
    entries = out.split("\0")
    found = []
    i = 0
    while i < len(entries):
        entry = entries[i]
        i += 1
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if "R" in code or "C" in code:
            i += 1  # the next field is the source of the rename or copy
        found.append(path)
    prefix = rel_prefix(root)
    return sorted(p[len(prefix) :] if p.startswith(prefix) else p for p in found)


def rel_prefix(root: Path) -> str:
    """The root's path inside the repository ('' at the top), as git prints paths from the top."""
    inner = Path(root).resolve().relative_to(top_level(root).resolve()).as_posix()
    return "" if inner == "." else inner + "/"


def commit(root: Path, paths: Sequence[str], message: str) -> str:
    """Commit exactly `paths` (new ones added first); other staged changes are left out. The hash."""
    git(root, "add", "--all", "--", *paths)
    git(root, "commit", "--quiet", "--only", "-m", message, "--", *paths)
    return git(root, "rev-parse", "HEAD").stdout.strip()


def numstat(root: Path, commit_hash: str) -> dict[str, tuple[int, int]]:
    """Lines added and removed per path in one commit (binary files count 0)."""
    out = git(root, "show", "--numstat", "--format=", commit_hash).stdout
    stats = {}
    prefix = rel_prefix(root)
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) == 3:
            added, removed, path = parts
            key = path[len(prefix) :] if path.startswith(prefix) else path
            stats[key] = (int(added) if added.isdigit() else 0, int(removed) if removed.isdigit() else 0)
    return stats


def is_ignored(root: Path, path: str) -> bool:
    return git(root, "check-ignore", "-q", "--", path, check=False).returncode == 0


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD").stdout.strip()


def worktree_numstat(root: Path, paths: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Uncommitted line changes of tracked `paths` against HEAD."""
    if not paths:
        return {}
    out = git(root, "diff", "--numstat", "HEAD", "--", *paths, check=False).stdout
    stats = {}
    prefix = rel_prefix(root)
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) == 3 and parts[0].isdigit() and parts[1].isdigit():
            key = parts[2][len(prefix) :] if parts[2].startswith(prefix) else parts[2]
            stats[key] = (int(parts[0]), int(parts[1]))
    return stats
