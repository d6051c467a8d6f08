"""`specrail overlap` (CI, pre-commit) and the commit gate: a changed section whose base moved.

`overlap` fails when a session of this branch (committed or in the working tree, not in the base)
changes a section that the base also changed after the merge-base, or that a session of another
unmerged branch changes too. `commit` refuses when a changed section's text on the branch is no
longer the one the session's diff started from.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from specrail.errors import InvalidInput, UsageFailure
from specrail.spec_driven import gitops, specdoc
from specrail.spec_driven.overlap import Claim, batch, committed, known_base, refs, section_hash, working

if TYPE_CHECKING:  # `specrail overlap` starts without the models
    from specrail.models.session import SpecDrivenSession

MAX_WALK = 50


def hashes(text: bytes | None) -> dict[str, str]:
    if text is None:
        return {}
    doc = specdoc.parse(text.decode("utf-8", errors="replace"))
    return {sec.number: section_hash(sec) for sec in doc.sections}


def last_commit(root: Path, since: str, until: str, spec: str) -> dict[str, str] | None:
    out = gitops.git(root, "log", "-1", "--format=%H%x00%s", f"{since}..{until}", "--", spec).stdout.strip()
    sha, _, subject = out.partition("\0")
    return {"commit": sha, "short": sha[:8], "subject": subject} if sha else None


def check(root: Path, base: str | None = None) -> dict[str, Any]:
    """Conflicts of this branch's sessions with the base and with other unmerged sessions."""
    if not gitops.is_repo(root):
        raise UsageFailure(f"{root} is not in a git repository: overlap compares branches")
    explicit = base is not None
    base = base or known_base(root)
    base_sha = None
    if base is not None:
        found = gitops.git(root, "rev-parse", "--verify", "-q", f"{base}^{{commit}}", check=False)
        if found.returncode != 0 and explicit:
            raise UsageFailure(f"--base {base}: no such branch or commit (fetch it first in CI)")
        base_sha = found.stdout.strip() or None
    at = gitops.git(root, "rev-parse", "--verify", "-q", "HEAD", check=False)
    head = at.stdout.strip() if at.returncode == 0 else None
    merge_base = None
    if head and base_sha:
        merge_base = gitops.git(root, "merge-base", head, base_sha, check=False).stdout.strip() or None
    branches = refs(root)
    wanted = {**branches, **({"\0HEAD": head} if head else {}), **({"\0BASE": base_sha} if base_sha else {})}
    seen = committed(root, wanted)
    in_base = seen.pop("\0BASE", {})
    here = seen.pop("\0HEAD", {})
    mine = {f: c for f, c in here.items() if f not in in_base and c.state != "ABORTED"}
    for folder, claim in working(root).items():
        if folder not in in_base and claim.state != "ABORTED":
            mine[folder] = claim
    others: dict[str, Claim] = {}
    for name, sessions in seen.items():
        for folder, claim in sessions.items():
            if folder in in_base or folder in mine or claim.state == "ABORTED" or branches[name] == head:
                continue
            others.setdefault(folder, Claim(claim.label, claim.state, claim.sections)).refs.append(name)
    specs = sorted({spec for c in mine.values() for spec, _ in c.sections}) if merge_base else []
    texts = batch(root, [f"{rev}:{spec}" for spec in specs for rev in (merge_base, base_sha)])
    moved: dict[str, set[str]] = {}
    for i, spec in enumerate(specs):
        before, after = hashes(texts[2 * i]), hashes(texts[2 * i + 1])
        moved[spec] = {k for k in set(before) | set(after) if before.get(k) != after.get(k)}
    conflicts: list[dict[str, Any]] = []
    for _, claim in sorted(mine.items()):
        for spec, key in sorted(claim.sections):
            if merge_base and base_sha and key in moved.get(spec, set()):
                conflicts.append(
                    {
                        "kind": "base",
                        "section": f"{spec}#{key}",
                        "sessions": [claim.label],
                        "base": base,
                        "changed_in": last_commit(root, merge_base, base_sha, spec),
                    }
                )
            for _, other in sorted(others.items()):
                if (spec, key) in other.sections:
                    conflicts.append(
                        {
                            "kind": "session",
                            "section": f"{spec}#{key}",
                            "sessions": [claim.label, other.label],
                            "refs": other.refs,
                        }
                    )
    return {
        "status": "fail" if conflicts else "ok",
        "base": base if merge_base else None,
        "merge_base": merge_base,
        "sessions": sorted(c.label for c in mine.values()),
        "others": sorted(c.label for c in others.values()),
        "conflicts": conflicts,
    }


