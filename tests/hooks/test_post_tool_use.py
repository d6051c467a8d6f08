"""PostToolUse: silent outside a workflow tree and for valid artifacts, else a block with a short fix list."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.core.samples import config, feature_index, synthesis_session
from tests.support.cli import Result
from tests.support.hooks import Hook, fake_venv, payload, run_hook
from tests.support.interpreters import find_python

BRAINSTORM = ".workflow/active/WFS-cap/.brainstorming"
INDEX = f"{BRAINSTORM}/feature-index.json"
SESSION_FILE = ".workflow/active/WFS-cap/workflow-session.json"


def start_tree(work: Path) -> None:
    """WFS-cap as a workflow tree: its folder holds a workflow-session.json."""
    session = work / SESSION_FILE
    session.parent.mkdir(parents=True, exist_ok=True)
    session.write_text(json.dumps({**synthesis_session(), "session_id": "WFS-cap"}), encoding="utf-8")


def write_index(work: Path, data: dict[str, Any]) -> Path:
    """feature-index.json of WFS-cap, with the spec files it points at."""
    start_tree(work)
    path = work / INDEX
    path.parent.mkdir(parents=True, exist_ok=True)
    for feature in data.get("features", []):
        if isinstance(feature, dict) and isinstance(feature.get("spec_path"), str):
            spec = path.parent / feature["spec_path"]
            spec.parent.mkdir(parents=True, exist_ok=True)
            spec.write_text("# spec\n", encoding="utf-8")
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return path


def valid_index() -> dict[str, Any]:
    data = feature_index()
    data["session_id"] = "WFS-cap"
    return data


def blocked(run: Result) -> list[str]:
    """The lines of a `decision: "block"` answer's reason."""
    assert run.code == 0, run
    answer = run.json
    assert answer["decision"] == "block", answer
    return str(answer["reason"]).splitlines()


def test_other_file_passes_silently(hook: Hook, work: Path) -> None:
    start_tree(work)
    (work / "notes.txt").write_text("hello\n", encoding="utf-8")
    run = hook("PostToolUse", "post-write-notes")
    assert (run.code, run.out, run.err) == (0, "", "")


def test_other_file_is_decided_without_json_re_or_pathlib(
    plugin_root: Path, plugin_data: Path, work: Path
) -> None:
    raw = json.dumps(payload("post-write-notes", work)).encode()
    proc = subprocess.run(
        [
            str(plugin_data / "venv" / "bin" / "python"),
            "-I",
            "-S",
            "-X",
            "importtime",
            str(plugin_root / "hooks" / "run.py"),
            "post-tool-use",
        ],
        input=raw,
        capture_output=True,
        env={"CLAUDE_PLUGIN_DATA": str(plugin_data)},
        cwd=work,
    )
    assert proc.returncode == 0, proc.stderr
    imported = {line.split("|")[-1].strip() for line in proc.stderr.decode().splitlines()[1:]}
    assert "specrail.hooks.post_tool_use" in imported
    assert not imported & {"json", "re", "pathlib", "os", "typing", "site", "jsonschema", "pydantic"}


def test_valid_artifact_passes_silently(hook: Hook, work: Path) -> None:
    write_index(work, valid_index())
    run = hook("PostToolUse", "post-write-feature-index")
    assert (run.code, run.out, run.err) == (0, "", "")


def test_invalid_artifact_is_blocked_with_pointers_and_fixes(hook: Hook, work: Path) -> None:
    data = valid_index()
    data["features"][0]["id"] = "F1"
    del data["features"][1]["slug"]
    data["generated_at"] = "yesterday"
    write_index(work, data)
    lines = blocked(hook("PostToolUse", "post-write-feature-index"))
    assert 3 <= len(lines) <= 20
    assert lines[0].startswith(f"specrail: {INDEX} is not a valid feature-index")
    assert "- /features/0/id: 'F1' is not a feature id like F-001" in lines
    assert "  fix: use a feature id like F-001" in lines
    assert "- /features/1: 'slug' is a required property" in lines
    assert any(line.startswith("- /generated_at: 'yesterday' is not an ISO 8601 timestamp") for line in lines)
    assert lines[-1] == f"Correct each location above, then check with `specrail validate {INDEX}`."


def test_a_long_error_list_is_cut_to_twenty_lines(hook: Hook, work: Path) -> None:
    data = valid_index()
    data["features"] = [{"id": f"bad-{i}"} for i in range(30)]
    write_index(work, data)
    lines = blocked(hook("PostToolUse", "post-write-feature-index"))
    assert len(lines) == 20, lines
    assert lines[-2].startswith("(+") and f"run `specrail validate {INDEX}` for all of them" in lines[-2]


def test_same_verdict_as_specrail_validate(hook: Hook, work: Path, specrail_run: Any) -> None:
    data = valid_index()
    data["features"][1]["spec_path"] = "feature-specs/F-002-other.md"
    write_index(work, data)
    lines = blocked(hook("PostToolUse", "post-write-feature-index"))
    cli = specrail_run("validate", INDEX, "--json", cwd=work)
    assert cli.code == 1
    for error in cli.json["errors"]:
        assert f"- {error['location']}: {error['message']}" in lines


