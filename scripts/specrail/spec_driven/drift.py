"""Drift: code changed after its spec section was implemented, and specs edited outside any session.

A section is implemented by the done tasks of the committed sessions that changed it; their files
are the section's files (none once the latest of them removed the section), and the newest
commit of those sessions is its boundary. A commit that
belongs to no session (neither listed in a session record nor carrying one) drifts when it changes
one of a section's files after the section's boundary (a later session covering the section moves
the boundary past it), or when it edits a spec once sessions are in use and no later session
recorded a diff of that spec (a spec: any file a session recorded a diff of, wherever it lives, and
every Markdown file of the specs folder). With `--staged` (the pre-commit hook), only the staged
changes are judged, as the next commit: they belong to a session when its record is staged with them, or when
a session folder holds an unfinished session not committed yet. An aborted session covers nothing:
its commits are judged like any other."""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from specrail.errors import UsageFailure
from specrail.spec_driven import records
from specrail.spec_driven.records import Commit, History, Session, task_files

STAGED = "STAGED"
TERMINAL = ("COMPLETE", "ABORTED", None)  # None: no readable state


@dataclass
class Implemented:
    """A section as its latest session left it: its files and the commit after which a change is drift."""

    spec: str
    section: str
    title: str
    files: set[str]
    session: Session
    boundary: Commit  # the newest commit of the sessions that implemented the section
    removed: bool  # the latest session removed the section: its files implement it no longer


def implemented(history: History) -> dict[str, list[Implemented]]:
    """Per file, the sections it implements (done tasks of any session, the latest one deciding)."""
    sections: dict[tuple[str, str], Implemented] = {}
    for session in history.sessions:
        if not session.commits:
            continue
        titles = {(s, c["section"]): c["title"] for s, d in session.diffs.items() for c in d["sections"]}
        newest = session.commits[0]
        actions: dict[tuple[str, str], set[str]] = {}
        for task in session.record.get("tasks", []):
            if task.get("status") != "done" or task.get("action") == "align":
                continue  # an alignment task fixes a spec; it implements no section
            key = (task["spec"], task["section"])
            actions.setdefault(key, set()).add(task["action"])
            item = sections.get(key)
            if item is None or (newest.order < item.boundary.order and item.session is not session):
                title = titles.get(key, item.title if item else task["title"])
                files = item.files if item else set()
                item = sections[key] = Implemented(*key, title, files, session, newest, False)
            item.files.update(task_files(task))
        for key, done in actions.items():
            if sections[key].session is session:
                sections[key].removed = done == {"remove"}
    by_file: dict[str, list[Implemented]] = {}
    for item in sections.values():
        for path in item.files if not item.removed else ():
            by_file.setdefault(path, []).append(item)
    return by_file


def spec_reviewed(history: History) -> dict[str, int]:
    """Per spec, the order of the newest commit of a session that recorded a diff of it."""
    newest: dict[str, int] = {}
    for session in history.sessions:
        if session.commits:
            for spec in session.record.get("diffs", {}):
                newest[spec] = min(newest.get(spec, session.commits[0].order), session.commits[0].order)
    return newest


def section_key(key: str) -> list[tuple[int, str]]:
    """Numbers in numeric order (2.10 after 2.9); heading paths after them, by name."""
    return [(int(p), "") if p.isdigit() else (1 << 30, p) for p in re.split(r"[./]", key)]


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
    """The staged changes as the next commit, or None when they belong to a session: its record (not
    an aborted one) is staged with them, or a session folder holds an unfinished session not committed yet."""
    names = records.run_git(root, "diff", "--cached", "--name-only", "--no-renames", "--relative", "-z")
    files = [p for p in names.split("\0") if p]
    if not files:
        return None
    staged_sessions = {label for p in files if (label := records.session_of_path(p))}
    if any(records.working_state(root / s / records.SESSION_FILE) != "ABORTED" for s in staged_sessions):
        return None
    changed = records.run_git(
        root, "ls-files", "-z", "--others", "--modified", "--exclude-standard", "--", records.SESSIONS
    )
    for path in changed.split("\0"):
        ours = path.endswith("/" + records.SESSION_FILE) and records.session_of_path(path)
        if ours and records.working_state(root / path) not in TERMINAL:
            return None
    return Commit(STAGED, "", "staged changes", files, -1)


def commit_json(commit: Commit) -> dict[str, str]:
    return {"commit": commit.sha, "short": commit.short, "date": commit.date, "subject": commit.subject}


def drift(root: Path, since: str | None = None, with_staged: bool = False) -> dict[str, Any]:
    """Every drift finding; `status` is "drift" when there is any."""
    history = records.load(root, sessions_only=with_staged)
    # an aborted session was never verified: its commits are judged like any other, it covers nothing
    history.sessions = [s for s in history.sessions if s.record["state"] != "ABORTED"]
    specs_dir = records.specs_dir(root)
    session_shas = history.session_commits
    first = max((c.order for s in history.sessions for c in s.commits), default=-1)
    window = since_commits(root, since) if since and not with_staged else None
    candidates = [
        c
        for c in history.commits
        if c.sha not in session_shas and c.order < first and (window is None or c.sha in window)
    ]
    if with_staged:  # only the commit being made: drift already in the history is not its fault
        pending = staged(root) if history.sessions else None
        candidates = [pending] if pending is not None else []
    if not history.sessions and (nested := records.nested_projects(root)):
        where = " ".join(shlex.quote(n) for n in nested)
        history.warnings.append(
            f"no session in this folder, but the project(s) {where} below it have some: run with "
            f"--root {shlex.quote(nested[0])} (in pre-commit: args: [--root, {nested[0]}])"
        )
    if not history.sessions and (above := records.enclosing_project(root)):
        back = shlex.quote(os.path.relpath(above, root.resolve()))
        history.warnings.append(
            f"no session in this folder, but the project above it has some: run with --root {back}"
        )
    by_file = implemented(history)
    reviewed = spec_reviewed(history)
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
                            "label": records.section_label(item.spec, item.section, item.title),
                            "implemented_in": {"session": item.session.label, **commit_json(item.boundary)},
                        }
                    )
            # a spec: any file a session recorded a diff of (a README, docs/*.md, *.rst), or specs/*.md
            if (path in reviewed or is_spec(path, specs_dir)) and commit.order < reviewed.get(
                path, first + 1
            ):
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
