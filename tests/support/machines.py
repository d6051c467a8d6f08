"""The edges both state machines must have, written out from the seeds rather than read from
`specrail.states`, so that an edge added to or dropped from the code fails a test."""

from __future__ import annotations

# Seed 000, section 3: the main line; ABORTED ("User cancelled") from every state before COMPLETE.
# Section 4: STALLED when refinement does not converge, BLOCKED on a critical failure of alignment,
# implementation or validation, and the options the user is offered there.
SPEC_DRIVEN: dict[str, set[str]] = {
    "PENDING": {"SPEC_UPDATE", "ABORTED"},  # the user confirms the proposal
    "SPEC_UPDATE": {"REFINING", "ABORTED"},  # specs updated
    "REFINING": {"ALIGNING", "STALLED", "ABORTED"},  # converged (or accepted); 4.1 stall
    "ALIGNING": {"IMPLEMENTING", "BLOCKED", "ABORTED"},  # aligned (or skipped); critical finding
    "IMPLEMENTING": {"VALIDATING", "BLOCKED", "ABORTED"},  # implementation complete; 4.2 failure
    "VALIDATING": {"COMMITTING", "BLOCKED", "ABORTED"},  # validations pass; 4.3 critical failure
    "COMMITTING": {"COMPLETE", "ABORTED"},  # the user confirms the commit
    "COMPLETE": set(),
    # 4.1: Continue and Reduce scope -> REFINING, Accept partial -> ALIGNING, Abort.
    "STALLED": {"REFINING", "ALIGNING", "ABORTED"},
    # 4.2 and 4.3: Fix & retry -> the phase that failed (ALIGNING, IMPLEMENTING, VALIDATING),
    # Skip validation -> COMMITTING, Rollback to phase 5 -> IMPLEMENTING, to phase 3 -> REFINING, Abort.
    "BLOCKED": {"REFINING", "ALIGNING", "IMPLEMENTING", "VALIDATING", "COMMITTING", "ABORTED"},
    "ABORTED": set(),
}

# Seed 002, phase summary: 1-2 discovery -> DISCOVERED, 3A analysis -> ANALYZED, 4 user interaction
# -> CLARIFIED, 5 spec generation -> SPECS_WRITTEN, then the review only when the complexity score is
# 4 or more -> REVIEWED, 6 finalization -> COMPLETE. A phase may run again (the same state) and
# discovery may start the session over (-> DISCOVERED), even after it completed.
SYNTHESIS: dict[str, set[str]] = {
    "PENDING": {"DISCOVERED", "ABORTED"},
    "DISCOVERED": {"DISCOVERED", "ANALYZED", "ABORTED"},
    "ANALYZED": {"DISCOVERED", "ANALYZED", "CLARIFIED", "ABORTED"},
    "CLARIFIED": {"DISCOVERED", "CLARIFIED", "SPECS_WRITTEN", "ABORTED"},
    "SPECS_WRITTEN": {"DISCOVERED", "SPECS_WRITTEN", "REVIEWED", "COMPLETE", "ABORTED"},
    "REVIEWED": {"DISCOVERED", "REVIEWED", "COMPLETE", "ABORTED"},
    "COMPLETE": {"DISCOVERED"},
    "ABORTED": set(),
}

EXPECTED: dict[str, dict[str, set[str]]] = {"spec-driven": SPEC_DRIVEN, "synthesis": SYNTHESIS}


def edges(workflow: str) -> list[tuple[str, str]]:
    """Every expected (state, target) pair of `workflow`, in a stable order."""
    return sorted((state, target) for state, targets in EXPECTED[workflow].items() for target in targets)


def non_edges(workflow: str) -> list[tuple[str, str]]:
    """Every (state, target) pair of `workflow`'s states that must be refused."""
    machine = EXPECTED[workflow]
    return sorted((a, b) for a in machine for b in machine if b not in machine[a])
