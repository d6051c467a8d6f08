"""Session folder, configuration and overrides: `init`, `abort`, and finding the session of a command."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from specrail import states
from specrail.errors import InvalidInput, IOFailure, SpecrailError, TransitionRefused, UsageFailure
from specrail.fileio import atomic_write_text, now
from specrail.models.config import ProjectConfig, SpecDrivenConfig
from specrail.models.session import Overrides, SpecDrivenSession
from specrail.store import SESSION_FILE, SessionStore, lock_steps, validation_failure
from specrail.validation.check import parse_yaml, read_text
from specrail.validation.decomposition import slugify

SESSIONS_DIR = Path("specs/meta/sessions")
# What of a session folder is not its record: the store's lock, temp files of interrupted writes,
# and the rollback copies of phase 5. Git leaves them out through the folder's own .gitignore.
RECORD_IGNORE = "# working files of the session, not part of its record\n*.lock\n.*.tmp\nbackups/\n"
CONFIG_FILE = ".specrail.yaml"
WORKFLOW = "spec-driven"


@dataclass
class Ctx:
    """One command's view of a session: where it is and what it holds."""

    root: Path
    dir: Path
    store: SessionStore
    session: SpecDrivenSession

    @property
    def label(self) -> str:
        return rel(self.root, self.dir)

    def reload(self) -> SpecDrivenSession:
        self.session = policed(self.root, read_session(self.store))
        return self.session


def rel(root: Path, path: Path) -> str:
    """`path` relative to `root` in POSIX form (absolute when outside the root)."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def read_session(store: SessionStore) -> SpecDrivenSession:
    session = store.read()
    if not isinstance(session, SpecDrivenSession):
        raise UsageFailure("not a spec-driven session", file=str(store.path), pointer="/workflow")
    return session


# --- configuration ---------------------------------------------------------------------------


def load_config(root: Path) -> SpecDrivenConfig:
    """`.specrail.yaml` (safe YAML, validated by the model), or the built-in defaults."""
    path = root / CONFIG_FILE
    if not path.exists():
        return SpecDrivenConfig()
    data = parse_yaml(read_text(path, str(path)), str(path))
    if not isinstance(data, dict):
        raise InvalidInput("the configuration must be a mapping", file=str(path), pointer="/")
    try:
        return ProjectConfig.model_validate(data).spec_driven_feature
    except ValidationError as exc:
        raise validation_failure(exc, str(path)) from None


def effective(config: SpecDrivenConfig, overrides: Overrides) -> SpecDrivenConfig:
    """The configuration with the per-invocation overrides applied."""
    data = config.model_dump(mode="json")
    # Commands are read from the project when they run (`commands.project_commands`), never from here.
    data["commands"] = {}
    for cond in data["validation"]["conditional"]:
        cond["run"] = None
    if overrides.max_rounds is not None:
        data["refinement"]["max_rounds"] = overrides.max_rounds
    return SpecDrivenConfig.model_validate(data)


def merge_overrides(old: Overrides, given: dict[str, Any]) -> Overrides:
    data = old.model_dump()
    data.update({k: v for k, v in given.items() if v is not None})
    return Overrides.model_validate(data)


# --- the session's record ------------------------------------------------------------------


def write_record_ignore(folder: Path) -> None:
    path = folder / ".gitignore"
    if not path.is_file():
        atomic_write_text(path, RECORD_IGNORE)


def record_files(root: Path, folder: Path) -> list[str]:
    """The files of the session's record (relative to `root`): the folder without its working files."""
    out = []
    for path in sorted(folder.rglob("*")):
        inner = path.relative_to(folder)
        if not path.is_file() or inner.parts[0] == "backups" or path.name.endswith(".lock"):
            continue
        if path.name.startswith(".") and path.name.endswith(".tmp"):
            continue
        out.append(rel(root, path))
    return out


# --- finding a session -----------------------------------------------------------------------


def sessions_root(root: Path) -> Path:
    return root / SESSIONS_DIR


