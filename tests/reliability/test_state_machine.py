"""Random sequences of requested transitions, through the store: the session never leaves its graph."""

from __future__ import annotations

import tempfile
from collections import Counter, deque
from collections.abc import Callable, Mapping
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specrail import states
from specrail.errors import TransitionRefused
from specrail.models import SpecDrivenSession, SynthesisSession
from specrail.models.spec_driven import PendingDecision
from specrail.store import Session, SessionStore
from specrail.validation.check import check_file
from tests.core.samples import spec_driven_session, synthesis_session
from tests.reliability.support import TS
from tests.support.machines import EXPECTED, SPEC_DRIVEN, SYNTHESIS
from tests.support.properties import examples

COUNTS: Counter[str] = Counter()
# Every state of both machines, plus names that are not states at all.
TARGETS = sorted({*SYNTHESIS, *SPEC_DRIVEN, "HACKED", "complete", "", "DISCOVERED "})


def decision_for(target: str) -> Callable[[Session], None]:
    """What the spec-driven steps do with a transition: STALLED and BLOCKED wait for a decision."""

    def change(session: Session) -> None:
        if isinstance(session, SpecDrivenSession):
            kind = {"STALLED": "stall", "BLOCKED": "validation"}.get(target)
            session.pending_decision = (
                PendingDecision.model_validate(
                    {"kind": kind, "reason": "test", "options": ["Continue"], "raised_at": TS}
                )
                if kind
                else None
            )

    return change


def fresh(folder: Path, workflow: str) -> SessionStore:
    store = SessionStore(folder / "workflow-session.json")
    if workflow == "synthesis":
        data = {**synthesis_session(), "state": "PENDING", "history": []}
        store.create(SynthesisSession.model_validate(data))
    else:
        store.create(SpecDrivenSession.model_validate(spec_driven_session()))
    return store


def test_requested_transitions_never_leave_the_graph() -> None:
    @settings(max_examples=examples(120), deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(workflow=st.sampled_from(sorted(EXPECTED)), data=st.data())
    def run(workflow: str, data: st.DataObject) -> None:
        machine = EXPECTED[workflow]
        with tempfile.TemporaryDirectory() as folder:
            store = fresh(Path(folder), workflow)
            state = "PENDING"
            applied = 0
            for _ in range(data.draw(st.integers(1, 25), label="steps")):
                # Mostly a step the graph allows (to get deep), otherwise any name at all.
                # Sorted, ABORTED last: hypothesis favours early choices.
                edges = sorted(machine[state], key=lambda t: (t == "ABORTED", t))
                legal = st.sampled_from(edges) if edges else st.nothing()
                target = data.draw(st.one_of(legal, legal, st.sampled_from(TARGETS)), label="target")
                before = store.path.read_bytes()
                try:
                    session = store.transition(target, f"to {target!r}", decision_for(target))
                except TransitionRefused as refused:
                    assert target not in machine[state], f"{state} -> {target} was allowed"
                    assert refused.message == states.refusal(workflow, state, target)
                    assert store.path.read_bytes() == before, "a refused transition changed the file"
                    COUNTS["refused"] += 1
                    continue
                assert target in machine[state], f"{state} -> {target} is not an edge of the graph"
                assert session.state == target
                state = target
                applied += 1
                COUNTS["applied"] += 1
                COUNTS[f"reached {workflow} {target}"] += 1
            final = store.read()
            assert final.state == state and final.state in machine
            assert len(final.history) == applied
            assert check_file(store.path).ok

    run()
    reached = sorted(k.split(" ", 1)[1] for k in COUNTS if k.startswith("reached"))
    print(f"\nstate machine: {COUNTS['applied']} transitions applied, {COUNTS['refused']} refused")
    assert COUNTS["applied"] > 200 and COUNTS["refused"] > 100
    assert len(reached) >= 8, f"too few states reached: {reached}"


def paths_from_pending(machine: Mapping[str, set[str]]) -> dict[str, list[str]]:
    """For each state reachable from PENDING, the shortest list of steps that reaches it."""
    found: dict[str, list[str]] = {"PENDING": []}
    queue = deque(["PENDING"])
    while queue:
        state = queue.popleft()
        for target in sorted(machine[state]):
            if target not in found:
                found[target] = [*found[state], target]
                queue.append(target)
    return found


def test_every_edge_is_taken_and_every_other_request_refused(tmp_path: Path) -> None:
    """Deterministic complement: from each state, every name is requested once."""
    tried = 0
    for workflow, machine in EXPECTED.items():
        paths = paths_from_pending(machine)
        assert set(paths) == set(machine), f"{workflow}: states unreachable from PENDING"
        for state, path in paths.items():
            store = fresh(tmp_path / workflow / state, workflow)
            for step in path:
                store.transition(step, "walk", decision_for(step))
            reached = store.path.read_bytes()
            for target in TARGETS:
                try:
                    store.transition(target, "try", decision_for(target))
                    assert target in machine[state], f"{workflow}: {state} -> {target} was taken"
                    assert check_file(store.path).ok
                except TransitionRefused:
                    assert target not in machine[state], f"{workflow}: {state} -> {target} was refused"
                    assert store.path.read_bytes() == reached
                store.path.write_bytes(reached)
                tried += 1
    print(f"\nstate machine: {tried} requests from every state, each edge taken, the rest refused")
