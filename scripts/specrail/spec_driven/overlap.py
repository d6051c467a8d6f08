"""The overlap gate: sessions on other branches, or the base, changing the sections a session changes.

Each session records, per changed section, the section's hash at snapshot (`DiffSummary.bases`).
The records committed on every local and remote-tracking branch are read with one `for-each-ref`
and two batched `cat-file` reads (the session folders of each ref, then each distinct record).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specrail import states
from specrail.errors import IOFailure
from specrail.fileio import read_text
from specrail.spec_driven import gitops, specdoc

SESSIONS = "specs/meta/sessions"
SESSION_FILE = "workflow-session.json"
MAX_LISTED = 10


def section_hash(sec: specdoc.SpecSection) -> str:
    """A section's identity for the gate: its title and its text, blank lines and trailing spaces
    ignored."""
    return hashlib.sha256(f"{sec.title}\n{sec.normalized}".encode()).hexdigest()


def bases(before: str | None, keys: Iterable[str]) -> dict[str, str | None]:
    """The hash of each of `keys` in the spec's "before" text (None: the section is new)."""
    found = specdoc.parse(before).by_number() if before is not None else {}
    return {k: section_hash(found[k]) if k in found else None for k in keys}


@dataclass
class Claim:
    """A session and the sections it changes, with where it was found."""

    label: str
    state: str
    sections: dict[tuple[str, str], str | None]  # (spec, section) -> base hash
    refs: list[str] = field(default_factory=list)


def claims_of(label: str, record: Any) -> Claim | None:
    if not isinstance(record, dict) or record.get("workflow") != "spec-driven":
        return None
    sections: dict[tuple[str, str], str | None] = {}
    for spec, summary in (record.get("diffs") or {}).items():
        for key, base in ((summary or {}).get("bases") or {}).items():
            sections[(spec, key)] = base
    return Claim(label, str(record.get("state", "")), sections)


# --- batched git reads ---------------------------------------------------------------------------


def batch(root: Path, names: Sequence[str]) -> list[bytes | None]:
    """`git cat-file --batch` of `names` (`rev:path` or object ids), in order; None when missing."""
    if not names:
        return []
    out = gitops.git_bytes(
        root, "cat-file", "--batch", stdin="".join(f"{n}\n" for n in names).encode()
    ).stdout
    found: list[bytes | None] = []
    at = 0
    for _ in names:
        end = out.index(b"\n", at)
        header = out[at:end].split(b" ")
        if len(header) != 3:  # "<name> missing" or "ambiguous"
            found.append(None)
            at = end + 1
            continue
        size = int(header[2])
        found.append(out[end + 1 : end + 1 + size])
        at = end + 1 + size + 1
    return found


def tree_dirs(data: bytes) -> dict[str, str]:
    """The sub-folders of a raw git tree object: name -> tree id."""
    out = {}
    at = 0
    while at < len(data):
        space = data.index(b" ", at)
        nul = data.index(b"\0", space)
        mode, name = data[at:space], data[space + 1 : nul].decode("utf-8", errors="replace")
        oid = data[nul + 1 : nul + 21].hex()
        if mode == b"40000":
            out[name] = oid
        at = nul + 21
    return out


def refs(root: Path) -> dict[str, str]:
    """Local and remote-tracking branches: name -> commit."""
    listed = gitops.git(
        root, "for-each-ref", "--format=%(refname:short)%00%(objectname)", "refs/heads", "refs/remotes"
    ).stdout
    out = {}
    for line in listed.splitlines():
        name, _, sha = line.partition("\0")
        if sha and not name.endswith("/HEAD"):
            out[name] = sha
    return out


