"""Trace a spec, a section or a code file through the committed sessions: changes, tasks, files, commits.

TARGET is a spec (`specs/notes.md`, or `notes.md` under the specs folder), a section
(`specs/notes.md#2.2`, the title may follow as the table shows it: `specs/notes.md#2.2 Tags`; or a
heading path such as `specs/notes.md#Data Model/Note`, which is how the sections of an unnumbered
spec are keyed) or a code file.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from specrail import fileio, mermaid
from specrail.errors import UsageFailure
from specrail.spec_driven import records, specdoc
from specrail.spec_driven.records import Session, task_files
from specrail.validation.markdown import numbered
from specrail.validation.patterns import REL_PATH_PATTERN

MAX_LISTED = 12  # section keys named in the error for an unknown section
SECTION_NUMBER = re.compile(r"^§?\s*([0-9]+(?:\.[0-9]+)*)\.?(?:\s[^/]*)?$")  # a title may follow, not a path


def heading_key(root: Path, spec: str, fragment: str) -> str | None:
    """The section key (number, or heading path when unnumbered) of the heading that a heading path
    (`Data Model/Note`, the document title optional, case ignored) names in the spec as it is now."""
    path = root / spec
    if not path.is_file():
        return None
    doc = specdoc.parse(fileio.read_text(path, str(path), errors="replace"))
    keys = {sec.line: sec.number for sec in doc.sections}
    wanted = [p.strip().lower() for p in fragment.split("/") if p.strip()]
    stack: list[tuple[int, str]] = []
    for head in doc.headings:
        while stack and stack[-1][0] >= head.level:
            stack.pop()
        stack.append((head.level, (numbered(head.title) or ("", head.title))[1].strip().lower()))
        if [t for _, t in stack][-len(wanted) :] == wanted and head.line in keys:
            return keys[head.line]
    return None


def relative(root: Path, raw: str) -> str:
    """TARGET's path relative to the root, in POSIX form; UsageFailure when it leaves the project."""
    path = Path(raw)
    if path.is_absolute():
        try:
            raw = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            raise UsageFailure(f"{raw} is outside the project") from None
    cleaned = raw.replace("\\", "/").removeprefix("./")
    if not re.match(REL_PATH_PATTERN, cleaned):
        raise UsageFailure(f"{raw!r} is not a relative path inside the project")
    return cleaned


def resolve(root: Path, target: str, known_specs: set[str], specs_dir: str) -> dict[str, str]:
    """What TARGET names: {"kind": "spec" | "section" | "file", "path", and "section" or "heading"}."""
    raw, _, fragment = target.partition("#")
    path = relative(root, raw)
    candidates = [path, f"{specs_dir.rstrip('/')}/{path}"]
    spec = next((c for c in candidates if c in known_specs), None)
    if spec is None and path.endswith(".md"):
        spec = next((c for c in candidates if (root / c).is_file()), None)
    if fragment:
        if spec is None and (root / path).is_file():
            raise UsageFailure(f"{raw} is not a spec: only a spec (a Markdown file) has #sections")
        if spec is None:
            raise UsageFailure(f"{raw} is not a spec of this project (no such file, no session changed it)")
        number = SECTION_NUMBER.match(fragment.strip())
        if number:
            return {"kind": "section", "path": spec, "section": number.group(1)}
        found = heading_key(root, spec, fragment)
        if found:
            return {"kind": "section", "path": spec, "section": found}
        return {"kind": "section", "path": spec, "heading": fragment.strip().strip("/")}
    if spec is not None:
        return {"kind": "spec", "path": spec}
    if (root / path).is_dir():
        raise UsageFailure(f"{raw} is a folder: give a spec, SPEC#SECTION or a code file")
    return {"kind": "file", "path": path}


def current_sections(root: Path, spec: str) -> list[str]:
    """The section keys of the spec as it is now (none when it is gone)."""
    path = root / spec
    if not path.is_file():
        return []
    return [sec.number for sec in specdoc.parse(fileio.read_text(path, str(path), errors="replace")).sections]


def unknown_section(root: Path, what: dict[str, str], fragment: str) -> UsageFailure:
    """The error for a section that neither the spec as it is now nor any committed session has."""
    keys = current_sections(root, what["path"])
    shown = ", ".join(keys[:MAX_LISTED]) + (", ..." if len(keys) > MAX_LISTED else "")
    listed = f"its sections: {shown}" if keys else "it has no sections now"
    return UsageFailure(
        f"{what['path']} has no section {fragment!r}, now or in a committed session; {listed} "
        "(a number, or a heading path such as 'Data Model/Note')"
    )


def _matches(target: dict[str, str], spec: str, change: dict[str, Any]) -> bool:
    if spec != target["path"]:
        return False
    if "section" in target:
        return bool(change["section"] == target["section"])
    if "heading" in target:  # not in the spec as it is now: the recorded key or title
        wanted, key = target["heading"].lower(), change["section"].lower()
        last = wanted.rsplit("/", 1)[-1].strip()
        return key == wanted or wanted.endswith("/" + key) or change["title"].lower() == last
    return True


