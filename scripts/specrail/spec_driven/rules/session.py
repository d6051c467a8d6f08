"""Rules of the spec-driven session record beyond its schema: tasks, pending decision, refinement
(stdlib only)."""

from __future__ import annotations

import graphlib
from pathlib import Path
from typing import Any

from specrail.validation.json_rules import duplicates
from specrail.validation.report import Issue, pointer


def workflow_session(file: str, data: dict[str, Any], path: Path) -> list[Issue]:
    """The spec-driven part of a session record; the engine has checked its history and state."""
    if data["workflow"] != "spec-driven":
        return []
    issues: list[Issue] = []
    tasks = data.get("tasks", [])
    issues += duplicates(file, tasks, "id", "tasks")
    ids = {t["id"] for t in tasks}
    for i, task in enumerate(tasks):
        for j, dep in enumerate(task["depends_on"]):
            if dep not in ids:
                issues.append(
                    Issue(file, pointer("tasks", i, "depends_on", j), f"depends on unknown task {dep}")
                )
    issues += _task_cycle(file, tasks)
    issues += _spec_driven_decision(file, data)
    for spec in data.get("refinement", {}):
        if spec not in data.get("diffs", {}):
            issues.append(Issue(file, pointer("refinement", spec), f"{spec} is refined but has no diff"))
    return issues


def _task_cycle(file: str, tasks: list[dict[str, Any]]) -> list[Issue]:
    """Tasks whose dependencies loop can never all run; name one loop."""
    graph = {t["id"]: list(t["depends_on"]) for t in tasks}
    try:
        graphlib.TopologicalSorter(graph).prepare()
    except graphlib.CycleError as exc:
        cycle: list[str] = exc.args[1]
        first = next(i for i, t in enumerate(tasks) if t["id"] == cycle[0])
        loop = " -> ".join(reversed(cycle))  # each task depends on the next, as `tasks.order` says it
        return [Issue(file, pointer("tasks", first, "depends_on"), f"task dependencies form a cycle: {loop}")]
    return []


# Where each kind of escalation waits for the user's choice.
DECISION_STATE = {
    "stall": "STALLED",
    "alignment": "BLOCKED",
    "validation": "BLOCKED",
    "implementation": "IMPLEMENTING",
}


def _spec_driven_decision(file: str, data: dict[str, Any]) -> list[Issue]:
    decision = data.get("pending_decision")
    state = data["state"]
    if decision is None:
        if state in ("STALLED", "BLOCKED"):
            return [Issue(file, "/pending_decision", f"state {state} but no decision is pending")]
        return []
    expected = DECISION_STATE[decision["kind"]]
    if state != expected:
        return [
            Issue(
                file,
                "/pending_decision/kind",
                f"a {decision['kind']} decision belongs to {expected}, not {state}",
            )
        ]
    return []
