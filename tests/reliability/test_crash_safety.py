"""A writer killed with SIGKILL at any point leaves the previous or the next state, never a torn file."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from specrail.errors import IOFailure
from specrail.store import Session, SessionStore
from specrail.validation import kinds
from specrail.validation.check import check_file
from tests.reliability.support import TS, finish, new_session, python, specrail

KILLS = 200
COUNTER = "crash_counter"


def counter(path: Path) -> int:
    return int(json.loads(path.read_bytes()).get(COUNTER, 0))


def bump(session: Session) -> None:
    extra = session.__pydantic_extra__
    assert extra is not None
    extra[COUNTER] = int(extra.get(COUNTER, 0)) + 1


def padded_session(tmp_path: Path) -> SessionStore:
    """A session with a long history, so that each write takes a while and kills land inside it."""
    store = new_session(tmp_path)

    def pad(session: Session) -> None:
        session.history += [
            type(session.history[0]).model_validate(
                {"from": "DISCOVERED", "to": "DISCOVERED", "at": TS, "reason": f"padding {i} " + "x" * 200}
            )
            for i in range(400)
        ]

    store.update(pad)
    return store


def writer_loop(path: Path, progress: int) -> None:
    """The forked child: bump the counter forever, reporting each value written to the pipe."""
    store = SessionStore(path)
    while True:
        value = int(store.update(bump).model_extra[COUNTER])  # type: ignore[index]
        os.write(progress, f"{value}\n".encode())


def kill_one(path: Path, delay: float) -> tuple[int, int, int]:
    """Fork a writer, SIGKILL it after `delay`; (counter before, last reported, counter after)."""
    before = counter(path)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child never returns
        try:
            os.close(read_end)
            writer_loop(path, write_end)
        finally:
            os._exit(0)
    os.close(write_end)
    time.sleep(delay)
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
    reported = before
    with os.fdopen(read_end, "rb") as pipe:
        lines = pipe.read().split()
    if lines:
        reported = int(lines[-1])
    return before, reported, counter(path)


def test_two_hundred_kills_never_leave_a_torn_file(tmp_path: Path) -> None:
    store = padded_session(tmp_path)
    rng = random.Random(7)
    outcomes = {"previous": 0, "next": 0}
    temps_seen = 0
    for kill in range(KILLS):
        before, reported, after = kill_one(store.path, rng.uniform(0.0, 0.06))
        # The file is whole and valid: the state the child last reported, or the one it was writing.
        result = check_file(store.path)
        assert result.ok, f"kill {kill}: {[i.line() for i in result.errors]}"
        assert after in (reported, reported + 1), f"kill {kill}: {before=} {reported=} {after=}"
        outcomes["previous" if after == reported else "next"] += 1
        temps = list(store.path.parent.glob(".workflow-session.json.*.tmp"))
        temps_seen += bool(temps)
        for temp in temps:
            assert kinds.classify(temp) is None  # never taken for an artifact
        # The next writer gets the lock at once: the kernel released the dead writer's flock.
        started = time.monotonic()
        with store.locked(timeout=5):
            waited = time.monotonic() - started
        assert waited < 1.0
        assert list(store.path.parent.glob(".workflow-session.json.*.tmp")) == []  # cleaned under the lock
        assert counter(store.path) == after
    assert store.read().state == "DISCOVERED"
    print(f"kills survived {KILLS}/{KILLS}: {outcomes}, kills that left a temp file: {temps_seen}")
    assert temps_seen > 0, "no kill landed inside a write; the test proves nothing"


def test_a_lock_held_by_a_killed_process_is_released(tmp_path: Path) -> None:
    store = new_session(tmp_path)
    holder = subprocess.Popen(
        python(
            "-c",
            "import sys, time; from pathlib import Path; from specrail.store import SessionStore\n"
            "with SessionStore(Path(sys.argv[1])).locked():\n"
            "    print('locked', flush=True); time.sleep(600)\n",
            store.path,
        ),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        # While the holder lives, a writer waits, then gives up with a message naming the lock.
        with pytest.raises(IOFailure) as refused, store.locked(timeout=0.3):
            pass
        assert refused.value.file == str(store.lock_path)
        assert f"process {holder.pid} has held the lock" in refused.value.message
        cli = subprocess.run(specrail("validate", store.path), capture_output=True, text=True, timeout=60)
        assert cli.returncode == 0, "readers never wait for the lock"
        holder.send_signal(signal.SIGKILL)
        holder.wait(10)
        started = time.monotonic()
        store.update(bump)
        assert time.monotonic() - started < 1.0
        assert counter(store.path) == 1
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait(10)
        assert holder.stdout is not None
        holder.stdout.close()


def test_a_killed_fresh_interpreter_writer(tmp_path: Path) -> None:
    """The same, with writers started as fresh interpreters (no fork), killed mid-run."""
    store = padded_session(tmp_path)
    rng = random.Random(11)
    script = (
        "import sys; from pathlib import Path; from specrail.store import SessionStore\n"
        "store = SessionStore(Path(sys.argv[1]))\n"
        "def bump(s):\n"
        f"    s.__pydantic_extra__['{COUNTER}'] = int(s.__pydantic_extra__.get('{COUNTER}', 0)) + 1\n"
        "print('ready', flush=True)\n"
        "while True:\n"
        "    store.update(bump)\n"
    )
    for _ in range(10):
        before = counter(store.path)
        with subprocess.Popen(python("-c", script, store.path), stdout=subprocess.PIPE, text=True) as proc:
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == "ready"
            time.sleep(rng.uniform(0.0, 0.2))
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
        assert check_file(store.path).ok
        assert counter(store.path) >= before
    out, _ = finish(
        subprocess.Popen(specrail("validate", store.path), stdout=subprocess.PIPE, text=True),
        60,
        "validate",
    )
    assert "ok (workflow-session)" in out
