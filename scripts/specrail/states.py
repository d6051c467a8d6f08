"""The state machines of both workflows, as plain data (stdlib only, used by hooks too)."""

from __future__ import annotations

from collections.abc import Mapping

SYNTHESIS: Mapping[str, tuple[str, ...]] = {
    "PENDING": ("DISCOVERED", "ABORTED"),
    "DISCOVERED": ("DISCOVERED", "ANALYZED", "ABORTED"),
    "ANALYZED": ("DISCOVERED", "ANALYZED", "CLARIFIED", "ABORTED"),
    "CLARIFIED": ("DISCOVERED", "CLARIFIED", "SPECS_WRITTEN", "ABORTED"),
    "SPECS_WRITTEN": ("DISCOVERED", "SPECS_WRITTEN", "REVIEWED", "COMPLETE", "ABORTED"),
    "REVIEWED": ("DISCOVERED", "REVIEWED", "COMPLETE", "ABORTED"),
    "COMPLETE": ("DISCOVERED",),
    "ABORTED": (),
}

# The seed's section 3, plus the recovery edges of section 4:
#  STALLED (4.1): Continue / Reduce scope -> REFINING, Accept partial -> ALIGNING, Abort.
#  BLOCKED (4.2, 4.3): Fix & retry -> the phase that failed, Skip validation -> COMMITTING,
#  Rollback to phase 5 -> IMPLEMENTING, Rollback to phase 3 -> REFINING, Abort.
SPEC_DRIVEN: Mapping[str, tuple[str, ...]] = {
    "PENDING": ("SPEC_UPDATE", "ABORTED"),
    "SPEC_UPDATE": ("REFINING", "ABORTED"),
    "REFINING": ("ALIGNING", "STALLED", "ABORTED"),
    "ALIGNING": ("IMPLEMENTING", "BLOCKED", "ABORTED"),
    "IMPLEMENTING": ("VALIDATING", "BLOCKED", "ABORTED"),
    "VALIDATING": ("COMMITTING", "BLOCKED", "ABORTED"),
    "COMMITTING": ("COMPLETE", "ABORTED"),
    "COMPLETE": (),
    "STALLED": ("REFINING", "ALIGNING", "ABORTED"),
    "BLOCKED": ("REFINING", "ALIGNING", "IMPLEMENTING", "VALIDATING", "COMMITTING", "ABORTED"),
    "ABORTED": (),
}

MACHINES: Mapping[str, Mapping[str, tuple[str, ...]]] = {"synthesis": SYNTHESIS, "spec-driven": SPEC_DRIVEN}
TERMINAL = frozenset({"COMPLETE", "ABORTED"})


def allowed(workflow: str, state: str) -> tuple[str, ...]:
    """The states reachable from `state` in one step."""
    return MACHINES[workflow].get(state, ())


def refusal(workflow: str, state: str, target: str) -> str | None:
    """None when `state -> target` is allowed, else a message naming the allowed targets."""
    machine = MACHINES[workflow]
    if target not in machine:
        return f"unknown {workflow} state {target!r}; states: {', '.join(machine)}"
    options = allowed(workflow, state)
    if target in options:
        return None
    listed = ", ".join(options) if options else "none (terminal state)"
    return f"{workflow} session is in {state}; cannot go to {target}. Allowed next: {listed}"
