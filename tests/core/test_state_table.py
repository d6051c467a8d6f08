"""The state machines are pinned to the seeds' edges: an edge added to or removed from
`specrail.states` fails here, whatever the code's own tables say."""

from __future__ import annotations

import pytest

from specrail import states
from tests.support.machines import EXPECTED, edges, non_edges


@pytest.mark.parametrize("workflow", sorted(EXPECTED))
def test_the_machine_has_exactly_the_seed_edges(workflow: str) -> None:
    actual = {state: set(targets) for state, targets in states.MACHINES[workflow].items()}
    assert set(actual) == set(EXPECTED[workflow])
    extra = sorted((a, b) for a, targets in actual.items() for b in targets - EXPECTED[workflow][a])
    missing = sorted((a, b) for a, targets in EXPECTED[workflow].items() for b in targets - actual[a])
    assert (extra, missing) == ([], []), (
        f"{workflow}: edges not in the seeds {extra}, seed edges missing {missing}"
    )


@pytest.mark.parametrize("workflow", sorted(EXPECTED))
def test_every_other_step_is_refused_with_the_allowed_ones_named(workflow: str) -> None:
    for state, target in non_edges(workflow):
        message = states.refusal(workflow, state, target)
        assert message is not None, f"{workflow}: {state} -> {target} was allowed"
        for option in sorted(EXPECTED[workflow][state]):
            assert option in message
    for state, target in edges(workflow):
        assert states.refusal(workflow, state, target) is None, f"{workflow}: {state} -> {target} refused"


@pytest.mark.parametrize(
    ("state", "target"),
    [
        ("ALIGNING", "COMMITTING"),  # skips implementation and validation
        ("ALIGNING", "VALIDATING"),
        ("IMPLEMENTING", "COMMITTING"),  # skips validation
        ("REFINING", "IMPLEMENTING"),  # skips alignment
        ("STALLED", "COMMITTING"),
        ("PENDING", "COMPLETE"),
    ],
)
def test_no_spec_driven_phase_is_skipped(state: str, target: str) -> None:
    assert states.refusal("spec-driven", state, target) is not None
