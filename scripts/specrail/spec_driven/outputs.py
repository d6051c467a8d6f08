"""The outputs of a spec-driven session: which files each phase leaves, which are expected in the
session's state, and whether they are present and valid."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from specrail.models.session import SpecDrivenSession
from specrail.spec_driven import generated, reports
from specrail.spec_driven.session import Ctx
from specrail.validation.check import check_file

PHASE_OF_STATE = {
    "PENDING": 1,
    "SPEC_UPDATE": 2,
    "REFINING": 3,
    "STALLED": 3,
    "ALIGNING": 4,
    "IMPLEMENTING": 5,
    "VALIDATING": 6,
    "COMMITTING": 7,
    "COMPLETE": 8,
}
# Outputs of the phases before this number should exist in the state.
REACHED = {**PHASE_OF_STATE, "STALLED": 4}


def outputs(ctx: Ctx) -> list[dict[str, Any]]:
    out = []
    for phase, name, kind, expected in planned_outputs(ctx.session):
        path = ctx.dir / name
        present = path.is_file()
        result = check_file(path, kind, ctx.root, f"{ctx.label}/{name}") if present else None
        out.append(
            {
                "file": f"{ctx.label}/{name}",
                "kind": kind,
                "phase": phase,
                "present": present,
                "expected": expected,
                "valid": result.ok if result else None,
                "errors": [i.line() for i in result.errors][:5] if result else [],
            }
        )
    return out


def problems(ctx: Ctx, found: list[dict[str, Any]] | None = None) -> list[str]:
    """What `status` lists as wrong with the session's outputs: invalid, missing, or changed by
    another hand after specrail wrote them."""
    found = outputs(ctx) if found is None else found
    missing = [f"{o['file']}: missing" for o in found if o["expected"] and not o["present"]]
    return [e for o in found for e in o["errors"]] + missing + generated.changed(ctx)


def missing_outputs(data: dict[str, Any], folder: Path) -> list[str]:
    """The outputs a session (its record already read, as `data`) should have and lacks: what
    `specrail status` lists for each session, without reading the record again or validating."""
    session = SpecDrivenSession.model_validate(data)
    return [
        name
        for _, name, _, expected in planned_outputs(session)
        if expected and not (folder / name).is_file()
    ]


def planned_outputs(s: SpecDrivenSession) -> list[tuple[int, str, str, bool]]:
    """(phase, file in the session folder, kind, expected now) of every output of the session."""
    reached = REACHED.get(s.state, 8)
    if s.state == "BLOCKED":
        reached = 5 if s.pending_decision and s.pending_decision.kind == "alignment" else 7
    files: list[tuple[int, str, str, bool]] = [
        (0, "workflow-session.json", "workflow-session", True),
        (1, reports.PROPOSAL, "proposal", True),
    ]
    for summary in s.diffs.values():
        files += [
            (2, summary.record, "diff-record", True),
            (2, summary.record.replace(".diff.md", ".diff.json"), "diff-record-json", True),
        ]
    alignment_needed = bool(s.alignment and s.alignment.triggered)
    files += [
        (3, reports.REFINEMENT_SUMMARY, "refinement-summary", True),
        (4, reports.ALIGNMENT_REPORT, "alignment-report", alignment_needed),
        (5, reports.IMPLEMENTATION_LOG, "implementation-log", True),
        (6, reports.VALIDATION_REPORT, "validation-report", True),
        (7, reports.SUMMARY, "summary", True),
    ]
    return [
        (phase, name, kind, needed and phase < reached and s.state != "ABORTED")
        for phase, name, kind, needed in files
    ]
