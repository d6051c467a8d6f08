"""Approval of a project's commands: specrail runs a repository's commands only once the user
approved that exact list for that project.

The approval lives outside the repository, in the user's configuration folder
(`$SPECRAIL_CONFIG_DIR`, else `$XDG_CONFIG_HOME/specrail`, else `~/.config/specrail`), one file
per project under `trusted/`, keyed by the project's resolved path. It records the digest of the
command list: each command's name bound to what it runs (recipe and script bodies included), so
any change to a command, its name, or what it hands over to, needs a new approval. Everything shown
is escaped: a repository's text cannot hide or forge a line of the listing.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

from specrail.errors import InvalidInput
from specrail.fileio import atomic_write_json, now
from specrail.model_text import data

# One command: (name, shell text). Names say what the command is for (check, test, a validation).
# The text may carry, after BODY_SEP, the lines of the project file it hands over to (a recipe).
Command = tuple[str, str]
BODY_SEP = "\x00"  # never part of a command that can run: no process takes a NUL in its arguments

CONFIG_ENV = "SPECRAIL_CONFIG_DIR"
SHORT = 12  # hex digits of the digest shown to the user and given to `--approve`
_APPROVAL_MAX_BYTES = 1 << 20
# Lists approved for this process only (the demo's own example), never written anywhere.
_IN_PROCESS: ContextVar[frozenset[tuple[str, str]]] = ContextVar("_IN_PROCESS", default=frozenset())


class Unapproved(InvalidInput):
    """The project's commands are not approved (exit 1); the message lists them and says how."""


def normalized(commands: Iterable[Command]) -> list[Command]:
    """The list in a canonical order, without repeats: the same commands always hash the same."""
    return sorted({(str(name), str(run)) for name, run in commands})


def digest(commands: Iterable[Command]) -> str:
    """The digest of what would run, each text bound to its name: pointing `test` at another
    approved command is a change too."""
    body = json.dumps(normalized(commands), ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(body.encode("utf-8")).hexdigest()


def short(full_digest: str) -> str:
    return full_digest.removeprefix("sha256:")[:SHORT]


def config_dir() -> Path:
    """The user's specrail configuration folder (never inside a project)."""
    override = os.environ.get(CONFIG_ENV)
    if override:
        return Path(override).expanduser()
    xdg = os.environ.get("XDG_CONFIG_HOME")
    base = Path(xdg) if xdg and Path(xdg).is_absolute() else Path.home() / ".config"
    return base / "specrail"


def project_key(root: Path) -> str:
    return str(root.resolve())


def approval_file(root: Path) -> Path:
    key = hashlib.sha256(project_key(root).encode("utf-8")).hexdigest()[:32]
    return config_dir() / "trusted" / f"{key}.json"


def recorded(root: Path) -> dict[str, Any] | None:
    """The approval recorded for `root`, or None (missing, unreadable or for another path)."""
    path = approval_file(root)
    try:
        with path.open("rb") as handle:
            data = json.loads(handle.read(_APPROVAL_MAX_BYTES))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("project") != project_key(root):
        return None
    return data


def is_approved(root: Path, commands: Sequence[Command]) -> bool:
    """True when there is nothing to run, or when the user approved exactly this list here."""
    if not commands:
        return True
    wanted = digest(commands)
    if (project_key(root), wanted) in _IN_PROCESS.get():
        return True
    approval = recorded(root)
    return approval is not None and approval.get("digest") == wanted


def approve(root: Path, commands: Sequence[Command]) -> dict[str, Any]:
    """Record the user's approval of `commands` for the project at `root` (replacing any earlier one)."""
    record = {
        "project": project_key(root),
        "digest": digest(commands),
        "commands": [{"name": name, "run": run} for name, run in normalized(commands)],
        "approved_at": now(),
    }
    atomic_write_json(approval_file(root), record)
    return record


def revoke(root: Path) -> bool:
    """Forget the approval of the project at `root`; True when there was one."""
    path = approval_file(root)
    existed = path.exists()
    path.unlink(missing_ok=True)
    return existed


SHOWN_MAX = 2000  # characters of one line of a command shown; the digest covers all of it


def shown(text: str) -> str:
    """Repository text as one line the terminal shows as it is: control and format characters
    (escape sequences, carriage returns, newlines, bidi and zero-width marks) escaped, and
    backslashes doubled so no two texts look alike."""
    return data(text.replace("\\", "\\\\"), SHOWN_MAX)


def listing(commands: Sequence[Command]) -> str:
    """The commands, one per line, with the body each hands over to indented below it."""
    lines = []
    for name, run in normalized(commands):
        first, *rest = run.split(BODY_SEP)
        lines.append(f"  {shown(name)}: {shown(first)}")
        lines += [f"      {shown(line)}" for line in rest]
    return "\n".join(lines)


def approve_command(root: Path, commands: Sequence[Command]) -> str:
    return f"specrail trust --root {shlex.quote(str(root.resolve()))} --approve {short(digest(commands))}"


def require_approved(root: Path, commands: Sequence[Command], *, source: str | None = None) -> None:
    """Refuse (before anything runs or is written) commands the user has not approved for `root`."""
    if is_approved(root, commands):
        return
    before = recorded(root)
    what = "changed since you approved them" if before else "not approved yet"
    raise Unapproved(
        f"the project's commands are {what}; specrail runs a repository's commands only once you "
        f"approve that exact list:\n{listing(commands)}\n"
        f"Read them, then approve them: run `{approve_command(root, commands)}` "
        "(in a terminal, or let the client run it and accept its permission prompt). "
        "Do not edit the configuration to get around this.",
        file=source,
    )


@contextmanager
def approved_here(root: Path, commands: Sequence[Command]) -> Iterator[None]:
    """Treat `commands` as approved for `root` inside this block, in this process only (for the
    examples shipped with specrail, which the user trusted by installing it)."""
    token = _IN_PROCESS.set(_IN_PROCESS.get() | {(project_key(root), digest(commands))})
    try:
        yield
    finally:
        _IN_PROCESS.reset(token)
