"""Phase 5, planning: tasks from the diff records, their dependencies, and a stable topological order."""

from __future__ import annotations

import heapq
import shlex
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specrail import fileio
from specrail.errors import InvalidInput, IOFailure, TransitionRefused, UsageFailure
from specrail.fileio import read_text
from specrail.models.session import SpecDrivenSession
from specrail.models.spec_driven import AlignmentFinding, DiffRecord, TaskRecord
from specrail.spec_driven import generated, reports, specdoc
from specrail.spec_driven.session import Ctx, one_at_a_time, open_ctx, require
from specrail.spec_driven.snapshot import inside, sha256
from specrail.validation.report import pointer

ACTION = {"ADDED": "implement", "MODIFIED": "update", "DEPRECATED": "remove"}
TITLE = {
    "implement": "Implement {n} {t}",
    "update": "Update {n} {t} to match spec",
    "remove": "Remove {n} {t}",
    "align": "Align {n} {t}",
}


@dataclass
class Draft:
    key: tuple[str, str, str]  # (spec, section, action)
    title: str
    spec_ref: str
    files: list[str]
    hints: list[str]
    depends: set[str] = field(default_factory=set)


def extract(records: Sequence[DiffRecord], exclude: Sequence[str]) -> list[Draft]:
    """One task per changed section; files under `exclude` (specs, the session) are not code."""
    drafts = []
    for record in records:
        for change in record.sections:
            action = ACTION[change.change]
            files = [
                f
                for f in change.files
                if not any(f == x or f.startswith(x.rstrip("/") + "/") for x in exclude)
            ]
            numbered = specdoc.SECTION_KEY.fullmatch(change.section) is not None
            drafts.append(
                Draft(
                    key=(record.spec, change.section, action),
                    title=TITLE[action].format(n=change.section, t=change.title)
                    if numbered
                    else TITLE[action].format(n="", t=change.section).replace("  ", " "),
                    spec_ref=f"{record.spec} §{change.section}",
                    files=files,
                    hints=list(change.depends),
                )
            )
    return drafts


def alignment_drafts(root: Path, session: SpecDrivenSession) -> list[Draft]:
    """One task per section holding MEDIUM alignment findings (the seed: "queue for Phase 5")."""
    record = session.alignment
    grouped: dict[tuple[str, str], list[AlignmentFinding]] = {}
    for finding in record.findings if record else []:
        if finding.severity != "MEDIUM":
            continue
        path = root / finding.file
        key = "(top)"
        if finding.line and path.is_file():
            doc = specdoc.parse(fileio.read_text(path, str(path), errors="replace"))
            key = next((s.number for s in reversed(doc.sections) if s.line <= finding.line), key)
        grouped.setdefault((finding.file, key), []).append(finding)
    drafts = []
    for (file, key), found in grouped.items():
        more = f" (+{len(found) - 1} more)" if len(found) > 1 else ""
        first = found[0]
        drafts.append(
            Draft(
                key=(file, key, "align"),
                title=TITLE["align"].format(n=file, t=f"{key}: {' '.join(first.message.split())}{more}")[
                    :200
                ],
                spec_ref=f"{file}:{first.line}" if first.line else file,
                files=[file],
                hints=[],
            )
        )
    return drafts


def assign_ids(drafts: Sequence[Draft], previous: Sequence[TaskRecord]) -> list[str]:
    """Ids stay with their (spec, section, action) across re-runs; new tasks take the next numbers."""
    known = {(t.spec, t.section, t.action): t.id for t in previous}
    taken = set(known.values())
    counter = max((int(i[2:]) for i in taken), default=0)
    ids = []
    for draft in drafts:
        if draft.key in known:
            ids.append(known[draft.key])
            continue
        counter += 1
        while f"T-{counter:03d}" in taken:
            counter += 1
        ids.append(f"T-{counter:03d}")
    return ids


def link(drafts: Sequence[Draft], ids: Sequence[str]) -> None:
    """Dependencies implied by the diffs: sub-section after section (same action), removal after the
    additions of the same spec that replace it, and `Depends:` hints written in the sections."""
    by_key = {d.key: i for d, i in zip(drafts, ids, strict=True)}
    for draft, task_id in zip(drafts, ids, strict=True):
        spec, section, action = draft.key
        separator = "." if specdoc.SECTION_KEY.fullmatch(section) else "/"
        parent = section.rsplit(separator, 1)[0] if separator in section else None
        if parent and (spec, parent, action) in by_key:
            draft.depends.add(by_key[(spec, parent, action)])
        if action == "remove":
            draft.depends.update(
                i for d, i in zip(drafts, ids, strict=True) if d.key[0] == spec and d.key[2] == "implement"
            )
        for hint in draft.hints:
            if hint.startswith("T-"):
                draft.depends.add(hint)
            else:
                draft.depends.update(i for (s, n, _), i in by_key.items() if s == spec and n == hint)
        draft.depends.discard(task_id)