def _summary(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(read_text(path, str(path)))
    except (SpecrailError, ValueError):
        return None
    return data if isinstance(data, dict) and data.get("workflow") == WORKFLOW else None


def active_sessions(root: Path, *, finished: bool = False) -> list[Path]:
    """Folders of non-terminal spec-driven sessions (or, with `finished`, of all of them),
    most recently updated first."""
    found = []
    for path in sessions_root(root).glob(f"*/{SESSION_FILE}"):
        data = _summary(path) if valid_folder_name(path.parent.name) else None
        if data and (finished or data.get("state") not in states.TERMINAL):
            found.append((str(data.get("updated_at", "")), path.parent.name, path.parent))
    return [p for _, _, p in sorted(found, reverse=True)]


def valid_folder_name(name: str) -> bool:
    """Whether a session folder's name may appear in answers and commands: `init` makes
    `{feature}_{date}`; a name with spaces, quotes or control characters is not one of ours."""
    return re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,120}", name) is not None


def locate(root: Path, session: str | None) -> Path:
    """The session folder named by `--session` (a path or a folder name), else the newest active one."""
    if session:
        candidates = [Path(session), root / session, sessions_root(root) / session]
        for candidate in candidates:
            if (candidate / SESSION_FILE).is_file():
                return candidate
        raise UsageFailure(f"no {SESSION_FILE} in {session}", file=session)
    active = active_sessions(root)
    if not active:
        raise UsageFailure(
            f"no active spec-driven session under {SESSIONS_DIR}; "
            'start one with `specrail spec-driven init "REQUEST"`'
        )
    return active[0]


def open_ctx(root: Path, session: str | None) -> Ctx:
    folder = locate(root, session)
    if not valid_folder_name(folder.resolve().name):
        raise UsageFailure(
            "the session folder's name is not one specrail makes ({feature}_{date}: letters, digits, "
            "'.', '_', '-'); rename the folder, or start a new session with `specrail spec-driven init`"
        )
    store = SessionStore(folder / SESSION_FILE)
    return Ctx(root, folder, store, policed(root, read_session(store)))


def policed(root: Path, session: SpecDrivenSession) -> SpecDrivenSession:
    """`session` with the project's configuration in place of the record's copy: what runs and what
    is required comes from `.specrail.yaml` (and the user's overrides), never from the record."""
    session.config = effective(load_config(root), session.overrides)
    return session


def _store_of(root: Path, session: str | None) -> SessionStore | None:
    try:
        return SessionStore(locate(root, session) / SESSION_FILE)
    except UsageFailure:
        return None


one_at_a_time = lock_steps(_store_of)
"""Hold the session's lock through a whole step (see `specrail.store.lock_steps`)."""


# --- guards ----------------------------------------------------------------------------------


def require(ctx: Ctx, action: str, *allowed: str, decision_ok: bool = False) -> None:
    """Refuse (before anything is written) a step taken in the wrong state or past an open decision."""
    session = ctx.session
    if session.state not in allowed:
        where = " or ".join(allowed)
        raise TransitionRefused(
            f"`{action}` is a step of {where}; the session is in {session.state} "
            "(`specrail spec-driven status` says what to do next)",
            file=str(ctx.store.path),
            pointer="/state",
        )
    if session.pending_decision is not None and not decision_ok:
        decision = session.pending_decision
        raise TransitionRefused(
            f"a decision is pending ({decision.reason}); ask the user, then run "
            f"`specrail spec-driven resolve --choice ...` with one of: {', '.join(decision.options)}",
            file=str(ctx.store.path),
            pointer="/pending_decision",
        )


def require_inside(root: Path, folder: Path) -> None:
    """Refuse a session folder that a symlink on the way (`specs/meta/sessions`, a parent, the
    folder itself) leads outside the project: nothing is created or written through it."""
    top = root.resolve()
    path = folder
    while True:
        if path.is_symlink() and not path.resolve().is_relative_to(top):
            raise UsageFailure(
                f"refused: {path.relative_to(root).as_posix()} is a symlink to {path.resolve()}, "
                "outside the project; session records are written only inside it: "
                "replace the symlink with a folder",
                file=str(path),
            )
        if path == root or path.parent == path:
            break
        path = path.parent
    if not folder.resolve().is_relative_to(top):
        raise UsageFailure(f"refused: {rel(root, folder)} lies outside the project", file=str(folder))


# --- init and abort --------------------------------------------------------------------------


