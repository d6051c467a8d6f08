"""Races made certain: wait until processes started while the test holds a session lock are waiting on it."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

READY_S = 3.0  # at most, for the commands to start and reach the lock


def wait_at_lock(procs: list[subprocess.Popen[str]], lock: Path) -> None:
    """Until every process has the lock file open, waiting on it; where /proc cannot tell, READY_S."""
    target = os.path.realpath(lock)
    fd_dirs = [Path(f"/proc/{proc.pid}/fd") for proc in procs]
    deadline = time.monotonic() + READY_S
    while time.monotonic() < deadline:
        try:
            if all(any(os.path.realpath(fd) == target for fd in d.iterdir()) for d in fd_dirs):
                return
        except OSError:  # no /proc here, or a process between its files: look again
            pass
        time.sleep(0.02)
