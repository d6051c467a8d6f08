"""`specrail synthesis index`: feature-index.json from disk, and the SPECS_WRITTEN gate."""

from __future__ import annotations

import json
from pathlib import Path

from specrail.validation.check import check_file
from tests.support.synthesis import Synth, advance
from tests.synthesis.builders import Conf, Project


def _specs_ready(synth: Synth, project: Project) -> Project:
    project.build()
    advance(synth, project.root, project.sid, "answer")
    project.write_specs()
    return project


def test_example_index_is_built_from_disk(synth: Synth, example: Path, sid: str) -> None:
    advance(synth, example, sid, "answer")
    answer = synth(example, "index", "--session", sid).json
    assert answer["status"] == "ok" and answer["state"] == "SPECS_WRITTEN"
    bdir = example / ".workflow/active" / sid / ".brainstorming"
    path = bdir / "feature-index.json"
    assert answer["feature_index"] == "feature-index.json" and path.is_file()
    assert check_file(path).ok
    index = json.loads(path.read_text())
    assert index["session_id"] == sid and index["version"] == "1.0" and index["feature_mode"] is True
    by_id = {f["id"]: f for f in index["features"]}
    assert by_id["F-001"]["spec_path"] == "feature-specs/F-001-offline-sync.md"
    assert by_id["F-001"]["name"] == "Offline Sync" and by_id["F-004"]["priority"] == "Medium"
    for fid, feature in by_id.items():  # contributing roles are exactly the roles with a per-feature analysis
        roles = sorted(p.parent.name for p in bdir.glob(f"*/analysis-{fid}-{feature['slug']}.md"))
        assert feature["contributing_roles"] == roles
    conflict_map = json.loads((bdir / "feature-conflict-map.json").read_text())
    assert by_id["F-003"]["cross_cutting_refs"] == conflict_map["F-003"]["cross_refs"]
    assert index["cross_cutting_specs"] == [
        f"{r}/analysis-cross-cutting.md" for r in ("product-manager", "ux-expert")
    ]
    assert "complexity --session" in answer["next"]


def test_missing_spec_file_is_named_and_nothing_is_written(synth: Synth, project: Project) -> None:
    project.build()
    advance(synth, project.root, project.sid, "answer")
    project.write_specs(skip=("F-002",))
    result = synth(project.root, "index", "--session", project.sid)
    assert result.code == 1
    assert result.json["error"]["file"].endswith("feature-specs/F-002-sharing.md")
    assert not (project.bdir / "feature-index.json").exists()
    assert project.session()["state"] == "CLARIFIED"


def test_invalid_spec_blocks_the_gate(synth: Synth, project: Project) -> None:
    _specs_ready(synth, project)
    spec = project.bdir / "feature-specs/F-001-offline-sync.md"
    spec.write_text(spec.read_text().replace("## 2. Design Decisions", "## 2. Decisions Maybe") + "TODO\n")
    answer = synth(project.root, "index", "--session", project.sid).json
    assert answer["status"] == "fail" and answer["state"] == "CLARIFIED"
    messages = [e["message"] for e in answer["errors"]]
    assert any("unexpected section" in m for m in messages) and any("placeholder" in m for m in messages)
    assert not (project.bdir / "feature-index.json").exists()


def test_unresolved_conflict_must_be_surfaced_in_the_spec(synth: Synth, project: Project) -> None:
    project.conflicts = {"F-001": [Conf("Merge strategy", "[UNRESOLVED]")]}
    _specs_ready(synth, project)
    spec = project.bdir / "feature-specs/F-001-offline-sync.md"
    spec.write_text(spec.read_text().replace("[DECISION NEEDED]", "Decision open"))
    answer = synth(project.root, "index", "--session", project.sid).json
    assert answer["status"] == "fail"
    assert any("UNRESOLVED conflict 'Merge strategy'" in e["message"] for e in answer["errors"])


def test_missing_changelog_blocks_the_gate(synth: Synth, project: Project) -> None:
    _specs_ready(synth, project)
    (project.bdir / "synthesis-changelog.md").unlink()
    answer = synth(project.root, "index", "--session", project.sid).json
    assert answer["status"] == "fail"
    assert answer["errors"][0]["file"].endswith("synthesis-changelog.md")


def test_cross_ref_to_an_unknown_feature_is_refused(synth: Synth, project: Project) -> None:
    """`analyzed` refuses such a map; one rewritten after it is refused by `index` as changed."""
    _specs_ready(synth, project)
    data = project.conflict_map()
    data["F-001"]["cross_refs"] = ["F-007 (reports) reads the journal"]
    project.write_json("feature-conflict-map.json", data)
    result = synth(project.root, "index", "--session", project.sid)
    assert result.code == 1
    error = result.json["error"]
    assert error["pointer"] == "/analysis_hashes"
    assert ".brainstorming/feature-conflict-map.json changed" in error["message"]
    assert not (project.bdir / "feature-index.json").exists()


def test_stray_spec_file_is_reported_not_indexed(synth: Synth, project: Project) -> None:
    _specs_ready(synth, project)
    project.write("feature-specs/F-003-extra.md", "# stray\n")
    answer = synth(project.root, "index", "--session", project.sid).json
    assert answer["status"] == "ok"
    assert any("F-003-extra.md is not a feature" in w for w in answer["warnings"])
    assert [f["id"] for f in answer["features"]] == ["F-001", "F-002"]


def test_index_before_answers_is_refused(synth: Synth, project: Project) -> None:
    project.build()
    advance(synth, project.root, project.sid, "analyzed")
    project.write_specs()
    result = synth(project.root, "index", "--session", project.sid)
    assert result.code == 1 and "cannot go to SPECS_WRITTEN" in result.json["error"]["message"]


def test_single_spec_mode_validates_without_an_index(synth: Synth, project: Project) -> None:
    project.subdocs = False
    project.build()
    advance(synth, project.root, project.sid, "answer")
    assert synth(project.root, "index", "--session", project.sid).json["status"] == "fail"
    project.write_single_spec()
    answer = synth(project.root, "index", "--session", project.sid).json
    assert answer["status"] == "ok" and answer["feature_index"] is None
    assert answer["specs"] == ["synthesis-specification.md"]
    assert not (project.bdir / "feature-index.json").exists()


def test_text_output_lists_errors(synth: Synth, project: Project) -> None:
    _specs_ready(synth, project)
    (project.bdir / "synthesis-changelog.md").write_text("# Synthesis Changelog\n")
    result = synth(project.root, "index", "--session", project.sid, as_json=False)
    assert result.code == 1
    assert "synthesis-changelog.md::section 'Enhancements Applied': section missing" in result.out