def feature_slug(request: str, feature: str | None) -> str:
    slug = slugify(feature) if feature else "-".join(slugify(request).split("-")[:5])
    slug = slug[:60].strip("-")
    if not slug:
        raise UsageFailure("cannot derive a feature name from the request; pass --feature NAME")
    return slug


def init(
    root: Path,
    request: str,
    *,
    feature: str | None = None,
    date: str | None = None,
    overrides: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Create `specs/meta/sessions/{feature}_{date}/` in PENDING, or resume the one already there."""
    if not request.strip():
        raise UsageFailure("the feature request is empty")
    slug = feature_slug(request, feature)
    day = date or today()
    folder = sessions_root(root) / f"{slug}_{day}"
    require_inside(root, folder)
    store = SessionStore(folder / SESSION_FILE)
    given = overrides or {}
    base = load_config(root)  # a bad configuration stops init before anything is written
    if store.exists():
        existing = read_session(store)
        if existing.state in states.TERMINAL:
            raise InvalidInput(
                f"the session of {slug!r} for {day} is {existing.state}; pass another --feature name",
                file=str(store.path),
                pointer="/state",
            )

        from specrail.spec_driven.settings import refuse_on_resume

        refuse_on_resume(existing, given, rel(root, folder), str(store.path))
        session = existing
        return {
            "status": "ok",
            "created": False,
            "resumed": True,
            "session": rel(root, folder),
            "feature": slug,
            "config": session.config.model_dump(mode="json"),
            "overrides": session.overrides.model_dump(mode="json"),
            **commands_report(root, session.config),
        }
    chosen = merge_overrides(Overrides(), given)
    stamp = now()
    session = SpecDrivenSession(
        schema_version=1,
        workflow="spec-driven",
        feature=slug,
        date=day,
        request=request.strip(),
        state="PENDING",
        created_at=stamp,
        updated_at=stamp,
        history=[],
        config=effective(base, chosen),
        overrides=chosen,
    )
    fresh = not folder.exists()
    try:
        store.create(session)
        write_record_ignore(folder)
    except (IOFailure, OSError):
        if fresh:  # everything in it is this init's: leave no half-made session behind
            shutil.rmtree(folder, ignore_errors=True)
        raise
    answer = {
        "status": "ok",
        "created": True,
        "resumed": False,
        "session": rel(root, folder),
        "feature": slug,
        "config": session.config.model_dump(mode="json"),
        "overrides": chosen.model_dump(mode="json"),
        **commands_report(root, session.config),
    }
    from specrail.spec_driven.overlap import warnings as overlapping

    answer["warnings"] += overlapping(root, rel(root, folder))
    return answer


def commands_report(root: Path, config: SpecDrivenConfig) -> dict[str, Any]:
    """The project's commands as `init` shows them, with a warning for each one missing."""
    from specrail.spec_driven.commands import project_commands

    found = project_commands(root, config)
    warnings = [
        f"no command for {name!r} detected; set spec_driven_feature.commands.{name}.run in {CONFIG_FILE}"
        for name in found.missing
    ]
    from specrail import trust
    from specrail.spec_driven.runner import listed

    approved = trust.is_approved(root, listed(found))
    if not approved:
        warnings.append(
            "the project's commands are not approved yet, and phases 5 and 6 run them: show the user "
            f"`commands`, then run `{trust.approve_command(root, listed(found))}` (the client asks the user)"
        )
    from specrail.spec_driven import gitops

    if not gitops.is_repo(root):
        warnings.append(
            "the project is not a git repository: phase 7 cannot commit (the session finishes without a "
            "commit), changed files are known only from the tasks, and trace and drift, which read "
            "committed session records, find nothing; run `git init` and commit first"
        )
    return {"commands": {**found.as_json(), "approved": approved}, "warnings": warnings}


@one_at_a_time
def abort(root: Path, session: str | None, reason: str) -> dict[str, Any]:
    """Cancel the session: ABORTED with the user's reason (allowed from every non-terminal state)."""
    ctx = open_ctx(root, session)

    def clear(s: Any) -> None:
        s.pending_decision = None

    ctx.store.transition("ABORTED", f"aborted: {reason}", clear)
    from specrail.spec_driven import backups

    backups.remove(root, ctx.dir)
    return {"status": "ok", "session": ctx.label, "aborted": True, "reason": reason}
