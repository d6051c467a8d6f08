"""`specrail synthesis discover`: session, inputs, feature mode, hashes."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli import run_cli
from tests.support.synthesis import Synth
from tests.synthesis.builders import Feat, Project


def _session(root: Path, sid: str) -> dict:
    return json.loads((root / ".workflow/active" / sid / "workflow-session.json").read_text())


def test_example_is_discovered_in_feature_mode(synth: Synth, example: Path, sid: str) -> None:
    answer = synth(example, "discover").json
    assert answer["status"] == "ok" and answer["session_id"] == sid and answer["state"] == "DISCOVERED"
    assert answer["feature_mode"] is True
    assert [f["id"] for f in answer["features"]] == ["F-001", "F-002", "F-003", "F-004"]
    assert answer["features"][0]["slug"] == "offline-sync"
    assert answer["participating_roles"] == ["product-manager", "system-architect", "ux-expert"]
    # feature mode: phase 3A reads only the index files
    assert answer["analysis_input_paths"] == [f"{r}/analysis.md" for r in answer["participating_roles"]]
    assert answer["role_analysis_paths"]["product-manager"][0] == "product-manager/analysis.md"
    assert answer["outputs"]["feature_conflict_map"] == "feature-conflict-map.json"
    assert answer["guidance_spec"] == "guidance-specification.md"
    assert "analyzed --session WFS-team-notes" in answer["next"]
    assert "user_intent" in answer and answer["user_intent"].startswith("Build Fieldbook")


def test_hashes_of_every_input_are_recorded(synth: Synth, example: Path, sid: str) -> None:
    synth(example, "discover")
    session = _session(example, sid)
    hashes = session["input_hashes"]
    bdir = example / ".workflow/active" / sid / ".brainstorming"
    expected = [
        "guidance-specification.md",
        *(p.relative_to(bdir).as_posix() for p in bdir.glob("*/analysis*.md")),
    ]
    assert sorted(hashes) == sorted(f".brainstorming/{e}" for e in expected)
    guidance = (bdir / "guidance-specification.md").read_bytes()
    assert hashes[".brainstorming/guidance-specification.md"] == hashlib.sha256(guidance).hexdigest()
    assert session["feature_mode"] is True
    assert session["phases"]["BRAINSTORM"] == {
        "status": "synthesis_in_progress",
        "participating_roles": session["participating_roles"],
    }
    assert run_cli("validate", str(example / ".workflow/active" / sid / "workflow-session.json")).code == 0


def test_rediscovery_is_allowed_and_recorded(synth: Synth, example: Path, sid: str) -> None:
    assert synth(example, "discover").code == 0
    assert synth(example, "discover", "--session", sid, "--yes").code == 0
    session = _session(example, sid)
    assert [(h["from"], h["to"]) for h in session["history"]] == [
        ("PENDING", "DISCOVERED"),
        ("DISCOVERED", "DISCOVERED"),
    ]
    assert session["auto_mode"] is True


def test_no_guidance_spec_warns_and_turns_feature_mode_off(synth: Synth, project: Project) -> None:
    project.guidance = False
    project.build()
    answer = synth(project.root, "discover").json
    assert answer["feature_mode"] is False and answer["features"] == []
    assert answer["guidance_spec"] is None
    assert any("guidance-specification.md" in w for w in answer["warnings"])
    # fallback mode: every analysis file is an input
    assert "alpha/analysis-F-001-offline-sync.md" in answer["analysis_input_paths"]
    assert answer["outputs"]["feature_conflict_map"] is None


def test_decomposition_without_feature_analyses_is_not_feature_mode(synth: Synth, project: Project) -> None:
    project.subdocs = False
    project.build()
    answer = synth(project.root, "discover").json
    assert answer["feature_mode"] is False
    assert any("feature mode is off" in w for w in answer["warnings"])


def test_one_role(synth: Synth, project: Project) -> None:
    project.features = [Feat("F-001", "Offline Sync", ["solo"])]
    project.build()
    answer = synth(project.root, "discover").json
    assert answer["participating_roles"] == ["solo"] and answer["feature_mode"] is True


def test_at_most_five_files_per_role_index_first(synth: Synth, project: Project) -> None:
    project.build()
    for n in range(1, 7):
        project.write(f"alpha/analysis-extra-{n}.md", "# extra\n")
    answer = synth(project.root, "discover").json
    files = answer["role_analysis_paths"]["alpha"]
    # analysis.md, analysis-cross-cutting.md and the per-feature analyses are not counted
    assert files[0] == "alpha/analysis.md" and "alpha/analysis-cross-cutting.md" in files
    assert "alpha/analysis-F-001-offline-sync.md" in files
    assert [f for f in files if "extra" in f] == [f"alpha/analysis-extra-{n}.md" for n in range(1, 6)]
    [left] = [w for w in answer["warnings"] if "left out" in w]
    assert left == "alpha: more than 5 other analysis files; left out analysis-extra-6.md"
    # every file is still hashed, including those left out of the agent's input
    assert ".brainstorming/alpha/analysis-extra-5.md" in _session(project.root, project.sid)["input_hashes"]


def test_no_role_analyses_names_the_brainstorming_folder(synth: Synth, project: Project) -> None:
    project.build()
    for role in project.roles:
        shutil.rmtree(project.bdir / role)
    result = synth(project.root, "discover")
    assert result.code == 1
    error = result.json["error"]
    assert error["file"].endswith(".brainstorming") and "no role analyses" in error["message"]
    assert _session(project.root, project.sid)["state"] == "PENDING"


def test_no_brainstorming_folder(synth: Synth, project: Project) -> None:
    project.build()
    shutil.rmtree(project.bdir)
    result = synth(project.root, "discover")
    assert result.code == 1 and ".brainstorming" in result.json["error"]["file"]


def test_several_sessions_are_listed_for_the_user(synth: Synth, project: Project) -> None:
    project.build()
    Project(project.root, sid="WFS-other").build()
    result = synth(project.root, "discover")
    assert result.code == 1
    assert result.json["status"] == "choose_session"
    assert result.json["sessions"] == ["WFS-demo", "WFS-other"]
    assert synth(project.root, "discover", "--session", "WFS-other").code == 0


def test_no_session_is_a_clear_error(synth: Synth, tmp_path: Path) -> None:
    result = synth(tmp_path, "discover")
    assert result.code == 2
    assert "no active brainstorming session" in result.json["error"]["message"]


def test_unknown_session_lists_the_known_ones(synth: Synth, project: Project) -> None:
    project.build()
    result = synth(project.root, "discover", "--session", "WFS-nope")
    assert result.code == 2 and "WFS-demo" in result.json["error"]["message"]


@pytest.mark.parametrize(
    "value",
    [
        "../../etc",
        "WFS-a/../../x",
        "WFS-x;touch pwned",
        "WFS-$(touch pwned)",
        "WFS-a b",
        "/tmp/WFS-x",
        "WFS-..",
        "WFS-x`id`",
        "wfs-x",
        "WFS-" + "a" * 120,
    ],
)
def test_hostile_session_values_are_refused(synth: Synth, project: Project, value: str) -> None:
    project.build()
    before = sorted(p.as_posix() for p in project.root.rglob("*"))
    result = synth(project.root, "discover", "--session", value)
    assert result.code == 2
    assert "not a session id" in result.json["error"]["message"]
    assert sorted(p.as_posix() for p in project.root.rglob("*")) == before
    assert not Path("pwned").exists()


def test_hostile_session_value_through_a_real_subprocess(project: Project, tmp_path: Path) -> None:
    project.build()
    result = run_cli(
        "synthesis", "discover", "--session", "WFS-x;touch pwned", "--root", str(project.root), cwd=tmp_path
    )
    assert result.code == 2 and "not a session id" in result.err
    assert "Traceback" not in result.err and not (tmp_path / "pwned").exists()


def test_missing_session_file_is_created(synth: Synth, project: Project) -> None:
    project.build()
    (project.session_dir / "workflow-session.json").unlink()
    answer = synth(project.root, "discover").json
    assert any("created a new synthesis session" in w for w in answer["warnings"])
    session = _session(project.root, project.sid)
    assert session["workflow"] == "synthesis" and session["state"] == "DISCOVERED"


def test_foreign_session_file_is_adopted_without_losing_keys(synth: Synth, project: Project) -> None:
    project.build()
    foreign: dict[str, Any] = {
        "session_id": project.sid,
        "description": "Offline notes for field crews",
        "status": "active",
        "created_at": "yesterday",
        "phases": {"PLAN": {"status": "pending"}, "BRAINSTORM": {"status": "in_progress", "roles": 3}},
        "tool": {"name": "another tool", "version": 3},
    }
    (project.session_dir / "workflow-session.json").write_text(json.dumps(foreign))
    answer = synth(project.root, "discover").json
    assert answer["user_intent"] == "Offline notes for field crews"
    assert any("adopted" in w for w in answer["warnings"])
    session = _session(project.root, project.sid)
    assert session["tool"] == foreign["tool"] and session["status"] == "active"
    assert session["phases"]["PLAN"] == {"status": "pending"}
    assert session["adopted"]["created_at"] == "yesterday"
    assert session["adopted"]["phases"]["BRAINSTORM"] == foreign["phases"]["BRAINSTORM"]
    assert session["phases"]["BRAINSTORM"] == {
        "status": "synthesis_in_progress",
        "participating_roles": session["participating_roles"],
    }
    assert run_cli("validate", str(project.session_dir / "workflow-session.json")).code == 0


def test_spec_driven_session_file_is_refused(synth: Synth, project: Project) -> None:
    project.build()
    (project.session_dir / "workflow-session.json").write_text(json.dumps({"workflow": "spec-driven"}))
    result = synth(project.root, "discover")
    assert result.code == 1 and "spec-driven" in result.json["error"]["message"]


def test_text_output(synth: Synth, example: Path) -> None:
    result = synth(example, "discover", as_json=False)
    assert result.code == 0
    assert "feature mode: on (4 features)" in result.out and "next:" in result.out


def test_the_cap_never_leaves_out_a_used_file(synth: Synth, project: Project) -> None:
    project.features = [Feat(f"F-00{n}", f"Part {n}", ["alpha"]) for n in range(1, 8)]
    project.build()
    answer = synth(project.root, "discover").json
    assert answer["feature_mode"] is True
    assert not any("left out" in w for w in answer["warnings"]), answer["warnings"]
    assert len(answer["role_analysis_paths"]["alpha"]) == 9  # analysis.md, cross-cutting, 7 features