def _results(runs: list[dict[str, Any]]) -> dict[str, str]:
    return {r["name"]: r["status"] for r in runs}


def entry(session: Session, spec: str, change: dict[str, Any]) -> dict[str, Any]:
    """One section change of one session, with its tasks, files, results and commits."""
    record = session.record
    number = change["section"]
    tasks = [t for t in record.get("tasks", []) if t["spec"] == spec and t["section"] == number]
    files = list(dict.fromkeys(f for t in tasks for f in task_files(t)))
    relevant = [c for c in session.commits if spec in c.files or any(f in c.files for f in files)]
    summary = record.get("diffs", {}).get(spec, {})
    proof = next(
        (e for e in record.get("evidence") or [] if e.get("spec") == spec and e.get("section") == number),
        None,
    )
    return {
        "session": session.label,
        "feature": record["feature"],
        "state": record["state"],
        "spec": spec,
        "section": number,
        "title": change["title"],
        "label": records.section_label(spec, number, change["title"]),
        "change": change["change"],
        "summary": change["summary"],
        "version_before": summary.get("version_before"),
        "version_after": summary.get("version_after"),
        "tasks": [
            {
                "id": t["id"],
                "title": t["title"],
                "status": t.get("status", "pending"),
                "files": task_files(t),
                "check": (t.get("check") or {}).get("status"),
            }
            for t in tasks
        ],
        "files": files,
        "verification": _results(record.get("verification", [])),
        "validations": _results(record.get("validations", [])),
        "evidence": proof
        and {
            "status": proof.get("status"),
            "accepted": proof.get("accepted"),
            "tests": [{"test": t.get("test"), "result": t.get("result")} for t in proof.get("tests") or []],
        },
        "commits": [
            {"commit": c.sha, "short": c.short, "date": c.date, "subject": c.subject}
            for c in reversed(relevant or session.commits)
        ],
    }


def _title(root: Path, spec: str, key: str) -> str:
    """The title of section `key` of the spec as it is now ("" when gone)."""
    path = root / spec
    if not path.is_file():
        return ""
    doc = specdoc.parse(path.read_text(encoding="utf-8", errors="replace"))
    return next((sec.title for sec in doc.sections if sec.number == key), "")


def aligned(root: Path, session: Session) -> list[tuple[str, dict[str, Any]]]:
    """The spec sections a session's alignment tasks changed (phase 4's MEDIUM findings), for the
    specs and sections its diff records do not already name."""
    recorded = {(spec, c["section"]) for spec, d in session.diffs.items() for c in d["sections"]}
    out: list[tuple[str, dict[str, Any]]] = []
    for task in session.record.get("tasks", []):
        spec, key = task.get("spec"), task.get("section")
        if task.get("action") != "align" or not spec or not key or (spec, key) in recorded:
            continue
        recorded.add((spec, key))
        change = {"section": key, "title": _title(root, spec, key), "change": "ALIGNED"}
        out.append((spec, {**change, "summary": task.get("title", "")}))
    return out


def trace(root: Path, target: str) -> dict[str, Any]:
    """Every committed session change that TARGET takes part in, oldest session first."""
    history = records.load(root)
    specs_dir = records.specs_dir(root)
    known = {spec for s in history.sessions for spec in s.diffs}
    known |= {spec for s in history.sessions for spec, _ in aligned(root, s)}
    what = resolve(root, target, known, specs_dir)
    entries = []
    for session in history.sessions:
        changes = [(spec, change) for spec, diff in session.diffs.items() for change in diff["sections"]]
        for spec, change in changes + aligned(root, session):
            if what["kind"] == "file":
                item = entry(session, spec, change)
                if what["path"] in item["files"]:
                    entries.append(item)
            elif _matches(what, spec, change):
                entries.append(entry(session, spec, change))
    if not entries and what["kind"] == "section":
        wanted = what.get("section")
        if wanted is None or wanted not in current_sections(root, what["path"]):
            raise unknown_section(root, what, target.partition("#")[2].strip())
    if not entries and what["kind"] == "file" and not (root / what["path"]).exists():
        raise UsageFailure(f"{what['path']}: no such file, and no committed session names it")
    sections_of_file = list(dict.fromkeys(f"{e['spec']}#{e['section']}" for e in entries))
    return {
        "status": "ok",
        "target": what,
        "sessions": len({e["session"] for e in entries}),
        "entries": entries,
        "sections": sections_of_file,
        "files": list(dict.fromkeys(f for e in entries for f in e["files"])),
        "commits": list(dict.fromkeys(c["short"] for e in entries for c in e["commits"])),
        "warnings": history.warnings,
    }


def graph(answer: dict[str, Any]) -> str:
    """`flowchart LR`: section -> session -> task -> file, and session -> commit."""
    return mermaid.trace_graph(answer["entries"])
