"""Both state machines: every allowed edge is taken, refused ones write nothing."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import get_args

import pytest

from specrail import states
from specrail.errors import TransitionRefused
from specrail.models.session import SpecDrivenState, SynthesisState
from specrail.store import SessionStore
from tests.core.samples import history_to, spec_driven_session, synthesis_session
from tests.support.machines import edges
from tests.support.signed import write_signed
from tests.support.spec_driven import HAPPY_PATH


def test_machines_cover_exactly_the_model_states() -> None:
    assert set(states.SPEC_DRIVEN) == set(get_args(SpecDrivenState))
    assert set(states.SYNTHESIS) == set(get_args(SynthesisState))
    for machine in states.MACHINES.values():
        for targets in machine.values():
            assert set(targets) <= set(machine)


def test_spec_driven_happy_path_is_the_seed_sequence() -> None:
    path = [*HAPPY_PATH, "COMPLETE"]
    for a, b in itertools.pairwise(path):
        assert states.refusal("spec-driven", a, b) is None


@pytest.mark.parametrize(
    ("state", "target"),
    [
        ("STALLED", "REFINING"),  # continue / reduce scope
        ("STALLED", "ALIGNING"),  # accept partial
        ("STALLED", "ABORTED"),
        ("BLOCKED", "VALIDATING"),  # fix and retry
        ("BLOCKED", "COMMITTING"),  # skip validation
        ("BLOCKED", "IMPLEMENTING"),  # rollback to phase 5
        ("BLOCKED", "REFINING"),  # rollback to phase 3
        ("REFINING", "STALLED"),
        ("VALIDATING", "BLOCKED"),
    ],
)
def test_recovery_edges_of_section_4(state: str, target: str) -> None:
    assert states.refusal("spec-driven", state, target) is None


def _store(tmp_path: Path, data: dict[str, object]) -> SessionStore:
    path = tmp_path / "workflow-session.json"
    write_signed(path, data)
    return SessionStore(path)


def _edges(workflow: str) -> list[tuple[str, str]]:
    return edges(workflow)  # from the seeds, not from states.MACHINES


@pytest.mark.parametrize(("state", "target"), _edges("spec-driven"))
def test_every_spec_driven_edge_goes_through_the_store(tmp_path: Path, state: str, target: str) -> None:
    data = spec_driven_session()
    data["state"] = state
    data["history"] = history_to(data["workflow"], state)
    store = _store(tmp_path, data)
    session = store.transition(target, "because")
    assert session.state == target
    written = json.loads(store.path.read_text())
    assert written["state"] == target
    assert written["history"][-1]["from"] == state and written["history"][-1]["reason"] == "because"


@pytest.mark.parametrize(("state", "target"), _edges("synthesis"))
def test_every_synthesis_edge_goes_through_the_store(tmp_path: Path, state: str, target: str) -> None:
    data = synthesis_session()
    data["state"] = state
    data["history"] = history_to(data["workflow"], state)
    store = _store(tmp_path, data)
    assert store.transition(target, "step").state == target


@pytest.mark.parametrize(
    ("workflow", "state", "target"),
    [
        ("spec-driven", "PENDING", "IMPLEMENTING"),
        ("spec-driven", "REFINING", "COMMITTING"),
        ("spec-driven", "COMPLETE", "PENDING"),
        ("spec-driven", "ABORTED", "REFINING"),
        ("spec-driven", "STALLED", "COMPLETE"),
        ("synthesis", "PENDING", "COMPLETE"),
        ("synthesis", "DISCOVERED", "SPECS_WRITTEN"),
        ("synthesis", "ABORTED", "DISCOVERED"),
    ],
)
def test_refused_transition_names_state_and_options_and_writes_nothing(
    tmp_path: Path, workflow: str, state: str, target: str
) -> None:
    data = spec_driven_session() if workflow == "spec-driven" else synthesis_session()
    data["state"] = state
    data["history"] = history_to(data["workflow"], state)
    store = _store(tmp_path, data)
    before = store.path.read_bytes()
    with pytest.raises(TransitionRefused) as refused:
        store.transition(target, "try")
    message = str(refused.value)
    assert f"is in {state}" in message and target in message and "Allowed next:" in message
    for option in states.allowed(workflow, state):
        assert option in message
    assert store.path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []
