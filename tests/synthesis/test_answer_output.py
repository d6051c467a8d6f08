"""`answer` names the spec writer's input file instead of printing its content a second time."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.synthesis import Synth, advance
from tests.synthesis.builders import Project


def test_answer_gives_the_spec_input_by_path_only(synth: Synth, project: Project) -> None:
    project.language = "ko"
    project.build()
    advance(synth, project.root, project.sid, "analyzed")
    result = synth(project.root, "answer", "--session", project.sid, "--yes")
    answer = result.json
    assert "spec_input" not in answer
    spec_input = json.loads(Path(answer["spec_input_path"]).read_text(encoding="utf-8"))
    assert [b["feature_id"] for b in spec_input["feature_bundles"]] == ["F-001", "F-002"]
    assert answer["language"] == "ko" == spec_input["language"]
    assert answer["specs_to_write"] == [
        "feature-specs/F-001-offline-sync.md",
        "feature-specs/F-002-sharing.md",
    ]
    assert "Offline Sync for teams" not in result.out  # no bundle content in the answer