def text(answer: dict[str, Any]) -> str:
    lines = []
    for c in answer["conflicts"]:
        if c["kind"] == "base":
            where = c["changed_in"]
            by = f" in {where['short']} {where['subject']!r}" if where else ""
            lines.append(
                f"{c['section']}: changed by {c['sessions'][0]} and on {c['base']} since the merge-base{by}"
            )
        else:
            first, second = c["sessions"]
            lines.append(f"{c['section']}: changed by {first} and by {second} ({', '.join(c['refs'])})")
    ours = f"{len(answer['sessions'])} session(s) on this branch, {len(answer['others'])} unmerged elsewhere"
    if not lines:
        against = answer["base"] or "another branch (no base branch to compare with; pass --base REF)"
        return f"no overlap with {against}: {ours}"
    lines.append(f"overlap: {len(answer['conflicts'])} conflict(s); {ours}")
    lines.append("fix: agree which change wins, bring it into the spec, and re-run the session's diff")
    return "\n".join(lines)


def moved_bases(root: Path, session: SpecDrivenSession) -> list[dict[str, Any]]:
    """Changed sections whose text on the branch (HEAD) is no longer their recorded base, with the
    commit that moved each one; empty before git has a HEAD or once the session committed."""
    if session.commits or not gitops.is_repo(root):
        return []
    if gitops.git(root, "rev-parse", "--verify", "-q", "HEAD", check=False).returncode != 0:
        return []
    out = []
    for spec, summary in session.diffs.items():
        recorded = {k: v for k, v in summary.bases.items() if v is not None}
        if not recorded:
            continue
        [now] = batch(root, [f"HEAD:{spec}"])
        current = hashes(now)
        for key, base in sorted(recorded.items()):
            if current.get(key) == base:
                continue
            moved, commit = mover(root, spec, key, base)
            if moved:  # a base never committed (the spec was being edited at snapshot) proves nothing
                out.append({"spec": spec, "section": key, "commit": commit})
    return out


def mover(root: Path, spec: str, key: str, base: str) -> tuple[bool, dict[str, str] | None]:
    """Whether the branch once held `base` (in its last commits of the spec), and the commit after
    which the section stopped being it (newest first walk)."""
    listed = gitops.git(root, "log", f"-{MAX_WALK}", "--format=%H%x00%s", "HEAD", "--", spec).stdout
    commits = [line.partition("\0") for line in listed.splitlines() if line]
    texts = batch(root, [f"{sha}:{spec}" for sha, _, _ in commits])
    found = None
    for (sha, _, subject), data in zip(commits, texts, strict=True):
        if hashes(data).get(key) == base:
            return True, found
        found = {"commit": sha, "short": sha[:8], "subject": subject}
    return False, found


def refuse_moved(root: Path, session: SpecDrivenSession, file: str) -> None:
    """InvalidInput naming each moved section and the commit that moved it."""
    moved = moved_bases(root, session)
    if not moved:
        return
    named = "; ".join(
        f"{m['spec']}#{m['section']} (changed in {m['commit']['short']} {m['commit']['subject']!r})"
        if m["commit"]
        else f"{m['spec']}#{m['section']}"
        for m in moved
    )
    specs = sorted({m["spec"] for m in moved})
    raise InvalidInput(
        f"the branch changed what this session's diff started from: {named}. Bring that change into "
        f"the spec, then re-run the diff against the branch: `specrail spec-driven rebase --spec {specs[0]}`",
        file=file,
        pointer="/diffs",
    )
