"""Phase 4: whether alignment runs (trigger conditions), and what it finds (references, terminology).

Findings, by severity:
- CRITICAL: a link to a file that does not exist; a reference to a section or heading that this
  change removed. The workflow pauses (BLOCKED) until it is fixed.
- MEDIUM: a reference to a section or heading that does not exist (not removed by this change), a
  section reference to a missing file, a reference to a section now deprecated, a renamed term
  still used elsewhere.
- LOW: a term removed without replacement that other specs still use.
"""

from __future__ import annotations

import contextlib
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, cast

from specrail import fileio
from specrail.errors import TransitionRefused, UsageFailure
from specrail.fileio import now, read_text
from specrail.models.spec_driven import (
    AlignmentFinding,
    AlignmentRecord,
    DiffRecord,
    PendingDecision,
    Severity,
)
from specrail.spec_driven import generated, reports, specdoc
from specrail.spec_driven import terms as terminology
from specrail.spec_driven.escalation import ALIGNMENT_OPTIONS
from specrail.spec_driven.session import SESSIONS_DIR, Ctx, one_at_a_time, open_ctx, require
from specrail.spec_driven.snapshot import before_text
from specrail.spec_driven.tasks import load_records
from specrail.spec_driven.tasks import plan as plan_tasks
from specrail.validation.markdown import FENCE

# Neither the text nor the target may hold a bracket, so no start rescans the line (linear time).
LINK = re.compile(r"(?<!!)\[[^\[\]\n]*\]\(([^()\[\]\s]+)(?:\s+\"[^\"\n]*\")?\)")
SECTION_REF = re.compile(r"(?:§\s*|\b[Ss]ections?\s+)([0-9]+(?:\.[0-9]+)*)\b")
MD_MENTION = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w.-]+\.md)\b")
STATE_WORDS = re.compile(r"state[ -]machine|\btransitions?\b", re.IGNORECASE)
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)
NEAR = 60
Category = Literal[
    "broken_link", "missing_section", "missing_anchor", "deprecated_reference", "terminology", "reported"
]


@dataclass
class Spec:
    path: str
    before: specdoc.SpecDoc | None
    after: specdoc.SpecDoc


def spec_files(ctx: Ctx) -> list[str]:
    """Every Markdown file under the specs folder except the session folders."""
    base = ctx.root / ctx.session.config.specs_dir
    skip = (ctx.root / SESSIONS_DIR).resolve()
    out = []
    for path in sorted(base.rglob("*.md")) if base.is_dir() else []:
        if not path.resolve().is_relative_to(skip):
            out.append(path.relative_to(ctx.root).as_posix())
    return out


def resolve_target(ctx: Ctx, source: str, target: str, known: list[str], link: bool) -> str:
    """The file a reference points at, as a root-relative path (it may not exist)."""
    if target.startswith("/"):
        return posixpath.normpath(target.lstrip("/"))
    here = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
    if link or (ctx.root / here).is_file():
        return here
    for candidate in (target, f"{ctx.session.config.specs_dir}/{target}"):
        if (ctx.root / candidate).is_file():
            return posixpath.normpath(candidate)
    same_name = [k for k in known if posixpath.basename(k) == posixpath.basename(target)]
    return same_name[0] if len(same_name) == 1 else here


Reference = tuple[int, str, str | None, str | None, bool]


def paragraphs(text: str) -> list[tuple[list[tuple[int, int]], str]]:
    """Paragraphs outside fences and the revision history, joined into one line each, with the
    (line number, offset in the joined text) where each source line starts."""
    out: list[tuple[list[tuple[int, int]], str]] = []
    starts: list[tuple[int, int]] = []
    parts: list[str] = []
    fenced = in_history = False

    def flush() -> None:
        if parts:
            out.append((list(starts), " ".join(parts)))
            starts.clear()
            parts.clear()

    for number, line in enumerate(text.splitlines(), start=1):
        if FENCE.match(line):
            fenced = not fenced
            flush()
            continue
        heading = None if fenced else re.match(r"^#{1,6}\s+(.*)", line)
        if heading:
            flush()
            in_history = bool(specdoc.HISTORY_TITLE.search(heading.group(1)))
            continue
        if fenced or in_history or not line.strip():
            flush()
            continue
        starts.append((number, sum(len(p) + 1 for p in parts)))
        parts.append(line.strip())
    flush()
    return out


def references(text: str) -> list[Reference]:
    """(line, file or '', anchor, section, is_link) of each reference; a paragraph is read whole,
    so a reference broken across lines is still found."""
    out: list[Reference] = []
    for starts, para in paragraphs(text):

        def line_of(offset: int, starts: list[tuple[int, int]] = starts) -> int:
            return max((n for n, at in starts if at <= offset), default=starts[0][0])

        for match in LINK.finditer(para):
            target = match.group(1)
            if SCHEME.match(target):
                continue
            path, _, anchor = target.partition("#")
            if path and not path.endswith(".md"):
                continue
            out.append((line_of(match.start()), path, anchor or None, None, True))
        mentions = [(m.start(), m.group(1)) for m in MD_MENTION.finditer(para)]
        for match in SECTION_REF.finditer(para):
            near = [
                (abs(pos - match.start()), name) for pos, name in mentions if abs(pos - match.start()) <= NEAR
            ]
            target = min(near)[1] if near else ""
            out.append((line_of(match.start()), target, None, match.group(1), False))
    return out


