"""Worker processes of the reliability tests, run as `python session_worker.py MODE ...`.

`write PATH WORKER COUNT` applies COUNT changes to the session through `SessionStore`: even steps
are DISCOVERED -> DISCOVERED transitions (one history entry each), odd steps are plain updates
that append the step to `updates_w{WORKER}`; every step sets `counter_w{WORKER}` to the steps done.

`read PATH STOP` validates the session in a loop (raw parse and `check_file`) until the file STOP
exists, then prints a JSON summary: reads taken, failures seen, the history length never shrinking.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

from specrail.store import Session, SessionStore
from specrail.validation.check import check_file


def write(path: Path, worker: int, count: int) -> int:
    store = SessionStore(path)
    counter_key = f"counter_w{worker}"
    updates_key = f"updates_w{worker}"
    slowest = 0.0
    for step in range(count):

        def change(session: Session, step: int = step) -> None:
            extra = session.__pydantic_extra__
            assert extra is not None
            extra[counter_key] = step + 1
            if step % 2:
                extra[updates_key] = [*extra.get(updates_key, []), step]

        started = time.monotonic()
        if step % 2:
            store.update(change)
        else:
            store.transition("DISCOVERED", f"w{worker}:{step}", change)
        slowest = max(slowest, time.monotonic() - started)
    print(json.dumps({"worker": worker, "slowest_update_s": round(slowest, 3)}))
    return 0


def read(path: Path, stop: Path) -> int:
    reads = 0
    failures: list[str] = []
    longest = 0
    shrinks = 0
    started = time.monotonic()
    while not stop.exists() and time.monotonic() - started < 600:
        try:
            data: Any = json.loads(path.read_bytes())
        except ValueError as exc:
            failures.append(f"raw parse: {exc}")
            continue
        result = check_file(path)
        reads += 1
        if not result.ok:
            failures.append("; ".join(i.line() for i in result.errors))
        if len(data["history"]) < longest:
            shrinks += 1
        longest = max(longest, len(data["history"]))
    print(json.dumps({"reads": reads, "failures": failures[:20], "history_shrinks": shrinks}))
    return 0


def main(argv: list[str]) -> int:
    mode, path = argv[0], Path(argv[1])
    if mode == "write":
        return write(path, int(argv[2]), int(argv[3]))
    if mode == "read":
        return read(path, Path(argv[2]))
    raise SystemExit(f"unknown mode {mode!r}")


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
