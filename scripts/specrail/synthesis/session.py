"""Open, create or adopt a brainstorming session's `workflow-session.json`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from specrail import signing, states
from specrail.errors import InvalidInput, SpecrailError, TransitionRefused
from specrail.fileio import atomic_write_json, now
from specrail.models import SynthesisSession
from specrail.store import Session, SessionStore, lock_steps
from specrail.synthesis.paths import SessionPaths, resolve
from specrail.validation.normalise import language_tag

ADOPTED_KEY = "adopted"
_INTENT_KEYS = ("user_intent", "description", "topic", "project", "title", "goal")
_MAX_MOVES = 50


def _store_of(root: Path, session_id: str | None) -> SessionStore | None:
    try:
        paths = resolve(root, session_id)
    except SpecrailError:
        return None
    return store_of(paths) if paths.session_dir.is_dir() else None


one_at_a_time = lock_steps(_store_of)
"""Hold the session's lock through a whole step (see `specrail.store.lock_steps`)."""


def store_of(paths: SessionPaths) -> SessionStore:
    return SessionStore(paths.session_file)


def load(paths: SessionPaths) -> SynthesisSession:
    """The session of `paths`, which must exist and be a synthesis session."""
    store = store_of(paths)
    if not store.exists():
        raise InvalidInput(
            "no session file; run `specrail synthesis discover` first", file=str(paths.session_file)
        )
    session = store.read()
    if not isinstance(session, SynthesisSession):
        raise InvalidInput("is a spec-driven session, not a synthesis session", file=str(paths.session_file))
    return session


def require(session: SynthesisSession, paths: SessionPaths, target: str) -> None:
    """Refuse early (before any work) when the state machine does not allow `target`, or when a
    phase 3A output changed after `analyzed` validated it."""
    refusal = states.refusal("synthesis", session.state, target)
    if refusal:
        raise TransitionRefused(refusal, file=str(paths.session_file), pointer="/state")
    if target not in ("DISCOVERED", "ANALYZED", "ABORTED"):
        require_analysis_unchanged(session, paths)


def analysis_changes(session: SynthesisSession, paths: SessionPaths) -> list[str]:
    """The phase 3A outputs that differ from what `analyzed` validated."""
    from specrail.synthesis.inputs import sha256_of

    out = []
    for name, recorded in session.analysis_hashes.items():
        path = paths.session_dir / name
        if path.is_symlink() or not path.is_file():
            out.append(f"{name} was removed")
        elif sha256_of(path) != recorded:
            out.append(f"{name} changed")
    return out


def require_analysis_unchanged(session: SynthesisSession, paths: SessionPaths) -> None:
    changed = analysis_changes(session, paths)
    if changed:
        raise InvalidInput(
            f"the analysis outputs are frozen once `specrail synthesis analyzed` validated them: "
            f"{'; '.join(changed)}. Put them back as they were, or start the analysis again "
            f"(`specrail synthesis discover --session {paths.session_id}`, then `analyzed`)",
            file=str(paths.session_file),
            pointer="/analysis_hashes",
        )


def _fresh(paths: SessionPaths, intent: str) -> dict[str, Any]:
    stamp = now()
    return {
        "schema_version": 1,
        "workflow": "synthesis",
        "session_id": paths.session_id,
        "state": "PENDING",
        "created_at": stamp,
        "updated_at": stamp,
        "history": [],
        "user_intent": intent,
    }


def _intent(raw: dict[str, Any]) -> str:
    for key in _INTENT_KEYS:
        value = raw.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def _error_key(exc: ValidationError) -> tuple[str, ...]:
    """The top-level key (or `phases` sub-key) of the first validation error."""
    loc = [str(part) for part in exc.errors()[0]["loc"]]
    if loc and loc[0] == "phases" and len(loc) > 1:
        return ("phases", loc[1])
    return (loc[0],) if loc else ()


