"""The Markdown files of a session, generated from what the session recorded (the seed's layouts)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from specrail import mermaid
from specrail.fileio import atomic_write_text
from specrail.models.session import SpecDrivenSession
from specrail.models.spec_driven import CommandResult, DiffRecord, SpecRefinement, TaskRecord
from specrail.spec_driven import output

REFINEMENT_SUMMARY = "refinement_summary.md"
ALIGNMENT_REPORT = "alignment_report.md"
IMPLEMENTATION_LOG = "implementation_log.md"
VALIDATION_REPORT = "validation_report.md"
SUMMARY = "SUMMARY.md"
REPORT_OUTPUT_CHARS = 1200
PROPOSAL = "proposal.md"
DIFFS_DIR = "spec_diffs"


def cell(value: object) -> str:
    """Text safe inside a table cell: no pipe, no line break."""
    return " ".join(str(value).replace("|", "/").split()) or "-"


def table(header: Iterable[str], rows: Iterable[Iterable[object]]) -> list[str]:
    head = list(header)
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join("-" * (len(h) + 2) for h in head) + "|"]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return lines


def write(folder: Path, name: str, lines: list[str]) -> Path:
    path = folder / name
    atomic_write_text(path, "\n".join(lines).rstrip() + "\n")
    return path


def bullets(items: Iterable[str], empty: str) -> list[str]:
    out = [f"- {' '.join(i.split())}" for i in items]
    return out or [f"- {empty}"]


# --- phase 2 ---------------------------------------------------------------------------------


def diff_record(record: DiffRecord, derived: list[str]) -> list[str]:
    before = record.version_before or "(new)" if record.new_spec else record.version_before or "(none)"
    rows = [(c.section, c.change, c.summary) for c in record.sections]
    lines = [
        f"## Spec Diff: {record.spec}",
        "",
        f"**Version:** {before} → {record.version_after or '(none)'}",
        "",
    ]
    lines += ["### Sections Changed", *table(("Section", "Change Type", "Summary"), rows), ""]
    lines += ["### Implementation Implications"]
    lines += bullets([*derived, *record.implications], "No code path is named; read the changed sections.")
    return lines


# --- phase 3 ---------------------------------------------------------------------------------


def final_state(spec: SpecRefinement) -> str:
    if spec.final:
        return spec.final
    if not spec.rounds:
        return "IN_PROGRESS"
    last = spec.rounds[-1].verdict
    return last if last in ("STALLED", "MAX_ROUNDS") else "IN_PROGRESS"


def refinement_summary(session: SpecDrivenSession) -> list[str]:
    rows = []
    for spec, record in session.refinement.items():
        found = sum(r.gaps_found for r in record.rounds)
        resolved = sum(r.gaps_resolved for r in record.rounds)
        rows.append((Path(spec).name, len(record.rounds), found, resolved, final_state(record)))
    decisions = [d for record in session.refinement.values() for r in record.rounds for d in r.decisions]
    deferred = [d for record in session.refinement.values() for r in record.rounds for d in r.deferred]
    deferred += [d for d in session.deferred_items if d.startswith(("Refinement:", "Scope reduced"))]
    lines = [
        "## Refinement Summary",
        "",
        *table(("Spec", "Rounds", "Gaps Found", "Gaps Resolved", "Final State"), rows),
        "",
    ]
    lines += ["### Key Decisions"]
    lines += [f"{i}. {' '.join(d.split())}" for i, d in enumerate(decisions, start=1)] or ["- None recorded."]
    lines += ["", "### Deferred Items", *bullets(deferred, "None.")]
    return lines


# --- phase 4 ---------------------------------------------------------------------------------


def alignment_report(session: SpecDrivenSession) -> list[str]:
    record = session.alignment
    assert record is not None
    counts = {s: sum(1 for f in record.findings if f.severity == s) for s in ("CRITICAL", "MEDIUM", "LOW")}
    lines = ["## Alignment Report", "", f"**Mode:** {session.config.alignment.mode}"]
    lines += [
        f"**Triggered by:** {'; '.join(record.reasons)}",
        f"**Scope:** {', '.join(record.scope) or '-'}",
    ]
    lines += [
        f"**Findings:** {counts['CRITICAL']} CRITICAL, {counts['MEDIUM']} MEDIUM, {counts['LOW']} LOW",
        "",
    ]
    if record.renamed_terms:
        lines += ["### Renamed Terms"]
        lines += [
            f"- `{old}` → {', '.join(f'`{n}`' for n in new) or '(removed)'}"
            for old, new in sorted(record.renamed_terms.items())
        ]
        lines += [""]
    rows = [
        (
            f.severity,
            f.category,
            f"{f.file}:{f.line}" if f.line else f.file,
            f.message + (f" ({f.hint})" if f.hint else ""),
        )
        for f in sorted(record.findings, key=lambda f: ("CRITICAL", "MEDIUM", "LOW").index(f.severity))
    ]
    lines += ["### Findings", *table(("Severity", "Category", "Location", "Finding"), rows), ""]
    lines += [
        "### Handling",
        "- CRITICAL: fix before implementation (the workflow pauses).",
        "- MEDIUM: fix now or in phase 5.",
        "- LOW: logged for later cleanup.",
    ]
    return lines


# --- phase 5 ---------------------------------------------------------------------------------

_TASK_STATUS = {
    "done": "OK",
    "failed": "FAILED",
    "rolled_back": "ROLLED_BACK",
    "skipped": "SKIPPED",
    "pending": "PENDING",
    "in_progress": "IN_PROGRESS",
}


def lines_cell(task: TaskRecord) -> str:
    if not task.lines_added and not task.lines_removed:
        return "0"
    parts = [
        f"+{task.lines_added}" if task.lines_added else "",
        f"-{task.lines_removed}" if task.lines_removed else "",
    ]
    return " ".join(p for p in parts if p)


def result_line(result: CommandResult) -> str:
    detail = f" ({result.summary})" if result.summary else ""
    command = f" `{result.command}`" if result.command else ""
    return f"- {result.name}{command}: {result.status}{detail}"


def implementation_log(session: SpecDrivenSession) -> list[str]:
    rows = [
        (
            f"{t.id} {t.title}",
            ", ".join(t.files_changed or t.affected_files) or "-",
            lines_cell(t),
            _TASK_STATUS[t.status],
        )
        for t in session.tasks
    ]
    lines = [
        "## Implementation Log",
        "",
        "### Tasks Completed",
        *table(("Task", "Files Changed", "Lines", "Status"), rows),
        "",
    ]
    if session.tasks:
        graph = mermaid.task_graph(t.model_dump(mode="json") for t in session.tasks)
        lines += ["### Task Dependencies", "", mermaid.fenced(graph), ""]
    lines += ["### Verification"]
    lines += [result_line(r) for r in session.verification] or ["- Not run yet."]
    issues = [
        f"{i.task + ' ' if i.task else ''}{i.issue}: {'; '.join(i.resolution) or 'not resolved yet'}"
        + (" (open)" if i.open else "")
        for i in session.issues
    ]
    logged = {i.task for i in session.issues}
    issues += [f"{t.id}: {t.note}" for t in session.tasks if t.note and t.id not in logged]
    lines += ["", "### Issues Encountered", *bullets(issues, "None.")]
    return lines


# --- phase 6 ---------------------------------------------------------------------------------


def actionable(result: CommandResult) -> str:
    if result.status in ("FAIL", "TIMEOUT"):
        return "1 (CRITICAL)" if result.critical else "1 (LOW)"
    if result.status == "NOT_CONFIGURED":
        return "1 (LOW)"
    return "0"


def validation_report(session: SpecDrivenSession) -> list[str]:
    rows = [(r.name, r.status, r.summary or r.reason or "-", actionable(r)) for r in session.validations]
    lines = ["## Validation Report", "", f"**Level:** {session.overrides.validation}", ""]
    lines += ["### Results Summary", *table(("Validation", "Status", "Findings", "Actionable"), rows), ""]
    lines += ["### Detailed Results"]
    for r in session.validations:
        lines += [
            "",
            f"#### {r.name}",
            f"- Command: `{r.command}`" if r.command else "- Command: not configured",
            f"- Why: {r.reason or 'planned'}",
            f"- Status: {r.status}" + (f" (exit {r.exit_code})" if r.exit_code is not None else ""),
            f"- Duration: {r.duration_s:.1f} s",
            f"- Critical: {'yes' if r.critical else 'no'}",
        ]
        if r.environment:
            lines.append(f"- Could not run in the project's environment: {r.environment}")
        if r.status in ("FAIL", "TIMEOUT") and r.output_tail:
            shown = output.excerpt(r.output_tail.strip(), REPORT_OUTPUT_CHARS).splitlines()
            lines += ["", "```text", *shown, "```"]
    items = [
        f"[ ] {r.name}: {r.status.lower().replace('_', ' ')}" + (f" - {r.summary}" if r.summary else "")
        for r in session.validations
        if actionable(r) != "0"
    ]
    lines += ["", "### Actionable Items for Follow-up", *bullets(items, "None.")]
    proofs = evidence_lines(session)
    return [*lines, "", *proofs] if proofs else lines


# --- phase 7 ---------------------------------------------------------------------------------


def versions(old: str | None, new: str | None, created: bool) -> str:
    """A spec's versions for SUMMARY: `v1.2 → v1.3`, or what stands for a missing version."""
    before = f"v{old}" if old else "new" if created else ""
    if not new:
        return f"{before} → unversioned" if old else f"{before}, unversioned".lstrip(", ")
    return f"{before or 'unversioned'} → v{new}"