def find_cycle(nodes: Sequence[str], edges: Mapping[str, set[str]]) -> list[str]:
    """A cycle among `nodes` (each depends on the ones in `edges`), as a closed path of ids.

    Depth-first with an explicit stack, so a chain of any length cannot exhaust the recursion limit.
    """
    members = set(nodes)
    done: set[str] = set()
    for start in nodes:
        if start in done:
            continue
        path: list[str] = [start]
        on_path = {start}
        pending = [iter(sorted(d for d in edges.get(start, ()) if d in members))]
        while pending:
            dep = next(pending[-1], None)
            if dep is None:
                finished = path.pop()
                on_path.discard(finished)
                done.add(finished)
                pending.pop()
            elif dep in on_path:
                return [*path[path.index(dep) :], dep]
            elif dep not in done:
                path.append(dep)
                on_path.add(dep)
                pending.append(iter(sorted(d for d in edges.get(dep, ()) if d in members)))
    return []


def order(ids: Sequence[str], edges: Mapping[str, set[str]]) -> list[str]:
    """Kahn's algorithm; among ready tasks the earliest in `ids` goes first. A cycle is an error."""
    unknown = sorted({d for i in ids for d in edges.get(i, ()) if d not in ids})
    if unknown:
        raise InvalidInput(f"dependency on unknown task {', '.join(unknown)}")
    position = {task: n for n, task in enumerate(ids)}
    waiting = {task: len(edges.get(task, ())) for task in ids}
    dependents: dict[str, list[str]] = {task: [] for task in ids}
    for task in ids:
        for dep in edges.get(task, ()):
            dependents[dep].append(task)
    ready = [position[t] for t in ids if waiting[t] == 0]
    heapq.heapify(ready)
    out = []
    while ready:
        task = ids[heapq.heappop(ready)]
        out.append(task)
        for dependent in dependents[task]:
            waiting[dependent] -= 1
            if waiting[dependent] == 0:
                heapq.heappush(ready, position[dependent])
    if len(out) < len(ids):
        rest = [t for t in ids if t not in out]
        cycle = find_cycle(rest, edges)
        raise InvalidInput(f"task dependencies form a cycle: {' -> '.join(cycle)}")
    return out


def _pairs(raw: Sequence[str], what: str) -> list[tuple[str, str]]:
    out = []
    for item in raw:
        left, sep, right = item.partition("=" if what == "files" else ":")
        if not sep or not left.strip() or not right.strip():
            form = "T-001=path,path" if what == "files" else "T-002:T-001"
            raise UsageFailure(f"--{what} {item!r} is not of the form {form}")
        out.append((left.strip(), right.strip()))
    return out


def load_records(ctx: Ctx) -> list[DiffRecord]:
    """The diff records, refused when one differs from what `diff` wrote."""
    records_md = [s.record for s in ctx.session.diffs.values()]
    names = [*records_md, *(r.replace(".diff.md", ".diff.json") for r in records_md)]
    generated.require_unchanged(ctx, names, "tasks")
    records = []
    for summary in ctx.session.diffs.values():
        twin = ctx.dir / summary.record.replace(".diff.md", ".diff.json")
        try:
            records.append(DiffRecord.model_validate_json(read_text(twin, str(twin))))
        except IOFailure as exc:
            raise IOFailure(f"cannot read the diff record: {exc.message}", file=str(twin)) from None
        except ValueError as exc:
            raise InvalidInput(f"invalid diff record: {exc}", file=str(twin)) from None
    return records


def section_hashes(root: Path, specs: Sequence[str]) -> dict[tuple[str, str], str]:
    """sha256 of each section's text as it is now, by (spec, section key)."""
    out = {}
    for spec in dict.fromkeys(specs):
        path = root / spec
        if path.is_file():
            doc = specdoc.parse(fileio.read_text(path, str(path)))
            for sec in doc.sections:
                out[(spec, sec.number)] = sha256(sec.normalized.encode("utf-8"))
    return out


def reopen_if_changed(task: TaskRecord, digest: str | None) -> TaskRecord:
    """A finished task whose section changed since it was planned goes back to pending."""
    changed = digest is not None and task.section_sha256 not in (None, digest)
    update: dict[str, Any] = {"section_sha256": digest or task.section_sha256}
    if changed and task.status not in ("pending", "in_progress"):
        why = f"re-opened: {task.spec_ref} changed since the task was {task.status.replace('_', ' ')}"
        update.update(status="pending", note=f"{task.note}; {why}" if task.note else why)
    return task.model_copy(update=update)


# --- stale plans ----------------------------------------------------------------------------


def spec_hash(ctx: Ctx, spec: str) -> str | None:
    path = ctx.root / spec
    return sha256(fileio.read_bytes(path, str(path))) if path.is_file() else None


