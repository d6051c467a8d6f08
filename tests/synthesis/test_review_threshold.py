"""The review is required from a complexity score of 4 (seed 002: "triggered by complexity score
(>= 4/8)"), not from 5, and not at 3."""

from __future__ import annotations

import pytest

from tests.support.synthesis import Synth, advance
from tests.synthesis.builders import Feat, Project


@pytest.mark.parametrize(
    ("roles", "score", "required"),
    [
        (["r1", "r2", "r3"], 3, False),  # five features (2) and three roles (1)
        (["r1", "r2", "r3", "r4", "r5"], 4, True),  # five features (2) and five roles (2)
    ],
)
def test_the_review_is_required_from_a_score_of_four(
    synth: Synth, project: Project, roles: list[str], score: int, required: bool
) -> None:
    project.features = [Feat(f"F-00{n}", f"Feature {n}", roles) for n in range(1, 6)]
    project.build()
    advance(synth, project.root, project.sid, "analyzed")
    answer = synth(project.root, "complexity", "--session", project.sid).json
    assert answer["dimensions"] == {
        "feature_count": 5,
        "unresolved_conflicts": 0,
        "participating_roles": len(roles),
        "cross_feature_dependencies": 0,
    }
    assert (answer["score"], answer["review_required"]) == (score, required)
    assert project.session()["review_required"] is required
