"""An exclusive lock on an open file, on POSIX (`fcntl.flock`) and on Windows (`msvcrt.locking`).

Stdlib only: the plugin's bootstrap takes it before any dependency is installed. The kernel
releases the lock when its holder closes the file or dies, so a killed holder never leaves it
stuck. On Windows the lock covers one byte far past any content, because `msvcrt` locks are
mandatory: the locked range cannot be read by others, and the lock file's own bytes stay readable.
"""

from __future__ import annotations

import os

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]

_WINDOWS_LOCK_OFFSET = 1 << 30


def try_lock(fd: int) -> bool:
    """Take the exclusive lock on `fd` if it is free; False when another holder has it."""
    if fcntl is not None:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
    import importlib

    msvcrt = importlib.import_module("msvcrt")
    os.lseek(fd, _WINDOWS_LOCK_OFFSET, os.SEEK_SET)
    try:
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def lock(fd: int, poll_s: float = 0.05) -> None:
    """Wait for the exclusive lock on `fd`, however long its holder keeps it."""
    import time

    while not try_lock(fd):
        time.sleep(poll_s)


def read_at(fd: int, size: int, offset: int = 0) -> bytes:
    """`os.pread`, also where it does not exist (Windows)."""
    if hasattr(os, "pread"):
        return os.pread(fd, size, offset)
    os.lseek(fd, offset, os.SEEK_SET)
    return os.read(fd, size)


def write_at(fd: int, data: bytes, offset: int = 0) -> None:
    """`os.pwrite`, also where it does not exist (Windows)."""
    if hasattr(os, "pwrite"):
        os.pwrite(fd, data, offset)
        return
    os.lseek(fd, offset, os.SEEK_SET)
    os.write(fd, data)