def require_fresh(ctx: Ctx, action: str, *, tasks_too: bool = True) -> None:
    """Refuse a step of phase 5 when a spec changed after its diff was recorded, or the diff after
    the tasks were planned (sessions recorded before these hashes existed are not checked)."""
    session = ctx.session
    for spec, summary in session.diffs.items():
        now = spec_hash(ctx, spec)
        if summary.spec_sha256 is not None and now != summary.spec_sha256:
            again = (
                f"record the diff again (`specrail spec-driven diff --spec {shlex.quote(spec)}`), "
                "then re-plan (`specrail spec-driven tasks`)"
            )
            if now is None:  # a spec is deprecated section by section, never deleted (diff refuses it)
                why = f"{spec} was deleted or moved after its diff was recorded; restore it, then {again}"
            else:
                why = f"{spec} changed after its diff was recorded; {again}"
            raise TransitionRefused(
                f"`{action}` refused: {why}",
                file=str(ctx.store.path),
                pointer=pointer("diffs", spec, "spec_sha256"),
            )
    if not tasks_too:
        return
    for n, task in enumerate(session.tasks):
        recorded = session.diffs.get(task.spec)
        if recorded is None or None in (task.spec_sha256, recorded.spec_sha256):
            continue
        if task.spec_sha256 != recorded.spec_sha256:
            raise TransitionRefused(
                f"`{action}` refused: {task.id} was planned before the diff of {task.spec} was recorded "
                "again; re-plan with `specrail spec-driven tasks` (finished tasks whose section did not "
                "change stay done)",
                file=str(ctx.store.path),
                pointer=pointer("tasks", n, "spec_sha256"),
            )


@one_at_a_time
def plan(
    root: Path, session: str | None, files: Sequence[str] = (), depends: Sequence[str] = ()
) -> dict[str, Any]:
    """Extract (or re-extract, keeping ids and progress) the tasks, and store them in dependency order."""
    ctx = open_ctx(root, session)
    require(ctx, "tasks", "IMPLEMENTING")
    require_fresh(ctx, "tasks", tasks_too=False)
    current = ctx.session
    exclude = [current.config.specs_dir, ctx.label]
    drafts = extract(load_records(ctx), exclude) + alignment_drafts(root, current)
    ids = assign_ids(drafts, current.tasks)
    link(drafts, ids)
    previous = {t.id: t for t in current.tasks}
    extra_files: dict[str, list[str]] = {}
    for task_id, paths in _pairs(files, "files"):
        if task_id not in ids:
            raise UsageFailure(f"--files names unknown task {task_id}; tasks: {', '.join(ids)}")
        extra_files.setdefault(task_id, []).extend(
            inside(root, p.strip()) for p in paths.split(",") if p.strip()
        )
    explicit = {i: set(previous[i].explicit_depends) if i in previous else set() for i in ids}
    for task_id, dep in _pairs(depends, "depends"):
        if task_id not in ids or dep not in ids:
            raise UsageFailure(f"--depends {task_id}:{dep} names an unknown task; tasks: {', '.join(ids)}")
        explicit[task_id].add(dep)
    edges = {i: d.depends | explicit[i] for d, i in zip(drafts, ids, strict=True)}
    ordered = order(ids, edges)
    digests = section_hashes(root, [d.key[0] for d in drafts])
    tasks = []
    reopened = []
    for task_id in ordered:
        draft = drafts[ids.index(task_id)]
        old = previous.get(task_id)
        spec = draft.key[0]
        affected = list(
            dict.fromkeys([*(old.affected_files if old else []), *draft.files, *extra_files.get(task_id, [])])
        )
        fields = {
            "id": task_id,
            "title": draft.title,
            "action": draft.key[2],
            "spec": draft.key[0],
            "section": draft.key[1],
            "spec_ref": draft.spec_ref,
            "affected_files": affected,
            "depends_on": sorted(edges[task_id]),
            "explicit_depends": sorted(explicit[task_id]),
            "spec_sha256": current.diffs[spec].spec_sha256 if spec in current.diffs else None,
        }
        digest = digests.get(draft.key[:2])
        if old:
            task = reopen_if_changed(old.model_copy(update=fields), digest)
            if task.status == "pending" and old.status != "pending":
                reopened.append(task_id)
            tasks.append(task)
        else:
            tasks.append(TaskRecord.model_validate({**fields, "section_sha256": digest}))
    # Finished work whose section left the diff stays on record; pending work is dropped.
    kept = [t for t in current.tasks if t.id not in ids and t.status != "pending"]
    known = set(ids) | {t.id for t in kept}
    for t in kept:
        summary = current.diffs.get(t.spec)
        update = {"depends_on": [d for d in t.depends_on if d in known]}
        tasks.append(t.model_copy(update=update | {"spec_sha256": summary.spec_sha256 if summary else None}))

    def apply(s: Any) -> None:
        s.tasks = tasks

    ctx.store.update(apply)
    generated.write(ctx, reports.IMPLEMENTATION_LOG, reports.implementation_log(ctx.reload()))
    return {
        "status": "ok",
        "session": ctx.label,
        "order": ordered,
        "reopened": reopened,
        "tasks": [
            {
                k: v
                for k, v in t.model_dump(mode="json").items()
                if k in ("id", "title", "action", "spec_ref", "affected_files", "depends_on", "status")
            }
            for t in tasks
        ],
    }