def evidence_lines(session: SpecDrivenSession) -> list[str]:
    """Requirement Evidence: each changed section, its linked tests and their last result."""
    if not session.evidence:
        return []
    rows = [
        (
            f"{e.spec}#{e.section} {e.title}",
            "; ".join(f"`{t.test}` {t.result}" for t in e.tests) or "none linked",
            e.status + (f" (accepted: {e.accepted})" if e.accepted else ""),
            e.commit[:12] if e.commit else "-",
        )
        for e in session.evidence
    ]
    lines = ["### Requirement Evidence", *table(("Section", "Linked Tests", "Evidence", "Tested On"), rows)]
    accepted = [f"{e.spec}#{e.section} {e.title}: {e.accepted}" for e in session.evidence if e.accepted]
    if accepted:
        lines += ["", "**Accepted unproven:**", *bullets(accepted, "")]
    return [*lines, ""]


def summary(
    session: SpecDrivenSession,
    code: dict[str, int],
    artifacts: list[str],
    duration: str,
    *,
    final: bool = True,
) -> list[str]:
    """The seed's Final Summary, with the request, intent, key changes and the task list."""
    proposal = session.proposal
    lines = [
        f"## Feature Complete: {session.feature}",
        "",
        f"**Date:** {session.date}",
        f"**Duration:** {duration}",
        f"**Request:** {' '.join(session.request.split())}",
        f"**Intent:** {' '.join(proposal.intent.split()) if proposal else '-'}",
        "",
        "### Key Changes",
    ]
    changes = proposal.key_changes if proposal else []
    lines += [f"{i}. {' '.join(c.split())}" for i, c in enumerate(changes, start=1)] or ["- None recorded."]
    lines += ["", "### What Changed", "", "**Specs:**"]
    lines += [
        f"- {spec}: "
        + versions(
            d.version_before, d.version_after, not getattr(session.snapshots.get(spec), "existed", True)
        )
        for spec, d in session.diffs.items()
    ]
    lines += [
        "",
        "**Code:**",
        f"- {code['files']} files changed",
        f"- +{code['added']} / -{code['removed']} lines",
    ]
    done = [t for t in session.tasks if t.status == "done"]
    lines += [f"- {len(done)} of {len(session.tasks)} tasks implemented", ""]
    rows = [(t.id, t.title, t.spec_ref, _TASK_STATUS[t.status]) for t in session.tasks]
    lines += ["### Tasks", *table(("Task", "Title", "Spec Section", "Status"), rows), ""]
    passed = [r for r in session.validations if r.status == "PASS"]
    run = [r for r in session.validations if r.status not in ("NOT_CONFIGURED", "SKIPPED")]
    lines += ["### Validation Results", f"- {len(passed)} of {len(run)} validations passed"]
    lines += [result_line(r) for r in session.validations]
    lines += [f"- {len(session.deferred_items)} deferred items logged", ""]
    lines += evidence_lines(session)
    critical = [d for d in session.deferred_items if d.startswith("Deferred CRITICAL gap")]
    if critical:
        lines += ["**Deferred CRITICAL gaps (accepted as partial):**", *bullets(critical, ""), ""]
    lines += ["### Deferred Items", *bullets(session.deferred_items, "None.")]
    lines += ["", "### Commits Created"]
    lines += [
        f"{i}. {c.hash[:12] if c.hash else 'this commit (with the session record)'}: "
        f"{c.message.splitlines()[0]}"
        for i, c in enumerate(session.commits, start=1)
    ]
    if not session.commits:
        lines += [
            "- None yet: the user chose not to commit yet; the session waits in COMMITTING."
            if not final
            else "- None: the project is not a git repository."
        ]
    lines += ["", "### Session Artifacts", *[f"- {a}" for a in artifacts]]
    path = [*(h.model_dump(mode="json", by_alias=True) for h in session.history)]
    if final:  # written just before the COMMITTING -> COMPLETE transition: draw that last step too
        path.append({"from": session.state, "to": "COMPLETE"})
    lines += [
        "",
        "### Workflow Path",
        "",
        mermaid.fenced(mermaid.state_diagram("spec-driven", "COMPLETE" if final else session.state, path)),
    ]
    return lines
