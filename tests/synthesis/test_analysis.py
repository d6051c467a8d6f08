"""`specrail synthesis analyzed`: the phase 3A gate."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.synthesis import Synth
from tests.synthesis.builders import Conf, Project


def _state(project: Project) -> str:
    return str(project.session()["state"])


def test_example_analysis_outputs_pass(synth: Synth, example: Path, sid: str) -> None:
    synth(example, "discover")
    answer = synth(example, "analyzed", "--session", sid).json
    assert answer["status"] == "ok" and answer["state"] == "ANALYZED"
    assert answer["enhancements"] == 5
    assert answer["conflicts"] == {"total": 9, "resolved": 5, "suggested": 3, "unresolved": 1}
    assert "questions --session" in answer["next"]


def test_analyzed_before_discover_is_refused(synth: Synth, project: Project) -> None:
    project.build()
    result = synth(project.root, "analyzed", "--session", project.sid)
    assert result.code == 1
    assert "cannot go to ANALYZED" in result.json["error"]["message"]
    assert _state(project) == "PENDING"


def test_missing_recommendations_fail_and_keep_the_state(synth: Synth, project: Project) -> None:
    project.build()
    (project.bdir / "enhancement-recommendations.json").unlink()
    synth(project.root, "discover")
    result = synth(project.root, "analyzed", "--session", project.sid)
    assert result.code == 1
    answer = result.json
    assert answer["status"] == "fail" and answer["state"] == "DISCOVERED"
    assert answer["errors"][0]["file"].endswith("enhancement-recommendations.json")
    assert _state(project) == "DISCOVERED"


def test_conflict_map_must_cover_exactly_the_decomposition(synth: Synth, project: Project) -> None:
    project.build()
    data = project.conflict_map()
    data["F-009"] = data.pop("F-002")
    project.write_json("feature-conflict-map.json", data)
    synth(project.root, "discover")
    answer = synth(project.root, "analyzed", "--session", project.sid).json
    messages = {(e["location"], e["message"]) for e in answer["errors"]}
    assert ("/", "no entry for F-002 of the Feature Decomposition") in messages
    assert ("/F-009", "F-009 is not in the Feature Decomposition") in messages


def test_suggested_conflict_needs_a_resolution(synth: Synth, project: Project) -> None:
    project.conflicts = {"F-001": [Conf("Merge strategy", "[SUGGESTED]")]}
    project.build()
    data = project.conflict_map()
    del data["F-001"]["conflicts"][0]["resolution"]
    project.write_json("feature-conflict-map.json", data)
    synth(project.root, "discover")
    answer = synth(project.root, "analyzed", "--session", project.sid).json
    assert answer["status"] == "fail"
    assert any(e["location"].startswith("/F-001/conflicts/0") for e in answer["errors"])


def test_unresolved_conflict_may_omit_the_resolution(synth: Synth, project: Project) -> None:
    project.conflicts = {"F-001": [Conf("Merge strategy", "[UNRESOLVED]")]}
    project.build()
    synth(project.root, "discover")
    answer = synth(project.root, "analyzed", "--session", project.sid).json
    assert answer["status"] == "ok" and answer["conflicts"]["unresolved"] == 1


def test_roles_that_did_not_take_part_are_reported(synth: Synth, project: Project) -> None:
    project.conflicts = {"F-001": [Conf("Merge strategy", roles=("alpha", "gamma"))]}
    project.build()
    synth(project.root, "discover")
    answer = synth(project.root, "analyzed", "--session", project.sid).json
    assert answer["status"] == "ok"
    assert any("'gamma'" in w for w in answer["warnings"])


def test_non_feature_mode_needs_no_conflict_map(synth: Synth, project: Project) -> None:
    project.subdocs = False
    project.build()
    (project.bdir / "feature-conflict-map.json").write_text("not json")
    synth(project.root, "discover")
    answer = synth(project.root, "analyzed", "--session", project.sid).json
    assert answer["status"] == "ok" and answer["feature_mode"] is False
    assert answer["conflicts"]["total"] == 0


def test_malformed_json_names_the_file(synth: Synth, project: Project) -> None:
    project.build()
    (project.bdir / "enhancement-recommendations.json").write_text("[{")
    synth(project.root, "discover")
    result = synth(project.root, "analyzed", "--session", project.sid, as_json=False)
    assert result.code == 1
    assert "enhancement-recommendations.json: malformed JSON" in result.out
    assert json.loads((project.session_dir / "workflow-session.json").read_text())["state"] == "DISCOVERED"
