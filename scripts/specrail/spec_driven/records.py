"""The committed spec-driven session records and the git history around them, read back for trace and drift.

Only what is committed counts (HEAD's tree and the log), so the answer is the same in a fresh clone.
Git is asked four times whatever the number of sessions: where HEAD is, the session files in HEAD
(`ls-tree`), their contents (one `cat-file --batch`), and the history with the paths of every commit
(one `log`). Records are checked with the compiled schemas and read as plain JSON: no model classes
to build, so 200 sessions take a fraction of a second.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

from specrail._validators import diff_record_json, workflow_session
from specrail.errors import SpecrailError, UsageFailure
from specrail.fileio import read_text
from specrail.spec_driven import gitops
from specrail.validation.check import parse_yaml

SESSIONS = "specs/meta/sessions"  # spec_driven.session.SESSIONS_DIR, without importing the models
SESSION_FILE = "workflow-session.json"
DIFF_SUFFIX = ".diff.json"
CONFIG_FILE = ".specrail.yaml"
CONTROL = re.compile(r"[\x00-\x1f\x7f]")
SUBJECT_MAX = 200


@dataclass
class Commit:
    sha: str
    date: str
    subject: str
    files: list[str]
    order: int  # 0 is the newest

    @property
    def short(self) -> str:
        return self.sha[:8]


@dataclass
class Session:
    """One committed session: its folder (relative to the root), state, diff records and commits."""

    label: str
    record: dict[str, Any]  # workflow-session.json, valid against its schema
    diffs: dict[str, dict[str, Any]]  # spec -> its spec_diffs/*.diff.json, valid against its schema
    commits: list[Commit] = field(default_factory=list)  # newest first


def task_files(task: dict[str, Any]) -> list[str]:
    """The files a task changed. A task measured from its start (`start_hashes`) changed exactly
    those; an older record that named none stands for the files it declared."""
    if task.get("start_hashes") or task.get("start_dirty") is not None:
        return list(task.get("files_changed") or [])
    return list(task.get("files_changed") or task.get("affected_files") or [])


def section_label(spec: str, key: str, title: str) -> str:
    """`specs/notes.md §2.1 Note`; a heading-path key already names its title."""
    numbered = key.replace(".", "").isdigit()
    return f"{spec} §{key} {title}".rstrip() if numbered else f"{spec} §{key}"


def working_state(path: Path) -> str | None:
    """The `state` of a session file in the working tree (None when it cannot be read)."""
    try:
        data = json.loads(read_text(path, str(path)))
    except (SpecrailError, ValueError):
        return None
    state = data.get("state") if isinstance(data, dict) else None
    return state if isinstance(state, str) else None


def specs_dir(root: Path) -> str:
    """The configured specs folder (`.specrail.yaml`), read leniently: `specs` when not set."""
    path = root / CONFIG_FILE
    if not path.is_file():
        return "specs"
    data = parse_yaml(read_text(path, str(path), errors="replace"), str(path))
    block = data.get("spec_driven_feature") if isinstance(data, dict) else None
    value = block.get("specs_dir") if isinstance(block, dict) else None
    return value.strip("/") if isinstance(value, str) and value.strip("/") else "specs"


@dataclass
class History:
    """The log (newest first), the sessions committed in HEAD, and records that could not be read."""

    commits: list[Commit]
    sessions: list[Session]
    warnings: list[str]

    @property
    def session_commits(self) -> set[str]:
        """The hashes of the commits that belong to a session."""
        return {c.sha for s in self.sessions for c in s.commits}


def run_git(root: Path, *args: str) -> str:
    """git's output as text (UTF-8 whatever the locale; undecodable bytes replaced)."""
    return gitops.git(root, *args).stdout


