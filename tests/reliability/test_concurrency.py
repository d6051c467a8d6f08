"""Concurrent writers through the store lose no update; readers never see a torn or invalid file."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

from specrail.validation.check import check_file
from tests.reliability.support import REPO, WORKER, finish, new_session, python, specrail

WRITERS = 8
UPDATES = 200
WRITER_TIMEOUT_S = 240.0


def start_writers(path: Path) -> list[subprocess.Popen[str]]:
    return [
        subprocess.Popen(
            python(WORKER, "write", path, worker, UPDATES),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for worker in range(WRITERS)
    ]


def assert_every_update_present(path: Path) -> int:
    """Count the updates found in the final file; each worker's 200 must all be there, once."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert check_file(path).ok
    reasons = [entry["reason"] for entry in data["history"][1:]]
    assert len(reasons) == len(set(reasons)), "a history entry was written twice"
    applied = 0
    for worker in range(WRITERS):
        transitions = sorted(int(r.split(":")[1]) for r in reasons if r.startswith(f"w{worker}:"))
        updates = data.get(f"updates_w{worker}", [])
        assert transitions == list(range(0, UPDATES, 2)), f"worker {worker} lost a transition"
        assert updates == list(range(1, UPDATES, 2)), f"worker {worker} lost an update"
        assert data[f"counter_w{worker}"] == UPDATES
        applied += len(transitions) + len(updates)
    assert data["state"] == "DISCOVERED"
    return applied


def test_eight_writers_lose_nothing_and_a_reader_never_sees_a_bad_file(tmp_path: Path) -> None:
    store = new_session(tmp_path)
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        python(WORKER, "read", store.path, stop), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    started = time.monotonic()
    writers = start_writers(store.path)
    slowest = 0.0
    for worker, proc in enumerate(writers):
        out, _ = finish(proc, WRITER_TIMEOUT_S - (time.monotonic() - started), f"writer {worker}")
        slowest = max(slowest, json.loads(out)["slowest_update_s"])
    stop.touch()
    out, _ = finish(reader, 60, "reader")
    summary = json.loads(out)
    assert summary["failures"] == []
    assert summary["history_shrinks"] == 0
    assert summary["reads"] >= 10, "the reader did not overlap the writers"
    assert assert_every_update_present(store.path) == WRITERS * UPDATES
    print(
        f"updates applied {WRITERS * UPDATES}/{WRITERS * UPDATES} in {time.monotonic() - started:.1f} s, "
        f"reads {summary['reads']}, slowest update (lock wait included) {slowest} s"
    )


HOOK = REPO / "hooks" / "run.py"


def hook_payload(path: Path) -> str:
    """What the client sends to PreToolUse before a Write of `path` (shape of a captured payload)."""
    project = path.parents[3]
    return json.dumps(
        {
            "cwd": str(project),
            "hook_event_name": "PreToolUse",
            "tool_name": "Write",
            "tool_input": {"file_path": str(path), "content": "{}\n"},
        }
    )


def reader_loop(path: Path, done: threading.Event, runs: Counter[str]) -> None:
    """`specrail validate` and the PreToolUse hook, in turn, as long as the writers write."""
    while not done.is_set():
        proc = subprocess.run(specrail("validate", path), capture_output=True, text=True, timeout=60)
        assert "Traceback" not in proc.stderr, proc.stderr
        runs[f"validate exit {proc.returncode}"] += 1
        if not HOOK.is_file():
            continue
        hook = subprocess.run(
            [sys.executable, "-I", "-S", str(HOOK), "pre-tool-use"],
            input=hook_payload(path),
            capture_output=True,
            text=True,
            timeout=60,
        )
        # A Write of the session file is always denied (only specrail writes it); what matters here
        # is that the hook read a whole, valid session: its reason names the state.
        answer = json.loads(hook.stdout)["hookSpecificOutput"]
        whole = "State machine: this synthesis session is in DISCOVERED" in answer["permissionDecisionReason"]
        runs[f"hook {answer['permissionDecision']} {'valid' if whole else 'INVALID'}"] += 1
        assert whole, hook.stdout


def test_writers_and_a_validating_hook_process(tmp_path: Path) -> None:
    store = new_session(tmp_path)
    done = threading.Event()
    runs: Counter[str] = Counter()
    errors: list[BaseException] = []

    def loop() -> None:
        try:
            reader_loop(store.path, done, runs)
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)

    thread = threading.Thread(target=loop)
    thread.start()
    started = time.monotonic()
    try:
        writers = start_writers(store.path)
        for worker, proc in enumerate(writers):
            finish(proc, WRITER_TIMEOUT_S - (time.monotonic() - started), f"writer {worker}")
    finally:
        done.set()
        thread.join(90)
    assert not errors, errors
    assert set(runs) <= {"validate exit 0", "hook deny valid"}, runs
    assert runs["validate exit 0"] >= 5
    assert runs["hook deny valid"] >= 5 or not HOOK.is_file()
    assert assert_every_update_present(store.path) == WRITERS * UPDATES
    print(f"readers during the writes: {dict(runs)}")


HOG = (
    "import sys, time; from pathlib import Path; from specrail.store import SessionStore\n"
    "store = SessionStore(Path(sys.argv[1])); end = time.monotonic() + float(sys.argv[2])\n"
    "print('hogging', flush=True)\n"
    "while time.monotonic() < end:\n"
    "    with store.locked():\n"
    "        time.sleep(0.02)\n"
)


def test_a_busy_lock_is_not_mistaken_for_a_stuck_one(tmp_path: Path) -> None:
    """Waiting longer than the timeout behind many short holders is contention, not a stuck holder."""
    store = new_session(tmp_path)
    hogs = [
        subprocess.Popen(python("-c", HOG, store.path, 2.0), stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    for hog in hogs:
        assert hog.stdout is not None and hog.stdout.readline().strip() == "hogging"
    started = time.monotonic()
    for _ in range(5):
        with store.locked(timeout=0.3):
            pass
    waited = time.monotonic() - started
    for number, hog in enumerate(hogs):
        finish(hog, 30, f"lock hog {number}")
        assert hog.stdout is not None
        hog.stdout.close()
    assert waited < 10