def _find(
    ctx: Ctx, source: str, text: str, affected: dict[str, Spec], known: list[str], only_affected: bool
) -> list[AlignmentFinding]:
    findings = []
    docs: dict[str, specdoc.SpecDoc | None] = {}

    def doc(path: str) -> specdoc.SpecDoc | None:
        if path not in docs:
            if path in affected:
                docs[path] = affected[path].after
            else:
                file = ctx.root / path
                docs[path] = specdoc.parse(fileio.read_text(file, str(file))) if file.is_file() else None
        return docs[path]

    def add(line: int, severity: Severity, category: Category, message: str, hint: str = "") -> None:
        findings.append(
            AlignmentFinding(
                severity=severity, category=category, file=source, line=line, message=message, hint=hint
            )
        )

    for line, raw, anchor, section, is_link in references(text):
        target = resolve_target(ctx, source, raw, known, is_link) if raw else source
        if only_affected and target not in affected:
            continue
        before = affected[target].before if target in affected else None
        found = doc(target)
        shown = raw or "this spec"

        if found is None:
            if is_link:
                add(
                    line,
                    "CRITICAL",
                    "broken_link",
                    f"links to {raw}, which does not exist",
                    "fix or remove the link",
                )
            elif section:
                add(
                    line,
                    "MEDIUM",
                    "broken_link",
                    f"refers to section {section} of {raw}, which does not exist",
                )
            continue
        if anchor and anchor not in found.anchors:
            removed = before is not None and anchor in before.anchors
            add(
                line,
                "CRITICAL" if removed else "MEDIUM",
                "missing_anchor",
                f"links to #{anchor} in {shown}, "
                + ("a heading this change removed" if removed else "no such heading"),
                "point the link at the heading that replaces it",
            )
        if section:
            current = found.by_number().get(section)
            if current is None:
                removed = before is not None and section in before.by_number()
                add(
                    line,
                    "CRITICAL" if removed else "MEDIUM",
                    "missing_section",
                    f"refers to section {section} of {shown}, "
                    + ("which this change removed" if removed else "which does not exist"),
                    "update the section number",
                )
            elif current.deprecated and source != target:
                add(
                    line,
                    "MEDIUM",
                    "deprecated_reference",
                    f"refers to section {section} of {shown}, now deprecated",
                )
    return findings


def cross_links(ctx: Ctx, specs: dict[str, Spec], known: list[str]) -> list[tuple[str, str]]:
    """(source, target) pairs of specs referring to each other where one side is affected."""
    linked = set()
    for path in known:
        text = specs[path].after.text if path in specs else read_text(ctx.root / path, path)
        for _, raw, *_ in references(text):
            target = resolve_target(ctx, path, raw, known, True) if raw else path
            if target != path and (path in specs or target in specs):
                linked.add((path, target))
    return sorted(linked)


def triggers(
    ctx: Ctx,
    specs: dict[str, Spec],
    records: list[DiffRecord],
    known: list[str],
    renamed: dict[str, dict[str, list[str]]],
) -> list[str]:
    config = ctx.session.config.alignment
    reasons = []
    linked = cross_links(ctx, specs, known)
    if config.trigger_on_cross_refs and linked:
        reasons.append("cross-references: " + ", ".join(f"{a} -> {b}" for a, b in linked[:5]))
    if config.trigger_on_new_spec and any(r.new_spec for r in records):
        reasons.append("new spec file: " + ", ".join(r.spec for r in records if r.new_spec))
    swapped = sorted(t for terms in renamed.values() for t, new in terms.items() if new)
    if swapped:
        reasons.append("renamed terms: " + ", ".join(swapped[:5]))
    machines = [
        f"{r.spec} §{c.section}"
        for r in records
        for c in r.sections
        if STATE_WORDS.search(c.title)
        or (
            specs[r.spec].after.by_number().get(c.section)
            and STATE_WORDS.search(specs[r.spec].after.by_number()[c.section].body)
        )
    ]
    if machines:
        reasons.append("state-machine sections changed: " + ", ".join(machines[:5]))
    return reasons


def reported(raw: str, default_file: str) -> AlignmentFinding:
    """A finding of the aligner agent, given as `SEVERITY:file:message` (file may be empty)."""
    severity, _, rest = raw.partition(":")
    file, sep, message = rest.partition(":")
    if not sep:
        file, message = "", rest
    severity = severity.strip().upper()
    if severity not in ("CRITICAL", "MEDIUM", "LOW") or not message.strip():
        raise UsageFailure(f"--finding {raw!r} is not SEVERITY:file:message (CRITICAL, MEDIUM or LOW)")
    return AlignmentFinding(
        severity=cast(Severity, severity),
        category="reported",
        file=file.strip() or default_file,
        message=message.strip(),
    )