def has_head(root: Path, warnings: list[str]) -> bool:
    """Whether the repository has a commit; UsageFailure outside a repository. A shallow clone
    hides the commits before its cut, so it is said in a warning."""
    args = ("rev-parse", "--is-inside-work-tree", "--is-shallow-repository", "--verify", "--quiet", "HEAD")
    proc = gitops.git(root, *args, check=False)
    lines = proc.stdout.split()
    if lines[:1] != ["true"]:
        raise UsageFailure(f"{root} is not inside a git repository; trace and drift read its history")
    if lines[1:2] == ["true"]:
        warnings.append(
            "shallow clone: commits before its cut are not seen; fetch the whole history "
            "(git fetch --unshallow, or fetch-depth: 0 in CI)"
        )
    return proc.returncode == 0


def log(root: Path, *paths: str) -> list[Commit]:
    """The commits reachable from HEAD (that change `paths`, when given), newest first, with the
    paths they changed (relative to `root`). Every field is NUL-separated (a subject or a file name
    can hold any other character): each commit is an empty field, its hash, date and subject, then
    its paths (the first one after the newline git puts before them) up to the next empty field."""
    limit = ["--", *paths] if paths else []
    out = run_git(
        root,
        "log",
        "--topo-order",
        "--no-renames",
        "--relative",
        "--name-only",
        "-z",
        "--format=%x00%H%x00%cI%x00%s",
        *limit,
    )
    fields = out.split("\0")
    commits: list[Commit] = []
    i = 0
    while i + 3 < len(fields):
        if fields[i]:  # not at a commit's start: git said something unexpected; skip it
            i += 1
            continue
        sha, date, subject = fields[i + 1 : i + 4]
        i += 4
        files: list[str] = []
        while i < len(fields) and fields[i]:
            files.append(fields[i][1:] if not files and fields[i].startswith("\n") else fields[i])
            i += 1
        subject = CONTROL.sub("?", subject)[:SUBJECT_MAX]  # a subject is the author's text: data
        commits.append(Commit(sha, date, subject, files, len(commits)))
    return commits


def _blobs(root: Path, paths: list[str]) -> dict[str, str]:
    """The contents of `paths` in HEAD, in one `git cat-file --batch` fed NUL-terminated names (a
    name may hold a newline): a missing one is answered with its own name, matched exactly."""
    if not paths:
        return {}
    names = [f"HEAD:./{p}".encode("utf-8", "surrogateescape") for p in paths]
    data = gitops.git_bytes(
        root, "cat-file", "--batch", "-z", stdin=b"".join(n + b"\0" for n in names)
    ).stdout
    contents: dict[str, str] = {}
    pos = 0
    for path, name in zip(paths, names, strict=True):
        missing = name + b" missing\n"
        if data.startswith(missing, pos):
            pos += len(missing)
            continue
        end = data.index(b"\n", pos)
        header = data[pos:end].decode().split()
        pos = end + 1
        if len(header) < 3:
            continue
        size = int(header[2])
        if header[1] == "blob":
            contents[path] = data[pos : pos + size].decode("utf-8", errors="replace")
        pos += size + 1
    return contents


def _committed_files(root: Path) -> list[str]:
    out = run_git(root, "ls-tree", "-r", "-z", "--name-only", "HEAD", "--", SESSIONS)
    return [
        p
        for p in out.split("\0")
        if p.endswith("/" + SESSION_FILE) or ("/spec_diffs/" in p and p.endswith(DIFF_SUFFIX))
    ]


def session_of_path(path: str) -> str | None:
    """`specs/meta/sessions/{name}` for a path inside a session folder, else None."""
    parts = path.split("/")
    depth = SESSIONS.count("/") + 1
    if len(parts) > depth + 1 and "/".join(parts[:depth]) == SESSIONS:
        return "/".join(parts[: depth + 1])
    return None


def nested_projects(root: Path) -> list[str]:
    """The folders below `root` holding spec-driven sessions (a project in a subfolder of `root`)."""
    pattern = f":(glob)**/{SESSIONS}/*/{SESSION_FILE}"
    out = run_git(root, "ls-files", "-z", "--", pattern)
    found = (p.removesuffix(f"/{SESSION_FILE}").rsplit("/", 1)[0] for p in out.split("\0") if p)
    return sorted({f.removesuffix("/" + SESSIONS) for f in found if f != SESSIONS})


