"""A file parsed once per process while it stays unchanged (stdlib only: the hooks import it).

Checking a thousand feature specs reads the same conflict map for each of them; this keeps the
parsed value, keyed by the file's identity (device, inode, size, mtime, ctime). A file changed
less than `SETTLE_NS` ago is never kept: its time stamps are too coarse to show a second write in
the same tick (the "racy" case git's index also guards against), so it is parsed on every call.
"""

from __future__ import annotations

import os
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path
    from typing import Any

SETTLE_NS = 2_000_000_000
MAX_ENTRIES = 8
_entries: dict[tuple[str, str], tuple[tuple[int, ...], Any]] = {}


def parsed(path: Path, what: str, parse: Callable[[str], Any]) -> Any:
    """`parse(text)` of the UTF-8 file `path` (read bounded); `what` names the parse. Raises what
    reading or parsing raises (OSError, SpecrailError, ValueError ...), and keeps nothing then."""
    info = os.stat(path)
    identity = (info.st_dev, info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns)
    key = (os.fspath(path), what)
    hit = _entries.get(key)
    if hit is not None and hit[0] == identity:
        return hit[1]
    from specrail.fileio import read_text

    value = parse(read_text(path, str(path)))
    if time.time_ns() - max(info.st_mtime_ns, info.st_ctime_ns) > SETTLE_NS:
        if len(_entries) >= MAX_ENTRIES:
            _entries.pop(next(iter(_entries)))
        _entries[key] = (identity, value)
    return value