def committed(root: Path, commits: dict[str, str]) -> dict[str, dict[str, Claim]]:
    """For each named commit, its sessions (folder -> claim), read in two batches."""
    unique = list(dict.fromkeys(commits.values()))
    trees = dict(zip(unique, batch(root, [f"{sha}:{SESSIONS}" for sha in unique]), strict=True))
    folders = {sha: tree_dirs(data) if data else {} for sha, data in trees.items()}
    oids = list(dict.fromkeys(oid for f in folders.values() for oid in f.values()))
    records = dict(zip(oids, batch(root, [f"{oid}:{SESSION_FILE}" for oid in oids]), strict=True))
    parsed: dict[str, Claim | None] = {}
    out: dict[str, dict[str, Claim]] = {}
    for name, sha in commits.items():
        found: dict[str, Claim] = {}
        for folder, oid in folders[sha].items():
            if oid not in parsed:
                try:
                    data = records[oid]
                    parsed[oid] = claims_of(f"{SESSIONS}/{folder}", json.loads(data)) if data else None
                except ValueError:
                    parsed[oid] = None
            claim = parsed[oid]
            if claim is not None:
                found[folder] = claim
        out[name] = found
    return out


def working(root: Path) -> dict[str, Claim]:
    """The sessions in the working tree (committed or not)."""
    out: dict[str, Claim] = {}
    for path in sorted((root / SESSIONS).glob(f"*/{SESSION_FILE}")):
        try:
            claim = claims_of(f"{SESSIONS}/{path.parent.name}", json.loads(read_text(path, str(path))))
        except (ValueError, OSError, IOFailure):
            continue
        if claim is not None:
            found = out.setdefault(path.parent.name, claim)
            found.refs.append("working tree")
    return out


def elsewhere(root: Path) -> dict[str, Claim]:
    """Sessions of the other branches not merged here: on a branch, absent from HEAD (or still
    open there), and not aborted. Folder -> claim, with the branches holding it."""
    if not gitops.is_repo(root):
        return {}
    branches = refs(root)
    head = gitops.git(root, "rev-parse", "--verify", "-q", "HEAD", check=False).stdout.strip()
    seen = committed(root, {**branches, **({"HEAD": head} if head else {})})
    here = seen.pop("HEAD", {})
    out: dict[str, Claim] = {}
    for name, sessions in seen.items():
        for folder, claim in sessions.items():
            if claim.state == "ABORTED" or (folder in here and here[folder].state in states.TERMINAL):
                continue
            found = out.setdefault(folder, Claim(claim.label, claim.state, claim.sections))
            found.refs.append(name)
    return out


def shared(mine: Claim, other: Claim, specs: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """The sections both change (with `specs`: every section of theirs in those specs)."""
    if specs is not None:
        wanted = set(specs)
        return sorted(k for k in other.sections if k[0] in wanted)
    return sorted(set(mine.sections) & set(other.sections))


def warnings(root: Path, label: str, specs: Iterable[str] | None = None) -> list[str]:
    """`init` / `start-update` / `diff`: another open session changes the same sections (all of
    theirs at init, those of the affected specs at start-update, the same ones after the diff)."""
    try:
        others = elsewhere(root)
        local = working(root)
    except (IOFailure, ValueError):
        return []
    mine = local.get(label.rsplit("/", 1)[-1]) or Claim(label, "", {})
    live = {k: v for k, v in local.items() if k not in others and v.state not in states.TERMINAL}
    out = []
    for folder, other in sorted({**others, **live}.items()):
        if other.label == mine.label:
            continue
        keys = shared(mine, other, specs) if specs is not None or mine.sections else sorted(other.sections)
        if not keys:
            continue
        where = ", ".join(other.refs) or "this branch"
        named = ", ".join(f"{s}#{k}" for s, k in keys[:MAX_LISTED]) + (
            ", ..." if len(keys) > MAX_LISTED else ""
        )
        out.append(
            f"session {folder} ({where}, {other.state}) also changes {named}: agree on who changes it, "
            "or expect `specrail overlap` to fail when both are merged"
        )
    return out


def known_base(root: Path) -> str | None:
    """The first of origin/HEAD, origin/main, origin/master, main, master that exists, or None."""
    for name in ("origin/HEAD", "origin/main", "origin/master", "main", "master"):
        if gitops.git(root, "rev-parse", "--verify", "-q", name, check=False).returncode == 0:
            return name
    return None
