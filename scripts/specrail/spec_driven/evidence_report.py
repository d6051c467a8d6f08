"""`specrail evidence [SPEC]`: each section's linked tests and the results its sessions recorded.

Read from the specs as they are now (their `**Tests:**` lines), the tests' `spec:` markers and the
committed session records (the evidence of their last test run), so a fresh clone answers alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from specrail.errors import UsageFailure
from specrail.fileio import read_text
from specrail.spec_driven import evidence, records, specdoc
from specrail.spec_driven.trace import relative


def spec_files(root: Path, specs_dir: str, spec: str | None) -> list[str]:
    """SPEC (a path, or one under the specs folder), else every spec under the specs folder."""
    if spec:
        path = relative(root, spec)
        for candidate in (path, f"{specs_dir}/{path}"):
            if (root / candidate).is_file():
                return [candidate]
        raise UsageFailure(f"{spec}: no such spec")
    base = root / specs_dir
    found = [p.relative_to(root).as_posix() for p in sorted(base.rglob("*.md")) if p.is_file()]
    return [f for f in found if not f.startswith(f"{records.SESSIONS}/")]


def recorded(history: records.History) -> dict[tuple[str, str], dict[str, Any]]:
    """The newest committed evidence entry of each section, with its session and commit."""
    out: dict[tuple[str, str], dict[str, Any]] = {}
    for session in history.sessions:  # oldest first: a later session's entry wins
        for entry in session.record.get("evidence") or []:
            commit = session.commits[0].short if session.commits else None
            out[(entry["spec"], entry["section"])] = {**entry, "session": session.label, "committed": commit}
    return out


def report(root: Path, spec: str | None = None) -> dict[str, Any]:
    specs_dir = records.specs_dir(root)
    wanted = spec_files(root, specs_dir, spec)
    history = records.load(root, sessions_only=True)
    last = recorded(history)
    markers = evidence.marker_links(root)
    sections: list[dict[str, Any]] = []
    keys: set[tuple[str, str]] = set()
    for path in wanted:
        doc = specdoc.parse(read_text(root / path, path, errors="replace"))
        for sec in doc.sections:
            keys.add((path, sec.number))
            if sec.deprecated:
                continue
            links = evidence.links_of(root, path, sec.number, markers)
            entry = last.get((path, sec.number))
            results = {t["test"]: t["result"] for t in (entry or {}).get("tests", [])}
            sections.append(
                {
                    "spec": path,
                    "section": sec.number,
                    "title": sec.title,
                    "tests": [
                        {
                            "test": link.test,
                            "source": link.source,
                            "where": link.where,
                            "last_result": results.get(link.test),
                        }
                        for link in links
                    ],
                    "last_evidence": None
                    if entry is None
                    else {
                        "status": entry["status"],
                        "accepted": entry.get("accepted"),
                        "session": entry["session"],
                        "commit": entry["committed"],
                    },
                }
            )
    orphans = [
        {"test": link.test, "where": link.where, "spec": s, "section": key}
        for (s, key), links in sorted(markers.items())
        if (s in wanted or spec is None) and (s, key) not in keys
        for link in links
    ]
    untested = [f"{s['spec']}#{s['section']}" for s in sections if not s["tests"]]
    return {
        "status": "fail" if orphans else "ok",
        "specs": wanted,
        "sections": sections,
        "untested": untested,
        "orphans": orphans,
        "warnings": history.warnings,
    }


def text(answer: dict[str, Any]) -> str:
    """One line per section, then its tests; then the links to sections that are gone."""
    clean = records.CONTROL.sub
    lines = []
    for s in answer["sections"]:
        last = s["last_evidence"]
        verdict = f"{last['status']} in {last['session'].rsplit('/', 1)[-1]}" if last else "no recorded run"
        if last and last["commit"]:
            verdict += f" ({last['commit']})"
        head = f"{s['spec']}#{s['section']} {s['title']}"
        lines.append(clean("?", f"{head}: {verdict}" if s["tests"] else f"{head}: NO TEST"))
        for t in s["tests"]:
            lines.append(clean("?", f"  {t['test']}  {t['last_result'] or 'no result recorded'}"))
    for o in answer["orphans"]:
        lines.append(
            clean("?", f"{o['where']}: {o['test']} names {o['spec']}#{o['section']}, which does not exist")
        )
    lines.append(
        f"{len(answer['sections'])} section(s), {len(answer['untested'])} without a test, "
        f"{len(answer['orphans'])} link(s) to a missing section"
    )
    lines += [f"warning: {w}" for w in answer["warnings"]]
    return "\n".join(lines)
