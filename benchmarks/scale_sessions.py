"""Large sessions written from scratch for `scale.py`: a brainstorming session of N features and a
spec-driven project whose specs change K numbered sections.

Everything here only writes files; `scale.py` drives them through the real `specrail` commands.
The synthesis session is valid throughout (every spec passes `specrail validate`, dependencies
are mirrored, every conflict topic is addressed), so the timings measure the checks, not error
reporting. Text is varied from a few word lists so that the word-level checks see real prose.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

SESSION = "WFS-scale"
TS = "2026-11-20T09:00:00Z"
ROLES = (
    "api-designer",
    "data-architect",
    "product-manager",
    "security-expert",
    "system-architect",
    "test-strategist",
    "ui-designer",
    "ux-expert",
)
ADJECTIVES = ("offline", "shared", "audited", "layered", "batched", "scoped", "pinned", "tiered", "signed")
NOUNS = ("sync", "export", "search", "inbox", "archive", "billing", "roster", "calendar", "gallery", "ledger")
TOPICS = ("retry budget", "storage layout", "conflict window", "quota policy", "cache eviction", "error copy")
VERBS = ("records", "replays", "batches", "verifies", "indexes", "compacts", "streams", "signs")
OBJECTS = ("journal entries", "device receipts", "merge notices", "upload queues", "audit rows", "snapshots")
CATEGORIES = ("Architecture", "UX", "Requirements", "Risk", "Feasibility", "Process")


def feature_ids(n: int) -> list[str]:
    return [f"F-{i:03d}" for i in range(1, n + 1)]


def name_of(i: int) -> str:
    return f"{ADJECTIVES[i % len(ADJECTIVES)].capitalize()} {NOUNS[(i // 3) % len(NOUNS)]} {i}"


def slug_of(i: int) -> str:
    return name_of(i).lower().replace(" ", "-")


def roles_of(i: int) -> list[str]:
    return sorted({ROLES[i % 8], ROLES[(i + 3) % 8], ROLES[(i + 5) % 8]})


def refs_of(i: int, n: int) -> list[int]:
    """Features that feature `i` depends on: the next one and the one seven further, when they exist."""
    return [j for j in (i + 1, i + 7) if j <= n]


def conflicts_of(i: int) -> list[dict[str, Any]]:
    """One conflict per feature, two for every third; every fifth feature has an unresolved one."""
    roles = roles_of(i)
    count = 2 if i % 3 == 0 else 1
    out = []
    for k in range(count):
        topic = f"{TOPICS[(i + k) % len(TOPICS)].capitalize()} of {name_of(i).lower()}"
        unresolved = k == 0 and i % 5 == 0
        conflict: dict[str, Any] = {
            "topic": topic,
            "views": {
                roles[0]: f"{roles[0]} wants the {topic.lower()} decided per device",
                roles[1]: f"{roles[1]} wants the {topic.lower()} decided on the server",
            },
            "confidence": "[UNRESOLVED]" if unresolved else ("[SUGGESTED]" if k else "[RESOLVED]"),
        }
        if not unresolved:
            conflict["resolution"] = f"Decide the {topic.lower()} on the server, with a device override"
        out.append(conflict)
    return out


def sentence(i: int, k: int) -> str:
    verb = VERBS[(i + k) % len(VERBS)]
    obj = OBJECTS[(i * 3 + k) % len(OBJECTS)]
    other = OBJECTS[(i + 2 * k + 1) % len(OBJECTS)]
    return (
        f"The {name_of(i).lower()} feature {verb} its {obj} before it touches the {other}, so a device "
        f"that reconnects after step {k + 1} sees the same order as every teammate."
    )


def paragraph(i: int, start: int, count: int) -> str:
    return " ".join(sentence(i, k) for k in range(start, start + count))


def spec_text(i: int, n: int, required_by: list[int], enhancements: list[str]) -> str:
    """A valid feature spec of about 1,600 words, half of them in section 2."""
    fid, name = f"F-{i:03d}", name_of(i)
    decisions = []
    for k, conflict in enumerate(conflicts_of(i), start=1):
        topic = conflict["topic"]
        if conflict["confidence"] == "[UNRESOLVED]":
            body = (
                f"**[DECISION NEEDED]**: {topic}. **Options**: per device, or on the server. "
                f"**Evaluation**: {paragraph(i, k, 4)} **Impact if deferred**: {paragraph(i, k + 4, 2)}"
            )
        else:
            body = f"**Decision**: {conflict['resolution']}. **Rationale**: {paragraph(i, k, 6)}"
        decisions.append(f"### 2.{k} {topic}\n\n{body}\n\n**Trade-offs**: {paragraph(i, k + 10, 8)}")
    extra = len(decisions) + 1
    decisions.append(f"### 2.{extra} Data flow\n\n{paragraph(i, 20, 14)}\n\n{paragraph(i, 40, 10)}")
    refs = ", ".join(f"EP-{int(e[3:]):03d}" for e in enhancements) or "none"
    depends = ", ".join(f"F-{j:03d}" for j in refs_of(i, n)) or "none"
    required = ", ".join(f"F-{j:03d}" for j in required_by) or "none"
    decision_text = "\n\n".join(decisions)
    return f"""# Feature Spec: {fid} - {name}

