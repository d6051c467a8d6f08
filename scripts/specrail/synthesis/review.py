"""The conditional review: `review-check` findings for the agent, `reviewed` to accept its report."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Any

from specrail import mermaid
from specrail.errors import InvalidInput
from specrail.fileio import atomic_write_text
from specrail.models import SynthesisSession
from specrail.synthesis import artifacts, complexity
from specrail.synthesis.findings import (
    Finding,
    Spec,
    conflict_findings,
    coverage_findings,
    dependency_findings,
    glossary,
    terminology_findings,
)
from specrail.synthesis.paths import SessionPaths, resolve
from specrail.synthesis.session import load, one_at_a_time, require, transition
from specrail.validation.check import read_text
from specrail.validation.markdown import sections
from specrail.validation.md_rules import heading_matches
from specrail.validation.report import Issue

FLAG = "[REVIEW-FLAG]"
REVIEWABLE = ("SPECS_WRITTEN", "REVIEWED")
GRAPH_HEADING = "## Feature Dependencies"
SPECS_REVIEWED = re.compile(
    r"\*\*(?:Specs Reviewed|审查规格数?|已审查规格)\*\*\s*(?::|\uff1a)\s*([0-9]{1,6})"
)


def feature_graph_section(paths: SessionPaths) -> str:
    """The report's feature dependency graph, drawn from the conflict map's cross refs."""
    cmap = artifacts.conflict_map(paths)
    names = {f.id: f.name for f in artifacts.features(paths) or []} or {fid: fid for fid in cmap}
    graph = mermaid.feature_graph(names, {fid: entry.cross_refs for fid, entry in cmap.items()})
    note = "An arrow goes from a feature to each feature its cross references name (drawn by specrail)."
    return f"{GRAPH_HEADING}\n\n{note}\n\n{mermaid.fenced(graph)}\n"


def with_feature_graph(text: str, section: str) -> str:
    """`text` with its feature graph section replaced by (or, when absent, followed by) `section`."""
    start = text.find(GRAPH_HEADING)
    if start == -1:
        return text.rstrip("\n") + "\n\n" + section
    end = text.find("\n## ", start + len(GRAPH_HEADING))
    rest = text[end + 1 :] if end != -1 else ""
    return text[:start] + section + ("\n" + rest if rest else "")


def load_specs(paths: SessionPaths, session: SynthesisSession) -> tuple[list[Spec], list[Finding]]:
    """The spec files of the session, and a finding for each feature that has none."""
    specs: list[Spec] = []
    missing: list[Finding] = []
    if not session.feature_mode:
        if paths.synthesis_spec.is_file():
            specs.append(
                Spec(None, paths.brel(paths.synthesis_spec), read_text(paths.synthesis_spec, "spec"))
            )
        else:
            missing.append(
                Finding("missing-spec", "major", paths.brel(paths.synthesis_spec), "the spec is missing")
            )
        return specs, missing
    for feature in artifacts.features(paths) or []:
        path = paths.spec_path(feature.id, feature.slug)
        if path.is_file():
            specs.append(Spec(feature.id, paths.brel(path), read_text(path, paths.prel(path))))
        else:
            missing.append(Finding("missing-spec", "major", paths.brel(path), f"{feature.id} has no spec"))
    return specs, missing


def structure_findings(paths: SessionPaths, specs: list[Spec]) -> list[Finding]:
    out = []
    for spec in specs:
        result = artifacts.validate(paths.brainstorm_dir / spec.file, paths)
        out += [
            Finding(
                "structure",
                "major" if i.severity == "error" else "minor",
                spec.file,
                f"{i.location}: {i.message}" if i.location else i.message,
            )
            for i in result.issues
        ]
    return out


def collect(paths: SessionPaths, session: SynthesisSession) -> tuple[list[Spec], list[Finding]]:
    """Every mechanical finding, most serious first."""
    specs, found = load_specs(paths, session)
    conflict_map = artifacts.conflict_map_or_empty(paths, bool(session.feature_mode))
    found += structure_findings(paths, specs)
    found += dependency_findings(specs, complexity.dependency_pairs(conflict_map))
    spec_of = {s.feature_id: s for s in specs if s.feature_id}
    found += conflict_findings(
        spec_of,
        {
            fid: [(c.topic, c.confidence, c.resolution) for c in e.conflicts]
            for fid, e in conflict_map.items()
        },
        complexity.decided_by_user(session),
    )
    context = session.spec_context
    if context is not None and specs:
        found += coverage_findings(
            specs,
            [(e.id, e.title) for e in context.enhancement_details],
            [(a.question, a.answer) for a in context.clarification_answers],
        )
    found += terminology_findings(specs, glossary(artifacts.guidance_text(paths)))
    found.sort(key=lambda f: f.severity != "major")
    return specs, found


@one_at_a_time
def review_check(root: Path, session_id: str | None) -> dict[str, Any]:
    """The review checklist's mechanical findings (read-only)."""
    paths = resolve(root, session_id)
    session = load(paths)
    if session.state not in REVIEWABLE:
        raise InvalidInput(
            f"session is in {session.state}; review-check needs the specs written "
            "(run `specrail synthesis index` first)",
            file=str(paths.session_file),
            pointer="/state",
        )
    specs, found = collect(paths, session)
    scored = complexity.score(paths, session)
    return {
        "status": "ok",
        "session_id": paths.session_id,
        "state": session.state,
        "score": scored["score"],
        "review_required": complexity.required(session, scored),
        "brainstorm_dir": str(paths.brainstorm_dir),
        "specs": [s.file for s in specs],
        "changelog_path": paths.brel(paths.changelog),
        "feature_index_path": paths.brel(paths.feature_index) if session.feature_mode else None,
        "findings": [f.as_dict() for f in found],
        "counts": dict(Counter(f.check for f in found)),
        "report_path": paths.brel(paths.review_report),
        "next": (
            "Run the spec-reviewer agent (Task) with this answer: it fixes minor findings in the specs, "
            f"marks major ones {FLAG}, writes {paths.brel(paths.review_report)} and appends Review Results "
            f"to the changelog. Then run `specrail synthesis reviewed --session {paths.session_id} --json`."
        ),
    }