def test_markdown_artifact_edit_is_checked(hook: Hook, work: Path) -> None:
    start_tree(work)
    changelog = work / BRAINSTORM / "synthesis-changelog.md"
    changelog.parent.mkdir(parents=True, exist_ok=True)
    changelog.write_text("# Synthesis Changelog\n\nNothing yet.\n", encoding="utf-8")
    stdin = payload("post-edit-role-analysis", work)
    stdin["tool_input"]["file_path"] = str(changelog)
    assert "- section 'Enhancements Applied': section missing" in blocked(hook("PostToolUse", stdin))


def test_a_config_outside_any_workflow_tree_is_left_to_specrail_validate(hook: Hook, work: Path) -> None:
    data = config()
    data["spec_driven_feature"]["refinement"]["max_rounds"] = "many"
    (work / ".specrail.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    stdin = payload("post-write-notes", work)
    stdin["tool_input"]["file_path"] = str(work / ".specrail.yaml")
    assert (hook("PostToolUse", stdin).code, hook("PostToolUse", stdin).out) == (0, "")


def test_a_json_artifact_is_checked_again_once_written(hook: Hook, work: Path) -> None:
    data = valid_index()
    data["features"][0]["id"] = "F1"
    write_index(work, data)
    assert "- /features/0/id: 'F1' is not a feature id like F-001" in blocked(
        hook("PostToolUse", "post-write-feature-index")
    )


def test_a_write_of_the_session_file_is_left_to_the_pre_tool_use_hook(hook: Hook, work: Path) -> None:
    start_tree(work)
    run = hook("PostToolUse", "post-write-workflow-session")
    assert (run.code, run.out) == (0, "")


def test_malformed_stdin_is_reported_and_never_blocks(hook: Hook) -> None:
    for stdin in (b"", b"{not json", b"[1, 2]", b"\xff\xfe"):
        run = hook("PostToolUse", stdin)
        assert run.code == 0, stdin
        assert "stdin is" in run.json["systemMessage"]
        assert "Traceback" not in run.err


def test_missing_file_is_reported_and_never_blocks(hook: Hook, work: Path) -> None:
    start_tree(work)
    run = hook("PostToolUse", "post-write-feature-index")
    assert run.code == 0
    assert f"{INDEX}: no such file" in run.json["systemMessage"]


def test_unreadable_file_is_reported_and_never_blocks(hook: Hook, work: Path) -> None:
    start_tree(work)
    (work / INDEX).mkdir(parents=True)  # a directory where the file should be: it cannot be read
    run = hook("PostToolUse", "post-write-feature-index")
    assert run.code == 0
    assert "is a directory" in run.json["systemMessage"]
    assert "Traceback" not in run.err


def test_without_the_venv_the_hook_falls_back_to_python3_on_path(
    plugin_root: Path, tmp_path: Path, work: Path
) -> None:
    data = valid_index()
    data["features"][0]["id"] = "F1"
    write_index(work, data)
    empty = tmp_path / "empty-plugin-data"
    run = run_hook("PostToolUse", payload("post-write-feature-index", work), plugin_root, empty, work)
    assert "- /features/0/id: 'F1' is not a feature id like F-001" in blocked(run)


def test_a_python_older_than_3_11_turns_the_hook_off_visibly(
    plugin_root: Path, tmp_path: Path, work: Path
) -> None:
    old = find_python(lambda i: (3, 8) <= i.version < (3, 11))
    if old is None:
        pytest.skip("needs a Python 3.8 to 3.10 (none found on PATH or beside this one)")
    data = fake_venv(tmp_path / "old")
    (data / "venv" / "bin" / "python").unlink()
    (data / "venv" / "bin" / "python").symlink_to(old.path)
    run = run_hook("PostToolUse", payload("post-write-notes", work), plugin_root, data, work)
    assert run.code == 0
    found = "{}.{}".format(*old.version)
    assert f"need Python 3.11 or newer (found {found}" in run.json["systemMessage"]


def test_without_jsonschema_the_first_error_still_blocks(
    plugin_root: Path, tmp_path: Path, work: Path
) -> None:
    bare = find_python(lambda i: i.version >= (3, 11) and not i.has_jsonschema)
    if bare is None:
        pytest.skip("needs a Python 3.11 or newer without jsonschema (none found on PATH or beside this one)")
    data = fake_venv(tmp_path / "bare")
    (data / "venv" / "bin" / "python").unlink()
    (data / "venv" / "bin" / "python").symlink_to(bare.path)
    index = valid_index()
    index["features"][0]["id"] = "F1"
    write_index(work, index)
    run = run_hook("PostToolUse", payload("post-write-feature-index", work), plugin_root, data, work)
    lines = blocked(run)
    assert any(line.startswith("- /features/0/id: data.features[0].id must match pattern") for line in lines)
    fix = "  fix: the full list needs jsonschema: run `specrail validate` where specrail is installed"
    assert fix in lines