Inputs = tuple[list[DiffRecord], dict[str, Spec], list[str], dict[str, dict[str, list[str]]]]
NO_TRIGGER = "no trigger: no cross-reference, renamed term, state machine or new spec"


def inputs(ctx: Ctx) -> Inputs:
    """The diff records, the affected specs before and after, every spec, the renamed terms."""
    records = load_records(ctx)
    specs = {}
    for r in records:
        old = before_text(ctx, r.spec)
        specs[r.spec] = Spec(
            r.spec,
            specdoc.parse(old) if old is not None else None,
            specdoc.parse(read_text(ctx.root / r.spec, r.spec)),
        )
    known = sorted(set(spec_files(ctx)) | set(specs))
    renamed = {path: terms for path, s in specs.items() if (terms := terminology.renamed(s.before, s.after))}
    return records, specs, known, renamed


def outlook(ctx: Ctx, given: Inputs | None = None) -> tuple[bool, list[str]]:
    """Whether the alignment check runs (the seed's trigger conditions), and why; known before any
    aligner runs, so `next` can say so."""
    if ctx.session.overrides.skip_alignment:
        return False, ["skipped: --skip-alignment"]
    records, specs, known, renamed = given or inputs(ctx)
    reasons = triggers(ctx, specs, records, known, renamed)
    if ctx.session.config.alignment.mode == "full_audit":
        reasons.append("full_audit mode: every spec is checked")
    return bool(reasons), reasons or [NO_TRIGGER]


@one_at_a_time
def align_check(root: Path, session: str | None, extra: list[str]) -> dict[str, Any]:
    """Skip or run the alignment check; CRITICAL -> BLOCKED, otherwise -> IMPLEMENTING."""
    ctx = open_ctx(root, session)
    require(ctx, "align-check", "ALIGNING")
    given = inputs(ctx)
    _, specs, known, renamed = given
    stamp = now()
    full_audit = ctx.session.config.alignment.mode == "full_audit"
    # Only the trigger conditions decide: findings an aligner gave anyway are kept (a CRITICAL one
    # blocks), but they do not turn a skipped check into a triggered one.
    run, reasons = outlook(ctx, given)
    findings: list[AlignmentFinding] = []
    scope = list(dict.fromkeys([*specs, *(a for a, _ in cross_links(ctx, specs, known))]))
    if run:
        for path in known:
            text = specs[path].after.text if path in specs else fileio.read_text(ctx.root / path, path)
            found = _find(ctx, path, text, specs, known, only_affected=path not in specs and not full_audit)
            live = specs[path].after.live_text() if path in specs else specdoc.parse(text).live_text()
            found += terminology.still_used(path, live, renamed)
            if found and path not in scope:
                scope.append(path)
            findings += found
    # The aligner's findings are kept whatever ran, so a CRITICAL one always blocks.
    findings += [reported(raw, (scope or list(specs) or ["."])[0]) for raw in extra]
    record = AlignmentRecord(
        triggered=run,
        skipped=not run,
        reasons=reasons,
        scope=scope,
        renamed_terms={t: n for terms in renamed.values() for t, n in terms.items()},
        findings=findings,
        checked_at=stamp,
    )
    critical = [f for f in findings if f.severity == "CRITICAL"]

    low = [f for f in findings if f.severity == "LOW"]

    def apply(s: Any) -> None:
        s.alignment = record
        s.deferred_items.extend(
            f"Alignment LOW: {f.file}{f':{f.line}' if f.line else ''}: {f.message}" for f in low
        )
        if critical:
            s.pending_decision = PendingDecision(
                kind="alignment",
                options=ALIGNMENT_OPTIONS,
                raised_at=stamp,
                reason=f"{len(critical)} CRITICAL alignment finding(s)",
            )

    if critical:
        ctx.store.transition("BLOCKED", f"alignment: {len(critical)} CRITICAL finding(s)", apply)
    else:
        why = "alignment passed" if run else "alignment skipped (" + reasons[0] + ")"
        ctx.store.transition("IMPLEMENTING", why, apply)
        if ctx.session.tasks:  # back from a rollback to phase 3: re-open the tasks of changed sections
            # A diffed spec edited since its diff (an alignment fix) makes the plan stale instead:
            # status then asks for the diff and the tasks again.
            with contextlib.suppress(TransitionRefused):
                plan_tasks(root, ctx.label)
    if run or findings:
        generated.write(ctx, reports.ALIGNMENT_REPORT, reports.alignment_report(ctx.reload()))
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("CRITICAL", "MEDIUM", "LOW")}
    return {
        "status": "fail" if critical else "ok",
        "session": ctx.label,
        "ran": run,
        "reasons": reasons,
        "counts": counts,
        "findings": [f.model_dump(mode="json") for f in findings],
        "queued_for_phase_5": [f"{f.file}: {f.message}" for f in findings if f.severity == "MEDIUM"],
        "logged": [f"{f.file}: {f.message}" for f in low],
        "renamed_terms": record.renamed_terms,
    }
