"""Which sessions this machine made: every `workflow-session.json` specrail writes is signed.

Replaying a session's history proves it is consistent, not where it comes from: a state and a
history edited together pass. So each record specrail writes carries an HMAC-SHA256 of its
content (every key but `signature`, in canonical JSON), keyed with a secret kept in the user's
specrail folder (`trust.config_dir()/session-key`, created on first use, mode 0600), never in a
repository. A record whose signature is missing or does not match is foreign: it can be read
(`status`, `trace`, `drift`), and no step changes it until the user adopts it after review
(`specrail spec-driven adopt`, `specrail synthesis adopt`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
from pathlib import Path
from typing import Any

from specrail.errors import IOFailure, TransitionRefused

KEY_FILE = "session-key"
FIELD = "signature"
PREFIX = "hmac-sha256:"


class Foreign(TransitionRefused):
    """A session this machine did not sign: read-only until the user adopts it (exit 1)."""


def key_path() -> Path:
    from specrail.trust import config_dir

    return config_dir() / KEY_FILE


def _key() -> bytes:
    """The machine's signing key, made on first use (never through a symlink)."""
    path = key_path()
    flags = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | flags, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32))
        fd = os.open(path, os.O_RDONLY | flags)
        with os.fdopen(fd, "rb") as handle:
            key = handle.read(256).strip()
    except OSError as exc:
        raise IOFailure(
            f"cannot read or create the session signing key: {exc.strerror}", file=str(path)
        ) from None
    if len(key) < 32:
        raise IOFailure("the session signing key is too short; delete it to make a new one", file=str(path))
    return key


def sign(data: dict[str, Any]) -> str:
    """The signature of `data` (its `signature` key left out)."""
    body = {k: v for k, v in data.items() if k != FIELD}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return PREFIX + hmac.new(_key(), text.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def sealed(data: dict[str, Any]) -> dict[str, Any]:
    """`data` with its signature, ready to write."""
    return {**{k: v for k, v in data.items() if k != FIELD}, FIELD: sign(data)}


def is_own(data: dict[str, Any]) -> bool:
    """Whether this machine signed `data` as it is."""
    given = data.get(FIELD)
    return isinstance(given, str) and hmac.compare_digest(given, sign(data))


def ours_in_form(data: object) -> bool:
    """Whether `data` has the form of a record specrail writes (a foreign brainstorming file in
    another form is not one: synthesis adopts those as a fresh session)."""
    return (
        isinstance(data, dict)
        and "schema_version" in data
        and data.get("workflow") in ("synthesis", "spec-driven")
    )


def adopt_command(data: dict[str, Any], session_file: Path) -> str:
    if data.get("workflow") == "synthesis":
        return f"specrail synthesis adopt --session {session_file.parent.name}"
    return f"specrail spec-driven adopt --session {session_file.parent}"


def require_own(data: dict[str, Any], session_file: Path) -> None:
    """Refuse (before anything is written) a step on a session this machine did not sign."""
    if ours_in_form(data) and not is_own(data):
        what = "has no signature" if FIELD not in data else "has a signature this machine did not make"
        raise Foreign(
            f"refused: this session {what}: it was not created or last changed by specrail on this "
            "machine (a cloned or hand-edited record), so no step changes it. `status`, `trace` and "
            "`drift` still read it. Ask the user to review it (state, history, tasks, commits), then "
            f"adopt it: run `{adopt_command(data, session_file)}` (the client asks the user)",
            file=str(session_file),
            pointer="/signature",
        )
