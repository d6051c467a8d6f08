"""The session store: atomic writes, schema version, history, lock, clear errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from specrail.errors import InvalidInput, IOFailure
from specrail.models import SynthesisSession
from specrail.store import SessionStore
from tests.core.samples import synthesis_session
from tests.support.signed import write_signed


def test_create_read_update_round_trip(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "workflow-session.json")
    data = synthesis_session()
    data["history"] = []
    data["state"] = "PENDING"
    data["legacy_field"] = {"kept": True}
    created = store.create(SynthesisSession.model_validate(data))
    assert created.schema_version == 1
    with pytest.raises(InvalidInput, match="already exists"):
        store.create(created)

    def change(session: object) -> None:
        assert isinstance(session, SynthesisSession)
        session.user_intent = "changed"

    store.update(change)
    raw = json.loads(store.path.read_text())
    assert raw["user_intent"] == "changed"
    assert raw["legacy_field"] == {"kept": True}
    assert raw["schema_version"] == 1


def test_invalid_change_is_refused_and_the_file_is_untouched(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "workflow-session.json")
    write_signed(store.path, synthesis_session())
    before = store.path.read_bytes()

    def corrupt(session: object) -> None:
        assert isinstance(session, SynthesisSession)
        session.session_id = "../escape"

    with pytest.raises(InvalidInput) as err:
        store.update(corrupt)
    assert err.value.pointer == "/session_id"
    assert store.path.read_bytes() == before


def test_reading_a_broken_session_names_file_and_pointer(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "workflow-session.json")
    data = synthesis_session()
    data["state"] = 3
    store.path.write_text(json.dumps(data))
    with pytest.raises(InvalidInput) as err:
        store.read()
    assert err.value.pointer == "/state" and str(store.path) in str(err.value)
    store.path.write_text("{")
    with pytest.raises(InvalidInput, match="malformed JSON"):
        store.read()
    store.path.unlink()
    with pytest.raises(IOFailure, match="no such file"):
        store.read()


def test_lock_held_by_another_process_times_out_then_is_released_on_death(tmp_path: Path) -> None:
    store = SessionStore(tmp_path / "workflow-session.json")
    write_signed(store.path, synthesis_session())
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT);"
            "fcntl.flock(fd, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)",
            str(store.lock_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(IOFailure, match="held the lock"), store.locked(timeout=0.3):
            pass
    finally:
        holder.kill()
        holder.wait()
        if holder.stdout is not None:
            holder.stdout.close()
    started = time.monotonic()
    with store.locked(timeout=5):
        pass
    assert time.monotonic() - started < 1
    assert os.path.exists(store.lock_path)
