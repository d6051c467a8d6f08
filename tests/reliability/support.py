"""Helpers of the reliability tests: sessions on disk, bounded subprocesses, tree snapshots."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from specrail.models import SynthesisSession
from specrail.store import SessionStore
from tests.core.samples import synthesis_session

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
WORKER = HERE / "session_worker.py"
TS = "2026-11-20T09:00:00Z"


def new_session(root: Path, session_id: str = "WFS-reliability") -> SessionStore:
    """A store on `.workflow/active/{session_id}/workflow-session.json` under `root`, created."""
    store = SessionStore(root / ".workflow" / "active" / session_id / "workflow-session.json")
    store.create(SynthesisSession.model_validate(synthesis_session(session_id)))
    return store


def python(*args: object) -> list[str]:
    return [sys.executable, *map(str, args)]


def specrail(*args: object) -> list[str]:
    return python("-m", "specrail", *args)


def finish(proc: subprocess.Popen[str], timeout: float, what: str) -> tuple[str, str]:
    """stdout and stderr of `proc`; kill it and fail when it outlives `timeout` (a deadlock)."""
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        raise AssertionError(f"{what} still running after {timeout} s (deadlock?)\n{out}\n{err}") from None
    assert proc.returncode == 0, f"{what} exited {proc.returncode}\n{out}\n{err}"
    return out, err


def snapshot(root: Path) -> dict[str, tuple[str, ...]]:
    """Every entry under `root`: kind, and content hash, mode and mtime (link target for symlinks)."""
    found: dict[str, tuple[str, ...]] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            info = path.lstat()
            key = str(path.relative_to(root))
            if path.is_symlink():
                found[key] = ("link", os.readlink(path))
            elif path.is_dir():
                found[key] = ("dir", oct(info.st_mode))
            elif path.is_file():
                digest = hashlib.sha256(path.read_bytes()).hexdigest()
                found[key] = ("file", digest, oct(info.st_mode), str(info.st_mtime_ns))
            else:
                found[key] = ("special", oct(info.st_mode), str(info.st_mtime_ns))
    return found