def report_counts(path: Path) -> tuple[int, int]:
    """(fixes, flags): the list items under "Fixes Applied" and "Flags Raised" of a review report."""
    counts = {"Fixes Applied": 0, "Flags Raised": 0}
    current = None
    for sec in sections(read_text(path, str(path))):
        title = sec.title.lower()
        current = next((k for k in counts if heading_matches(title, k)), None if sec.level <= 2 else current)
        if current is None:
            continue
        items = [ln.strip()[2:].strip() for ln in sec.body if ln.strip()[:2] in ("- ", "* ")]
        counts[current] += sum(
            1 for item in items if item.lower().rstrip(".") not in ("none", "no fixes", "无")
        )
    return counts["Fixes Applied"], counts["Flags Raised"]


def specs_reviewed(report: str) -> int | None:
    """The report's `**Specs Reviewed**: N` count, None when it gives none."""
    found = SPECS_REVIEWED.search(report)
    return int(found.group(1)) if found else None


def recheck(
    paths: SessionPaths, session: SynthesisSession, specs: list[Spec], report: str, warnings: list[str]
) -> list[Issue]:
    """Run the review check again on the reviewed specs: the report must have reviewed a spec, and
    every major finding still there must be flagged inline (the action protocol); adds warnings."""
    issues: list[Issue] = []
    count = specs_reviewed(report)
    where = paths.prel(paths.review_report)
    if count == 0 and specs:
        issues.append(
            Issue(
                where,
                "field 'Specs Reviewed'",
                "the review reviewed no spec",
                hint=f"review each of the {len(specs)} spec(s) review-check lists and give their count",
            )
        )
    elif count is None:
        warnings.append(
            f"{where}: the report does not say how many specs it reviewed (**Specs Reviewed**: N)"
        )
    elif count < len(specs):
        warnings.append(f"{where}: {count} of {len(specs)} specs reviewed")
    files = {spec.file for spec in specs}
    flagged = {spec.file for spec in specs if FLAG in spec.text}
    _, found = collect(paths, session)
    for finding in found:
        # a finding over every spec (coverage) is open when no spec carries a flag at all
        where_flag = finding.file if finding.file in files else None
        open_ = where_flag not in flagged if where_flag else not flagged
        if finding.severity == "major" and open_:
            issues.append(
                Issue(
                    finding.file,
                    finding.check,
                    f"finding still open and not flagged: {finding.message}",
                    hint=f"fix it, or mark it inline with {FLAG} and list it under Flags Raised",
                )
            )
    return issues


