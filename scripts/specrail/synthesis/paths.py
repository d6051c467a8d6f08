"""Where a brainstorming session's files live, and which session a command means."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from specrail.errors import InvalidInput, UsageFailure
from specrail.validation.patterns import ROLE_PATTERN, SESSION_ID_PATTERN

ACTIVE_DIR = Path(".workflow") / "active"
SESSION_FILE = "workflow-session.json"
BRAINSTORM = ".brainstorming"
GUIDANCE = "guidance-specification.md"
RECOMMENDATIONS = "enhancement-recommendations.json"
CONFLICT_MAP = "feature-conflict-map.json"
FEATURE_INDEX = "feature-index.json"
SPECS_DIR = "feature-specs"
SYNTHESIS_SPEC = "synthesis-specification.md"
CHANGELOG = "synthesis-changelog.md"
REVIEW_REPORT = "review-report.md"
CONTEXT_PACKAGE = Path(".process") / "context-package.json"
ANSWERS_FILE = Path(".process") / "synthesis-answers.json"
CROSS_CUTTING = "analysis-cross-cutting.md"

_SESSION_ID = re.compile(SESSION_ID_PATTERN)
_ROLE = re.compile(ROLE_PATTERN)


def check_session_id(value: str) -> str:
    """`value` when it is a plain session id (WFS-...); refused before it touches any path."""
    if len(value) > 100 or not _SESSION_ID.match(value):
        raise UsageFailure(
            f"--session {value[:60]!r} is not a session id: expected WFS- followed by letters, digits, "
            "'-' or '_' (no '/', '..', spaces or shell characters)"
        )
    return value


@dataclass(frozen=True)
class SessionPaths:
    """The files of one session, as absolute paths plus the forms the answers use."""

    root: Path
    session_id: str

    @property
    def session_dir(self) -> Path:
        return self.root / ACTIVE_DIR / self.session_id

    @property
    def session_file(self) -> Path:
        return self.session_dir / SESSION_FILE

    @property
    def brainstorm_dir(self) -> Path:
        return self.session_dir / BRAINSTORM

    @property
    def guidance(self) -> Path:
        return self.brainstorm_dir / GUIDANCE

    @property
    def recommendations(self) -> Path:
        return self.brainstorm_dir / RECOMMENDATIONS

    @property
    def conflict_map(self) -> Path:
        return self.brainstorm_dir / CONFLICT_MAP

    @property
    def feature_index(self) -> Path:
        return self.brainstorm_dir / FEATURE_INDEX

    @property
    def specs_dir(self) -> Path:
        return self.brainstorm_dir / SPECS_DIR

    @property
    def synthesis_spec(self) -> Path:
        return self.brainstorm_dir / SYNTHESIS_SPEC

    @property
    def changelog(self) -> Path:
        return self.brainstorm_dir / CHANGELOG

    @property
    def review_report(self) -> Path:
        return self.brainstorm_dir / REVIEW_REPORT

    @property
    def context_package(self) -> Path:
        return self.session_dir / CONTEXT_PACKAGE

    @property
    def answers_file(self) -> Path:
        return self.session_dir / ANSWERS_FILE

    def spec_path(self, feature_id: str, slug: str) -> Path:
        return self.specs_dir / f"{feature_id}-{slug}.md"

    def rel(self, path: Path) -> str:
        """`path` relative to the session folder (the form stored in the session)."""
        return path.relative_to(self.session_dir).as_posix()

    def brel(self, path: Path) -> str:
        """`path` relative to the `.brainstorming` folder (the form the artifacts use)."""
        return path.relative_to(self.brainstorm_dir).as_posix()

    def prel(self, path: Path) -> str:
        """`path` relative to the project root (the form the context package uses)."""
        return path.relative_to(self.root).as_posix()


def active_sessions(root: Path) -> list[str]:
    """Ids of the session folders under `.workflow/active/`, sorted."""
    active = root / ACTIVE_DIR
    if not active.is_dir():
        return []
    return sorted(p.name for p in active.iterdir() if p.is_dir() and _SESSION_ID.match(p.name))


class SeveralSessions(InvalidInput):
    """More than one active session and none named: the user must choose."""

    def __init__(self, sessions: list[str], root: Path) -> None:
        super().__init__(
            f"{len(sessions)} active sessions: {', '.join(sessions)}; pass --session WFS-ID",
            file=str(root / ACTIVE_DIR),
        )
        self.sessions = sessions


def resolve(root: Path, session: str | None) -> SessionPaths:
    """The session named by `--session`, or the only active one."""
    root = root.absolute()
    if session is not None:
        paths = SessionPaths(root, check_session_id(session))
        if not paths.session_dir.is_dir():
            known = active_sessions(root)
            listed = f"; active sessions: {', '.join(known)}" if known else ""
            raise UsageFailure(f"no session folder {session}{listed}", file=str(root / ACTIVE_DIR))
        return paths
    found = active_sessions(root)
    if not found:
        raise UsageFailure(
            "no active brainstorming session (expected a WFS-* folder); run the brainstorming first "
            "or pass --session",
            file=str(root / ACTIVE_DIR),
        )
    if len(found) > 1:
        raise SeveralSessions(found, root)
    return SessionPaths(root, found[0])


def is_role_name(name: str) -> bool:
    return len(name) <= 64 and bool(_ROLE.match(name))