def adopt(raw: dict[str, Any], paths: SessionPaths) -> tuple[dict[str, Any], list[str]]:
    """A synthesis session built around a foreign session file, every foreign key kept.

    Keys the synthesis model also defines keep their value when it is valid there; otherwise
    the value moves under `adopted` so that nothing is lost.
    """
    data = {key: value for key, value in raw.items() if key != ADOPTED_KEY}
    _tag_language(data)
    adopted: dict[str, Any] = (
        dict(raw.get(ADOPTED_KEY) or {}) if isinstance(raw.get(ADOPTED_KEY), dict) else {}
    )
    base = _fresh(paths, _intent(raw))
    for forced in ("schema_version", "workflow", "session_id", "state", "history"):
        if forced in data and data[forced] != base[forced]:
            adopted[forced] = data.pop(forced)
    data = {**base, **data}
    moved: list[str] = []
    for _ in range(_MAX_MOVES):
        try:
            SynthesisSession.model_validate({**data, ADOPTED_KEY: adopted} if adopted else data)
            break
        except ValidationError as exc:
            key = _error_key(exc)
            if not key or (key[0] in base and key[0] not in raw):
                raise InvalidInput(
                    f"cannot adopt the session file: {exc.errors()[0]['msg']}", file=str(paths.session_file)
                ) from None
            if len(key) == 2 and isinstance(data.get("phases"), dict):
                phases = dict(data["phases"])
                adopted.setdefault("phases", {})[key[1]] = phases.pop(key[1])
                data["phases"] = phases
            else:
                adopted[key[0]] = data.pop(key[0])
                if key[0] in base:
                    data[key[0]] = base[key[0]]
            moved.append("/".join(key))
    else:
        raise InvalidInput(
            "cannot adopt the session file: too many invalid keys", file=str(paths.session_file)
        )
    if adopted:
        data[ADOPTED_KEY] = adopted
    return data, moved


def _tag_language(data: dict[str, Any]) -> bool:
    """Write a session's `zh_CN` or `Japanese` as its BCP 47 tag; True when it changed."""
    raw = data.get("language")
    tag = language_tag(raw) if isinstance(raw, str) else None
    if tag is None or tag == raw:
        return False
    data["language"] = tag
    return True


def open_or_adopt(paths: SessionPaths) -> tuple[SynthesisSession, list[str]]:
    """The session, created when missing and adopted when the file is not ours; plus warnings."""
    store = store_of(paths)
    warnings: list[str] = []
    with store.locked():
        if not store.exists():
            data = _fresh(paths, "")
            warnings.append(f"{paths.rel(paths.session_file)} was missing; created a new synthesis session")
        else:
            raw = store.read_raw()
            if raw.get("workflow") == "synthesis" and "schema_version" in raw:
                signing.require_own(raw, store.path)
                given = raw.get("language")
                tagged = _tag_language(raw)
                session = store.parse(raw)
                assert isinstance(session, SynthesisSession)
                if not tagged:
                    return session, warnings
                atomic_write_json(store.path, signing.sealed(raw))
                warnings.append(f"language {given!r} is written as the tag {session.language!r}")
                return session, warnings
            if raw.get("workflow") == "spec-driven":
                raise InvalidInput("is a spec-driven session, not a synthesis session", file=str(store.path))
            data, moved = adopt(raw, paths)
            note = f"; kept invalid values under '{ADOPTED_KEY}': {', '.join(moved)}" if moved else ""
            warnings.append(f"adopted {paths.rel(paths.session_file)} as a synthesis session{note}")
        data = signing.sealed(data)
        session = store.parse(data)
        assert isinstance(session, SynthesisSession)
        atomic_write_json(store.path, data)
    return session, warnings


def transition(
    paths: SessionPaths, target: str, reason: str, change: Callable[[SynthesisSession], None] | None = None
) -> SynthesisSession:
    """`SessionStore.transition` for a synthesis session."""

    def typed(session: Session) -> None:
        assert isinstance(session, SynthesisSession)
        if change is not None:
            change(session)

    result = store_of(paths).transition(target, reason, typed)
    assert isinstance(result, SynthesisSession)
    return result


def update(paths: SessionPaths, change: Callable[[SynthesisSession], None]) -> SynthesisSession:
    """`SessionStore.update` for a synthesis session (no state change)."""

    def typed(session: Session) -> None:
        assert isinstance(session, SynthesisSession)
        change(session)

    result = store_of(paths).update(typed)
    assert isinstance(result, SynthesisSession)
    return result