def enclosing_project(root: Path) -> Path | None:
    """The nearest folder above `root`, in the same repository, holding spec-driven sessions."""
    here = root.resolve()
    if (here / ".git").exists():
        return None
    for folder in here.parents:
        if (folder / SESSIONS).is_dir():
            return folder
        if (folder / ".git").exists():
            break
    return None


def backed(claimed: dict[int, Commit], carriers: list[Commit], commits: list[Commit]) -> list[Commit]:
    """The commits a record claims that its own commits vouch for: a record names the commits
    made just before the one that carries it (the plan's other groups), each with its files. A
    claimed commit (`claimed`: only those changing no file but the ones its entry lists) is taken
    only when it leads, through claimed commits only, to a commit that touches the session folder:
    a record cannot claim somebody else's commit elsewhere in the history."""
    out = []
    for carrier in carriers:
        order = carrier.order + 1
        while order in claimed and order < len(commits):
            out.append(claimed[order])
            order += 1
    return out


def find_commit(commits: list[Commit], sha: str) -> Commit | None:
    """The commit of a full or abbreviated hash, if it is in the history."""
    return next((c for c in commits if c.sha.startswith(sha)), None)


def checked(text: str, path: str, schema: ModuleType, kind: str, warnings: list[str]) -> Any:
    """The JSON of `text` when it is valid against the compiled schema, else None and a warning
    naming the file and the JSON pointer."""
    try:
        data = json.loads(text)
        schema.validate(data)
        return data
    except RecursionError:
        warnings.append(f"{path}: JSON nested too deeply (left out)")
    except ValueError as exc:
        if not isinstance(exc, schema.JsonSchemaValueException):
            warnings.append(f"{path}: not JSON: {exc} (left out)")
        else:
            from specrail.validation.check import schema_issues

            issues = schema_issues(kind, data, path)
            where = f"{path}::{issues[0].location}: {issues[0].message}" if issues else f"{path}: {exc}"
            warnings.append(f"{where} (left out)")
    return None


def load(root: Path, *, sessions_only: bool = False) -> History:
    """The history and the committed session records; an unreadable record is a warning, not a stop.
    With `sessions_only`, only the commits that change a session folder are read (enough to judge
    staged changes, and fast however long the history)."""
    warnings: list[str] = []
    if not has_head(root, warnings):
        return History([], [], warnings)
    files = _committed_files(root)
    texts = _blobs(root, files)
    commits = log(root, SESSIONS) if sessions_only else log(root)
    by_label: dict[str, Session] = {}
    for path in files:
        if not path.endswith("/" + SESSION_FILE) or path not in texts:
            continue
        label = path.rsplit("/", 1)[0]
        record = checked(texts[path], path, workflow_session, "workflow-session", warnings)
        if not isinstance(record, dict) or record.get("workflow") != "spec-driven":
            continue
        diffs = {}
        for summary in record.get("diffs", {}).values():
            twin = f"{label}/{summary['record'].removesuffix('.diff.md')}{DIFF_SUFFIX}"
            if twin in texts:
                diff = checked(texts[twin], twin, diff_record_json, "diff-record-json", warnings)
                if diff is not None:
                    diffs[diff["spec"]] = diff
        by_label[label] = Session(label, record, diffs)
    known = {c.sha: c for c in commits}
    touched: dict[str, list[Commit]] = {}
    for commit in commits:
        for label in {lab for f in commit.files if (lab := session_of_path(f))}:
            touched.setdefault(label, []).append(commit)
    for session in by_label.values():
        carriers = touched.get(session.label, [])
        claimed = {}
        for recorded in session.record.get("commits", []):
            sha = recorded.get("hash")
            if sha is None:  # the commit carrying the record: found above by its files
                continue
            found = known.get(sha) or find_commit(commits, sha)
            if found is not None and set(found.files) <= set(recorded.get("files") or []):
                claimed[found.order] = found
        session.commits = sorted(
            {c.sha: c for c in [*carriers, *backed(claimed, carriers, commits)]}.values(),
            key=lambda c: c.order,
        )
    sessions = sorted(by_label.values(), key=lambda s: (s.record["created_at"], s.label))
    return History(commits, sessions, warnings)
