"""`workflow-session.json`: read, create, update and transition, atomically and under a file lock.

The lock is held on a `.lock` file in the user's specrail folder, one per session file (keyed by its
resolved path), never in the working tree: `git add -A` never takes it, and a lock file committed
next to a session (a symlink to a file elsewhere) is never opened. It is opened without following
a symlink. `specrail.locking` locks it (`flock` on POSIX, `msvcrt` on Windows): the kernel releases
it when the holder dies, so a killed writer never leaves a lock that blocks the next one. A writer
killed between creating its temp file and renaming it leaves the temp file behind; the next lock
holder removes it.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar, cast

from pydantic import TypeAdapter, ValidationError

from specrail import signing, states
from specrail.errors import InvalidInput, IOFailure, TransitionRefused
from specrail.fileio import atomic_write_json, now, parse_json, read_text, temp_glob
from specrail.locking import read_at, try_lock, write_at
from specrail.models import SpecDrivenSession, SynthesisSession, Transition, WorkflowSession
from specrail.validation.report import pointer

Session = SynthesisSession | SpecDrivenSession
SESSION_FILE = "workflow-session.json"
LOCK_TIMEOUT_S = 30.0
_MARK_BYTES = 48
_ADAPTER: TypeAdapter[Session] = TypeAdapter(WorkflowSession)
_HELD = threading.local()  # lock files this thread holds


def validation_failure(exc: ValidationError, file: str) -> InvalidInput:
    """The first pydantic error as an InvalidInput with a JSON pointer (discriminator tag dropped)."""
    first = exc.errors()[0]
    loc = list(first["loc"])
    if loc and loc[0] in states.MACHINES:
        loc = loc[1:]
    more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
    return InvalidInput(first["msg"] + more, file=file, pointer=pointer(*loc) or "/")


def lock_file(session_file: Path) -> Path:
    """Where the lock of `session_file` lives: the user's specrail folder, outside every project."""
    from specrail.trust import config_dir

    key = hashlib.sha256(str(session_file.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return config_dir() / "locks" / f"{key}.lock"


class SessionStore:
    """The one writer of a `workflow-session.json`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock_path = lock_file(path)

    @contextmanager
    def locked(self, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
        """Hold the session's lock; IOFailure when one holder keeps it for over `timeout` seconds.

        Reentrant within a thread: a step holds the lock from its first check to its last write,
        and the updates it makes inside take it again without waiting for themselves."""
        key = os.path.abspath(self.lock_path)
        held: set[str] = _HELD.__dict__.setdefault("paths", set())
        if key in held:
            yield
            return
        held.add(key)
        try:
            with self._locked(timeout):
                yield
        finally:
            held.discard(key)

    @contextmanager
    def _locked(self, timeout: float) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.lock_path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        try:
            fd = os.open(self.lock_path, flags, 0o600)
        except OSError as exc:
            raise IOFailure(
                f"cannot open the session's lock file ({exc.strerror}); a symlink there is never "
                "followed: remove it and retry",
                file=str(self.lock_path),
            ) from None
        try:
            self._acquire(fd, timeout)
            # Each holder leaves its mark, so waiters tell a busy lock from a stuck holder.
            write_at(fd, f"{os.getpid()} {time.monotonic_ns()}".encode().ljust(_MARK_BYTES))
            self._remove_stale_temps()
            yield
        finally:
            os.close(fd)  # closing the descriptor releases the lock

    def _acquire(self, fd: int, timeout: float) -> None:
        holder = read_at(fd, _MARK_BYTES)
        deadline = time.monotonic() + timeout
        while True:
            if try_lock(fd):
                return
            current = read_at(fd, _MARK_BYTES)
            if current != holder:  # the lock changed hands: contention, not a stuck holder
                holder, deadline = current, time.monotonic() + timeout
            elif time.monotonic() > deadline:
                pid = holder.split()[0].decode(errors="replace") if holder.split() else "another process"
                raise IOFailure(
                    f"process {pid} has held the lock for over {timeout:g} s; "
                    "if it is stuck, end it and retry",
                    file=str(self.lock_path),
                )
            time.sleep(0.005)

    def _remove_stale_temps(self) -> None:
        """Temp files of writers killed mid-write. Safe only under the lock: every writer of the
        session file writes under it, so while we hold it no live writer owns one of these."""
        for stale in self.path.parent.glob(temp_glob(self.path)):
            with contextlib.suppress(OSError):
                stale.unlink()

    def refuse_foreign(self) -> None:
        """Refuse a step on a session this machine did not sign (what cannot be read is left to
        the step to report)."""
        try:
            raw = self.read_raw() if self.exists() else None
        except (InvalidInput, IOFailure):
            return
        if raw is not None:
            signing.require_own(raw, self.path)

    def adopt(self) -> dict[str, Any]:
        """Sign a session this machine did not make, as it is, once the user reviewed it: it must
        still be valid and its state where its history leads. Nothing else changes."""
        with self.locked():
            raw = self.read_raw()
            session = self.parse(raw)
            own = signing.is_own(raw)
            if not own:
                atomic_write_json(self.path, signing.sealed(raw))
        return {
            "status": "ok",
            "session_file": str(self.path),
            "workflow": session.workflow,
            "state": session.state,
            "transitions": len(session.history),
            "adopted": not own,
            "already_own": own,
        }

    def exists(self) -> bool:
        return self.path.is_file()

    def read_raw(self) -> dict[str, Any]:
        data = parse_json(read_text(self.path, str(self.path)), str(self.path))
        if not isinstance(data, dict):
            raise InvalidInput("a session must be a JSON object", file=str(self.path), pointer="/")
        return data

    def read(self) -> Session:
        return self.parse(self.read_raw())

    def parse(self, data: dict[str, Any]) -> Session:
        """The session in `data`, refused unless valid and its state is where its history leads."""
        try:
            session = _ADAPTER.validate_python(data)
        except ValidationError as exc:
            raise validation_failure(exc, str(self.path)) from None
        history = [{"from": h.from_state, "to": h.to} for h in session.history]
        found = states.tampering(session.workflow, session.state, history)
        if found:
            where, what = found
            raise InvalidInput(
                f"{what}: the file was changed outside specrail, and specrail will not act on a state "
                "its history does not explain. Restore the file from version control (e.g. "
                f"`git checkout -- {self.path}`), or put the edited value back as the history says",
                file=str(self.path),
                pointer=where,
            )
        return session

    def read_own(self) -> Session:
        """The session, refused (signing.Foreign) unless this machine signed it as it is."""
        raw = self.read_raw()
        signing.require_own(raw, self.path)
        return self.parse(raw)

    def _write(self, session: Session) -> Session:
        data = signing.sealed(session.model_dump(mode="json", by_alias=True))
        checked = self.parse(data)  # never write what would not read back
        atomic_write_json(self.path, data)
        return checked

    def create(self, session: Session) -> Session:
        with self.locked():
            if self.exists():
                raise InvalidInput("session already exists", file=str(self.path))
            return self._write(session)

    def update(self, change: Callable[[Session], None]) -> Session:
        """Apply `change` to the current session and write the result, all under the lock."""
        with self.locked():
            session = self.read_own()
            change(session)
            session.updated_at = now()
            return self._write(session)

    def transition(
        self, target: str, reason: str, change: Callable[[Session], None] | None = None
    ) -> Session:
        """Move to `target` if the state machine allows it; refuse (writing nothing) otherwise."""
        with self.locked():
            session = self.read_own()
            refusal = states.refusal(session.workflow, session.state, target)
            if refusal:
                raise TransitionRefused(refusal, file=str(self.path), pointer="/state")
            if change is not None:
                change(session)
            stamp = now()
            session.history.append(
                Transition.model_validate(
                    {"from": session.state, "to": target, "at": stamp, "reason": reason}
                )
            )
            session.state = target  # type: ignore[assignment]
            session.updated_at = stamp
            return self._write(session)


def dump(session: Session) -> str:
    return json.dumps(session.model_dump(mode="json", by_alias=True), indent=2, ensure_ascii=False)


Step = TypeVar("Step", bound=Callable[..., dict[str, Any]])


def lock_steps(store_for: Callable[[Path, str | None], SessionStore | None]) -> Callable[[Step], Step]:
    """A decorator running `step(root, session, ...)` under the lock of `store_for(root, session)`
    from its first check to its last write, so two steps at once act one after the other, each on
    what the other wrote. Where `store_for` finds no session (None), the step runs unlocked and says
    what is missing."""

    def decorate(step: Step) -> Step:
        @functools.wraps(step)
        def locked(root: Path, session: str | None, *args: Any, **kwargs: Any) -> dict[str, Any]:
            store = store_for(root, session)
            if store is None:
                return step(root, session, *args, **kwargs)
            with store.locked():
                store.refuse_foreign()
                return step(root, session, *args, **kwargs)

        return cast(Step, locked)

    return decorate
