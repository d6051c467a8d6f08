"""Drift: code changed after its spec section was implemented, and specs edited outside any session.

A section is implemented by the done tasks of the committed sessions that changed it; their files
are the section's files. A commit that belongs to no session (neither listed in a session record
nor carrying one) drifts when it changes one of those files after the last session commit that
implemented the section in that file, or when it edits a spec once sessions are in use (the spec
changed without a diff record). With `--staged` (the pre-commit hook), only the staged changes are
judged, as the next commit: they belong to a session when a session folder has uncommitted changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from specrail.errors import UsageFailure
from specrail.spec_driven import records
from specrail.spec_driven.records import Commit, History, Session, task_files

STAGED = "STAGED"


@dataclass
class Implemented:
    """One section's file, as the last session that implemented the section left it."""

    spec: str
    section: str
    title: str
    file: str
    session: Session
    boundary: Commit  # the newest session commit that implemented the section in this file


def implemented(history: History) -> dict[str, list[Implemented]]:
    """Per file, the sections it implements with the commit after which a change is drift."""
    last: dict[tuple[str, str, str], Implemented] = {}
    for session in history.sessions:
        if not session.commits:
            continue
        titles = {(s, c["section"]): c["title"] for s, d in session.diffs.items() for c in d["sections"]}
        for task in session.record.get("tasks", []):
            if task.get("status") != "done":
                continue
            spec, section = task["spec"], task["section"]
            for path in task_files(task):
                touching = [c for c in session.commits if path in c.files]
                boundary = (touching or session.commits)[0]
                key = (spec, section, path)
                old = last.get(key)
                if old is None or boundary.order < old.boundary.order:
                    title = titles.get((spec, section), task["title"])
                    last[key] = Implemented(spec, section, title, path, session, boundary)
    by_file: dict[str, list[Implemented]] = {}
    for item in last.values():
        by_file.setdefault(item.file, []).append(item)
    return by_file


def section_key(number: str) -> tuple[int, ...]:
    return tuple(int(p) for p in number.split("."))


def is_spec(path: str, specs_dir: str) -> bool:
    prefix = specs_dir.strip("/") + "/"
    inside = path.startswith(prefix) and not path.startswith(prefix + "meta/")
    return inside and path.endswith(".md") and records.session_of_path(path) is None


def since_commits(root: Path, ref: str) -> set[str]:
    """The commits after `ref` (those reachable from HEAD but not from `ref`)."""
    try:
        out = records.run_git(root, "rev-list", f"{ref}..HEAD", "--")
    except UsageFailure:
        raise UsageFailure(f"--since {ref}: not a commit of this repository") from None
    return set(out.split())


def staged(root: Path) -> Commit | None:
    """The staged changes as the next commit, or None when they belong to an open session."""
    names = records.run_git(root, "diff", "--cached", "--name-only", "--relative", "-z")
    files = [p for p in names.split("\0") if p]
    if not files:
        return None
    open_sessions = records.run_git(
        root, "status", "--porcelain", "-z", "--untracked-files=all", "--", records.SESSIONS
    )
    if open_sessions.strip("\0"):
        return None
    return Commit(STAGED, "", "staged changes", files, -1)


def commit_json(commit: Commit) -> dict[str, str]:
    return {"commit": commit.sha, "short": commit.short, "date": commit.date, "subject": commit.subject}


def drift(root: Path, since: str | None = None, with_staged: bool = False) -> dict[str, Any]:
    """Every drift finding; `status` is "drift" when there is any."""
    history = records.load(root)
    specs_dir = records.specs_dir(root)
    session_shas = set(history.session_of)
    first = max((c.order for s in history.sessions for c in s.commits), default=-1)
    window = since_commits(root, since) if since else None
    candidates = [
        c
        for c in history.commits
        if c.sha not in session_shas and c.order < first and (window is None or c.sha in window)
    ]
    if with_staged:  # only the commit being made: drift already in the history is not its fault
        pending = staged(root) if history.sessions else None
        candidates = [pending] if pending is not None else []
    by_file = implemented(history)
    code: list[dict[str, Any]] = []
    specs: list[dict[str, Any]] = []
    for commit in candidates:
        for path in commit.files:
            for item in sorted(by_file.get(path, []), key=lambda i: (i.spec, section_key(i.section))):
                if commit.order < item.boundary.order:
                    code.append(
                        {
                            "file": path,
                            **commit_json(commit),
                            "spec": item.spec,
                            "section": item.section,
                            "title": item.title,
                            "implemented_in": {"session": item.session.label, **commit_json(item.boundary)},
                        }
                    )
            if is_spec(path, specs_dir):
                specs.append({"file": path, **commit_json(commit)})
    return {
        "status": "drift" if code or specs else "ok",
        "sessions": len(history.sessions),
        "commits_checked": len(candidates),
        "since": since,
        "staged": with_staged,
        "code": code,
        "specs": specs,
        "warnings": history.warnings,
    }
