"""`specrail synthesis complexity`: the four dimensions and the 0-8 score."""

from __future__ import annotations

from pathlib import Path

import pytest

from specrail.models import FeatureConflicts
from specrail.synthesis.complexity import dependency_pairs, level
from tests.support.synthesis import Synth, advance
from tests.synthesis.builders import Conf, Feat, Project


@pytest.mark.parametrize(
    ("dimension", "values", "levels"),
    [
        ("feature_count", [0, 2, 3, 4, 5, 9], [0, 0, 1, 1, 2, 2]),
        ("unresolved_conflicts", [0, 1, 2, 3, 7], [0, 1, 1, 2, 2]),
        ("participating_roles", [1, 2, 3, 4, 5], [0, 0, 1, 1, 2]),
        ("cross_feature_dependencies", [0, 1, 2, 3], [0, 1, 1, 2]),
    ],
)
def test_thresholds_of_the_seed(dimension: str, values: list[int], levels: list[int]) -> None:
    assert [level(dimension, v) for v in values] == levels


def test_dependency_pairs_are_distinct_ordered_and_never_self() -> None:
    def entry(*refs: str) -> FeatureConflicts:
        return FeatureConflicts(consensus=[], conflicts=[], cross_refs=list(refs))

    pairs = dependency_pairs(
        {
            "F-001": entry("F-002 reuses the journal", "F-002 again, and F-001 itself", "F-003 and F-002"),
            "F-002": entry("F-001 provides sync"),
            "F-003": entry("see analysis-cross-cutting.md"),
        }
    )
    assert pairs == [("F-001", "F-002"), ("F-001", "F-003"), ("F-002", "F-001")]


def test_example_score_is_stored(synth: Synth, example: Path, sid: str) -> None:
    advance(synth, example, sid, "index")
    answer = synth(example, "complexity", "--session", sid).json
    assert answer["dimensions"] == {
        "feature_count": 4,
        "unresolved_conflicts": 1,
        "participating_roles": 3,
        "cross_feature_dependencies": len(answer["dependency_pairs"]),
    }
    assert answer["levels"]["feature_count"] == 1 and answer["levels"]["unresolved_conflicts"] == 1
    assert answer["score"] == sum(answer["levels"].values()) and answer["review_required"] is (
        answer["score"] >= 4
    )
    assert answer["score"] == 5
    import json

    session = json.loads((example / ".workflow/active" / sid / "workflow-session.json").read_text())
    assert session["complexity_score"] == 5 and session["review_required"] is True
    assert "review-check" in answer["next"]


def test_simple_session_scores_zero(synth: Synth, project: Project) -> None:
    project.features = [Feat("F-001", "Offline Sync", ["solo"])]
    project.build()
    advance(synth, project.root, project.sid, "analyzed")
    answer = synth(project.root, "complexity", "--session", project.sid).json
    assert answer["score"] == 0 and answer["review_required"] is False
    assert "finalize" in answer["next"]


def test_maximal_session_scores_eight(synth: Synth, project: Project) -> None:
    roles = ["r1", "r2", "r3", "r4", "r5"]
    project.features = [Feat(f"F-00{n}", f"Feature {n}", roles) for n in range(1, 6)]
    project.conflicts = {"F-001": [Conf(f"Topic {n}", "[UNRESOLVED]", ("r1", "r2")) for n in range(3)]}
    project.cross_refs = {"F-001": ["F-002 and F-003"], "F-004": ["F-005 shares the queue"]}
    project.build()
    advance(synth, project.root, project.sid, "analyzed")
    answer = synth(project.root, "complexity", "--session", project.sid).json
    assert answer["dimensions"] == {
        "feature_count": 5,
        "unresolved_conflicts": 3,
        "participating_roles": 5,
        "cross_feature_dependencies": 3,
    }
    assert answer["score"] == 8 and answer["review_required"] is True


def test_text_output(synth: Synth, example: Path, sid: str) -> None:
    advance(synth, example, sid, "index")
    result = synth(example, "complexity", "--session", sid, as_json=False)
    assert result.code == 0 and "complexity 5/8 (review required)" in result.out
