"""The state machines of both workflows, as plain data (stdlib only, used by hooks too)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

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


def tampering(workflow: str, state: str, history: Sequence[Mapping[str, object]]) -> tuple[str, str] | None:
    """None when `history`, replayed from PENDING through allowed transitions, ends in `state`;
    else (JSON pointer, what is wrong) for the first entry (or the state) that does not fit."""
    machine = MACHINES.get(workflow)
    if machine is None:
        return None
    current = "PENDING"
    for index, entry in enumerate(history):
        source, target = entry.get("from"), entry.get("to")
        if source != current:
            return (
                f"/history/{index}/from",
                f"history entry {index} starts from {source}, but the history before it leads to {current}",
            )
        if not isinstance(target, str) or target not in allowed(workflow, current):
            options = ", ".join(allowed(workflow, current)) or "none (terminal state)"
            return (
                f"/history/{index}/to",
                f"history entry {index} goes from {current} to {target}, a step the {workflow} "
                f"state machine does not allow (allowed: {options})",
            )
        current = target
    if state != current:
        return "/state", f"the state is {state}, but the history leads to {current}"
    return None