**Priority**: High
**Contributing Roles**: {", ".join(roles_of(i))}
**Status**: Draft (from synthesis)

## 1. Requirements Summary

{paragraph(i, 60, 6)} Enhancements applied: {refs}.

## 2. Design Decisions

{decision_text}

## 3. Interface Contract

{paragraph(i, 70, 8)}

## 4. Constraints & Risks

{paragraph(i, 80, 6)}

## 5. Acceptance Criteria

1. {sentence(i, 90)}
2. {sentence(i, 91)}
3. {sentence(i, 92)}
4. {sentence(i, 93)}

## 6. Detailed Analysis References

- @../guidance-specification.md#feature-decomposition
- @../{roles_of(i)[0]}/analysis-{fid}-{slug_of(i)}.md

## 7. Cross-Feature Dependencies

- **Depends on**: {depends}
- **Required by**: {required}
- **Shared patterns**: the sync journal and its receipts
"""


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def synthesis_session(root: Path, n: int) -> Path:
    """Write a PENDING brainstorming session of `n` features under `root`; returns its folder. Its
    session file is the brainstorming's own (no schema version): `discover` adopts it."""
    session = root / ".workflow" / "active" / SESSION
    brainstorm = session / ".brainstorming"
    state = {
        "workflow": "synthesis",
        "session_id": SESSION,
        "state": "PENDING",
        "created_at": TS,
        "updated_at": TS,
        "history": [],
        "user_intent": f"Turn the brainstorming of {n} features into implementable specs",
        "language": "en",
    }
    _write(session / "workflow-session.json", json.dumps(state, indent=2))
    rows = "\n".join(
        f"| F-{i:03d} | {name_of(i)} | {slug_of(i)} | {sentence(i, 0)} | {', '.join(roles_of(i))} | High |"
        for i in range(1, n + 1)
    )
    _write(
        brainstorm / "guidance-specification.md",
        "# Guidance Specification\n\n## Terminology\n\n| Term | Meaning |\n|---|---|\n"
        "| Sync journal | The ordered log of a device's edits |\n"
        "| Merge notice | A marker on merged blocks |\n\n"
        "## Feature Decomposition\n\n| ID | Name | Slug | Description | Roles | Priority |\n"
        f"|---|---|---|---|---|---|\n{rows}\n",
    )
    for role in ROLES:
        _write(brainstorm / role / "analysis.md", f"# {role} analysis\n\n{paragraph(len(role), 0, 20)}\n")
        _write(brainstorm / role / "analysis-cross-cutting.md", f"# Cross-cutting\n\n{paragraph(3, 0, 8)}\n")
    for i in range(1, n + 1):
        for role in roles_of(i):
            _write(
                brainstorm / role / f"analysis-F-{i:03d}-{slug_of(i)}.md",
                f"# F-{i:03d} from {role}\n\n{paragraph(i, 0, 12)}\n",
            )
    enhancements = [
        {
            "id": f"EP-{e:03d}",
            "title": f"Make the {TOPICS[e % len(TOPICS)]} of {name_of(e).lower()} measurable",
            "affected_roles": roles_of(e)[:2],
            "category": CATEGORIES[e % len(CATEGORIES)],
            "current_state": "Stated as a wish, with no number attached",
            "enhancement": f"State the {TOPICS[e % len(TOPICS)]} as a budget with a unit",
            "rationale": "A budget can be tested; a wish cannot",
            "priority": ("High", "Medium", "Low")[e % 3],
        }
        for e in range(1, max(3, n // 2) + 1)
    ]
    _write(brainstorm / "enhancement-recommendations.json", json.dumps(enhancements, indent=2))
    conflict_map = {
        f"F-{i:03d}": {
            "consensus": [f"Every role wants {name_of(i).lower()} to work offline", sentence(i, 1)],
            "conflicts": conflicts_of(i),
            "cross_refs": [
                f"F-{j:03d}: shares the sync journal of {name_of(i).lower()}" for j in refs_of(i, n)
            ],
        }
        for i in range(1, n + 1)
    }
    _write(brainstorm / "feature-conflict-map.json", json.dumps(conflict_map, indent=2))
    required: dict[int, list[int]] = {i: [] for i in range(1, n + 1)}
    for i in range(1, n + 1):
        for j in refs_of(i, n):
            required[j].append(i)
    for i in range(1, n + 1):
        # Feature e carries enhancement EP-e (when there is one).
        applied = [f"EP-{i:03d}"] if i <= len(enhancements) else []
        _write(
            brainstorm / "feature-specs" / f"F-{i:03d}-{slug_of(i)}.md",
            spec_text(i, n, sorted(required[i]), applied),
        )
    listed = "\n".join(f"- **{e['id']}**: {e['title']} — in F-{e['id'][3:]}" for e in enhancements)
    _write(brainstorm / "synthesis-changelog.md", CHANGELOG.format(applied=listed))
    return session


CHANGELOG = """# Synthesis Changelog

**Session**: WFS-scale

## Enhancements Applied
{applied}

## Clarifications Resolved
- None

## Conflicts Resolved
- Each resolved conflict is written as a decision in section 2 of its feature spec.

## Unresolved Items
- Every fifth feature keeps one [DECISION NEEDED] entry.
"""


# --- spec-driven --------------------------------------------------------------------------------

SECTIONS_PER_SPEC = 25
CONFIG = """spec_driven_feature:
  specs_dir: specs
  commands:
    check:
      run: "true"
    test:
      run: "true"
  refinement:
    max_rounds: 5
  validation:
    required: [test]
"""


def _spec_body(spec: int, section: int, version: str, changed: bool) -> str:
    module = f"src/module_{spec}/part_{section}.py"
    text = (
        f"The part {section} of component {spec} {VERBS[section % len(VERBS)]} its "
        f"{OBJECTS[section % len(OBJECTS)]}. Code in `{module}`, tests in `tests/test_part_{section}.py`."
    )
    if changed:
        text += f" Since {version} it also keeps a retry budget of {section} attempts."
    if changed and section > 1 and section % 4 == 0:
        text += f"\n\nDepends: {spec}.{section - 1}"
    return text


def spec_file(spec: int, sections: int, after: bool) -> str:
    """Spec `spec` with `sections` numbered sub-sections; `after` adds, changes and retires some."""
    version = "1.1" if after else "1.0"
    parts = [f"# Component {spec}\n\n**Version:** {version}\n\n## {spec}. Component {spec}\n"]
    existing = sections - sections // 5
    for s in range(1, sections + 1):
        if s > existing and not after:
            break
        title = f"Part {s}"
        if after and s % 5 == 3 and s <= existing:
            parts.append(
                f"### {spec}.{s} {title} [DEPRECATED]\n\n**Deprecated:** replaced by part {s + 1}.\n"
            )
            continue
        changed = after and (s % 5 in (1, 2) or s > existing)
        parts.append(f"### {spec}.{s} {title}\n\n{_spec_body(spec, s, version, changed)}\n")
    rows = "| 1.0 | 2026-01-10 | Initial specification |"
    if after:
        rows += "\n| 1.1 | 2026-01-20 | Retry budgets; parts retired and added |"
    parts.append(f"## Revision History\n\n| Version | Date | Changes |\n|---|---|---|\n{rows}\n")
    return "\n".join(parts)


def spec_driven_plan(k: int) -> list[tuple[int, int]]:
    """(spec number, sections in the updated spec) so that about `k` sections change in all."""
    # Per spec of S sections after the update: S/5 added, 2 of every 5 of the rest modified, 1 of 5 retired.
    out = []
    left = k
    spec = 1
    while left > 0:
        sections = SECTIONS_PER_SPEC if left >= 15 else max(5, left * 5 // 3)
        out.append((spec, sections))
        left -= changed_sections(sections)
        spec += 1
    return out


def changed_sections(sections: int) -> int:
    existing = sections - sections // 5
    return sum(1 for s in range(1, sections + 1) if s > existing or s % 5 in (1, 2, 3))


def spec_driven_project(root: Path, k: int) -> list[str]:
    """A project whose specs, once updated, change about `k` sections; returns the spec paths."""
    _write(root / ".specrail.yaml", CONFIG)
    specs = []
    for spec, sections in spec_driven_plan(k):
        path = f"specs/component-{spec}.md"
        _write(root / path, spec_file(spec, sections, after=False))
        specs.append(path)
    return specs


def update_specs(root: Path, k: int) -> None:
    """Write the updated specs (what the model does in phase 2)."""
    for spec, sections in spec_driven_plan(k):
        _write(root / f"specs/component-{spec}.md", spec_file(spec, sections, after=True))


def proposal(specs: list[str]) -> str:
    affected = "\n".join(f"- {s} - every part" for s in specs)
    return f"""## Proposal Summary

**Request:** Give every component part a retry budget and retire the parts it replaces.
**Intent:** Failures recover on their own within a bounded number of attempts.
**Affected Specs:**
{affected}

**Key Changes:**
1. Each part keeps a retry budget
2. Retired parts are replaced by new ones

**Open Questions:**
- None
"""


# --- trace and drift: a repository of N committed sessions ---------------------------------------

COMPONENTS = 20
HAND_EDIT_EVERY = 10  # after every tenth session and the last, a commit made outside any session


def _record(i: int, spec: str, section: str, files: list[str]) -> dict[str, Any]:
    """The committed `workflow-session.json` of session `i`: one section changed, one task done."""
    stamp = f"2026-01-{1 + i % 28:02d}T{i % 24:02d}:00:00Z"
    check = {"name": "check", "command": "true", "status": "PASS", "exit_code": 0, "duration_s": 0.1}
    task = {
        "id": "T-001",
        "title": f"Update {section} Part to match spec",
        "action": "update",
        "spec": spec,
        "section": section,
        "spec_ref": f"{spec} §{section}",
        "affected_files": files,
        "depends_on": [],
        "status": "done",
        "attempts": 1,
        "files_changed": files,
        "lines_added": 3,
        "lines_removed": 1,
        "check": check,
    }
    return {
        "schema_version": 1,
        "workflow": "spec-driven",
        "feature": f"change-{i}",
        "date": stamp[:10],
        "request": f"Change {section} of {spec}",
        "state": "COMPLETE",
        "created_at": stamp,
        "updated_at": stamp,
        "history": [],
        "config": {},
        "diffs": {
            spec: {
                "record": f"spec_diffs/{Path(spec).stem}.diff.md",
                "version_before": f"1.{i}",
                "version_after": f"1.{i + 1}",
                "added": 0,
                "modified": 1,
                "deprecated": 0,
                "recorded_at": stamp,
            }
        },
        "tasks": [task],
        "verification": [check],
        "validations": [{**check, "name": "test"}],
        "commits": [{"hash": None, "message": f"feat: change {section}", "files": [spec, *files]}],
    }


def _diff(i: int, spec: str, section: str, files: list[str]) -> dict[str, Any]:
    change = {"section": section, "title": "Part", "change": "MODIFIED", "summary": "+1/-1", "files": files}
    return {
        "spec": spec,
        "version_before": f"1.{i}",
        "version_after": f"1.{i + 1}",
        "version_bumped": True,
        "revision_row_added": True,
        "sections": [change],
    }


def _blob(path: str, text: str) -> str:
    data = text.encode("utf-8")
    return f"M 100644 inline {path}\ndata {len(data)}\n{text}\n"


def _commit(n: int, message: str, changes: list[str]) -> str:
    body = message.encode("utf-8")
    who = f"Bench <bench@example.com> {1_767_225_600 + n * 60} +0000"
    return f"commit refs/heads/main\ncommitter {who}\ndata {len(body)}\n{message}\n" + "".join(changes)


def traced_repository(root: Path, n: int) -> tuple[str, str]:
    """A git repository with `n` committed sessions over 20 specs, each one commit carrying the spec,
    the code and the record (as `spec-driven commit` makes it), and a commit outside any session after
    every tenth. Written with one `git fast-import`; returns a section and a file to trace."""
    root.mkdir(parents=True)
    specs = {c: [f"# Component {c}\n\n**Version:** 1.0\n"] for c in range(1, COMPONENTS + 1)}
    stream = [_commit(0, "baseline", [_blob(f"specs/component-{c}.md", specs[c][0]) for c in specs])]
    for i in range(1, n + 1):
        c, part = 1 + i % COMPONENTS, 1 + i // COMPONENTS
        spec, section = f"specs/component-{c}.md", f"{c}.{part}"
        files = [f"src/module_{c}/part_{part}.py", f"tests/test_part_{c}_{part}.py"]
        specs[c].append(f"\n### {section} Part\n\n{sentence(i, 0)} Code in `{files[0]}`.\n")
        label = f"specs/meta/sessions/change-{i}_2026-01-{1 + i % 28:02d}"
        changes = [
            _blob(spec, "".join(specs[c])),
            *(_blob(f, f"# {section}, session {i}\n") for f in files),
            _blob(f"{label}/workflow-session.json", json.dumps(_record(i, spec, section, files), indent=2)),
            _blob(
                f"{label}/spec_diffs/component-{c}.diff.json",
                json.dumps(_diff(i, spec, section, files), indent=2),
            ),
        ]
        stream.append(_commit(i, f"feat(component-{c}): change {section}", changes))
        if i % HAND_EDIT_EVERY == 0 or i == n:
            edit = _blob(files[0], f"# {section}, session {i}, then edited by hand\n")
            stream.append(_commit(i, f"Tidy {files[0]} by hand", [edit]))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "symbolic-ref", "HEAD", "refs/heads/main"], cwd=root, check=True)
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input="".join(stream).encode(), check=True)
    subprocess.run(["git", "reset", "-q", "--hard", "main"], cwd=root, check=True)
    return "specs/component-2.md#2.1", "src/module_2/part_1.py"