@one_at_a_time
def reviewed(root: Path, session_id: str | None) -> dict[str, Any]:
    """Accept the review: report valid, changelog has Review Results, specs still valid -> REVIEWED."""
    paths = resolve(root, session_id)
    session = load(paths)
    require(session, paths, "REVIEWED")
    issues: list[Issue] = []
    if not paths.review_report.is_file():
        issues.append(
            Issue(paths.prel(paths.review_report), "", "missing: the spec-reviewer agent writes it")
        )
    else:
        issues += artifacts.validate(paths.review_report, paths, "review-report").errors
    # SYN-REVIEW-RESULTS
    if paths.changelog.is_file() and not any(
        heading_matches(s.title.lower(), "Review Results")
        for s in sections(read_text(paths.changelog, paths.prel(paths.changelog)))
    ):
        issues.append(
            Issue(
                paths.prel(paths.changelog),
                "section 'Review Results'",
                "section missing",
                hint="append the review results to the changelog",
            )
        )
    specs, missing = load_specs(paths, session)
    issues += [Issue(f.file, "", f.message) for f in missing]
    for spec in specs:
        issues += artifacts.validate(paths.brainstorm_dir / spec.file, paths).errors
    if session.feature_mode and paths.feature_index.is_file():
        issues += artifacts.validate(paths.feature_index, paths, "feature-index").errors
    warnings: list[str] = []
    if not issues:
        report = read_text(paths.review_report, paths.prel(paths.review_report))
        issues += recheck(paths, session, specs, report, warnings)
    if issues:
        return {
            "status": "fail",
            "session_id": paths.session_id,
            "state": session.state,
            "errors": artifacts.issue_lines(issues),
            "next": "Have the spec-reviewer agent fix each error, then run this command again.",
        }
    fixes, flags = report_counts(paths.review_report)
    inline = sum(s.text.count(FLAG) for s in specs)
    if flags and not inline:
        warnings.append(f"the report lists {flags} flag(s) but the specs carry no inline {FLAG}")
    if session.feature_mode and paths.conflict_map.is_file():
        atomic_write_text(paths.review_report, with_feature_graph(report, feature_graph_section(paths)))
    session = transition(paths, "REVIEWED", f"review report accepted: {fixes} fixes, {flags} flags")
    return {
        "status": "ok",
        "session_id": paths.session_id,
        "state": session.state,
        "fixes": fixes,
        "flags": flags,
        "inline_flags": inline,
        "warnings": warnings,
        "errors": [],
        "next": f"Run `specrail synthesis finalize --session {paths.session_id} --json`.",
    }


def check_text(answer: dict[str, Any]) -> str:
    lines = [
        f"session {answer['session_id']}: complexity {answer['score']}/8"
        + (" (review required)" if answer["review_required"] else " (review optional)"),
        f"{len(answer['findings'])} finding(s) in {len(answer['specs'])} spec(s)",
    ]
    lines += [f"  [{f['severity']}] {f['check']}: {f['file']}: {f['message']}" for f in answer["findings"]]
    lines.append(f"next: {answer['next']}")
    return "\n".join(lines)


def reviewed_text(answer: dict[str, Any]) -> str:
    if answer["status"] != "ok":
        lines = [
            f"{e['file']}::{e['location']}: {e['message']}"
            if e["location"]
            else f"{e['file']}: {e['message']}"
            for e in answer["errors"]
        ]
        return "\n".join([*lines, f"review not accepted; session stays {answer['state']}"])
    lines = [
        f"session {answer['session_id']}: {answer['state']} "
        f"({answer['fixes']} fixes, {answer['flags']} flags)"
    ]
    lines += [f"warning: {w}" for w in answer["warnings"]]
    lines.append(f"next: {answer['next']}")
    return "\n".join(lines)
