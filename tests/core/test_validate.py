"""`specrail validate`: every artifact kind accepted when valid, rejected with the right pointer."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.core.samples import SAMPLES, config, sample, spec_driven_session
from tests.support.cli import run_cli


def write(tmp: Path, rel: str, data: Any) -> Path:
    path = tmp / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", sorted(SAMPLES))
def test_valid_sample_of_each_kind_passes(tmp_path: Path, kind: str) -> None:
    path = write(tmp_path, SAMPLES[kind][0], sample(kind))
    run = run_cli("validate", "--json", str(path))
    assert run.code == 0, run.out
    answer = run.json
    assert answer["status"] == "pass"
    assert answer["files"][0]["kind"] == kind


def test_spec_driven_session_and_yaml_config_pass(tmp_path: Path) -> None:
    session = write(
        tmp_path, "specs/meta/sessions/dark-mode_2026-11-20/workflow-session.json", spec_driven_session()
    )
    cfg = tmp_path / ".specrail.yaml"
    cfg.write_text(yaml.safe_dump(config()), encoding="utf-8")
    run = run_cli("validate", str(session), str(cfg))
    assert run.code == 0, run.out


def _set(path: tuple[Any, ...], value: Any) -> Callable[[Any], None]:
    def mutate(data: Any) -> None:
        for key in path[:-1]:
            data = data[key]
        data[path[-1]] = value

    return mutate


def _delete(path: tuple[Any, ...]) -> Callable[[Any], None]:
    def mutate(data: Any) -> None:
        for key in path[:-1]:
            data = data[key]
        del data[path[-1]]

    return mutate


def _append_dup(data: Any) -> None:
    data["features"].append(dict(data["features"][0]))


INVALID = [
    ("feature-index", _set(("features", 0, "id"), "F-1"), "/features/0/id", "feature id like F-001"),
    ("feature-index", _set(("features", 0, "slug"), "Offline Sync"), "/features/0/slug", "kebab-case"),
    (
        "feature-index",
        _set(("features", 1, "spec_path"), "../../etc/passwd"),
        "/features/1/spec_path",
        "'..'",
    ),
    (
        "feature-index",
        _set(("features", 1, "spec_path"), "/abs/F-002-sharing.md"),
        "/features/1/spec_path",
        "'/'",
    ),
    (
        "feature-index",
        _set(("features", 1, "spec_path"), "feature-specs/F-002-other.md"),
        "/features/1/spec_path",
        "does not match id and slug",
    ),
    ("feature-index", _append_dup, "/features/2/id", "duplicate id 'F-001'"),
    (
        "feature-index",
        _set(("features", 0, "cross_cutting_refs"), ["F-009 is unknown"]),
        "/features/0/cross_cutting_refs/0",
        "unknown feature F-009",
    ),
    (
        "feature-index",
        _set(("features", 0, "priority"), 3),
        "/features/0/priority",
        "is not of type 'string'",
    ),
    ("feature-index", _delete(("generated_at",)), "/", "'generated_at' is a required property"),
    ("feature-index", _set(("feature_mode",), "yes"), "/feature_mode", "True was expected"),
    ("feature-index", _set(("surprise",), 1), "/", "'surprise' was unexpected"),
    (
        "feature-conflict-map",
        _delete(("F-001", "conflicts", 0, "resolution")),
        "/F-001/conflicts/0",
        "'resolution' is a required property",
    ),
    (
        "feature-conflict-map",
        _set(("F-001", "conflicts", 0, "confidence"), "RESOLVED"),
        "/F-001/conflicts/0/confidence",
        "RESOLVED",
    ),
    (
        "feature-conflict-map",
        _set(("F-1",), {"consensus": [], "conflicts": [], "cross_refs": []}),
        "/",
        "F-1",
    ),
    (
        "feature-conflict-map",
        _set(("F-002", "cross_refs"), ["F-007 needs it"]),
        "/F-002/cross_refs/0",
        "unknown feature F-007",
    ),
    ("enhancement-recommendations", _set((0, "id"), "EP-1"), "/0/id", "enhancement id like EP-001"),
    ("enhancement-recommendations", _set((0, "category"), ""), "/0/category", "should be non-empty"),
    ("enhancement-recommendations", lambda d: d.append(dict(d[0])), "/1/id", "duplicate id 'EP-001'"),
    ("context-package", _set(("feature_index_path",), "/etc/passwd"), "/feature_index_path", "relative path"),
    ("workflow-session", _set(("state",), "DONE"), "/state", "'DONE' is not one of"),
    ("workflow-session", _set(("history", 0, "to"), "COMPLETE"), "/history/0", "cannot go to COMPLETE"),
    ("workflow-session", _set(("session_id",), "WFS-../x"), "/session_id", "session id like WFS-team-notes"),
    ("diff-record-json", _set(("sections", 0, "change"), "CHANGED"), "/sections/0/change", "CHANGED"),
]


@pytest.mark.parametrize(("kind", "mutate", "where", "fragment"), INVALID)
def test_invalid_artifact_rejected_with_pointer(
    tmp_path: Path, kind: str, mutate: Callable[[Any], None], where: str, fragment: str
) -> None:
    data = sample(kind)
    mutate(data)
    path = write(tmp_path, SAMPLES[kind][0], data)
    run = run_cli("validate", "--json", str(path))
    assert run.code == 1, run.out + run.err
    errors = run.json["errors"]
    assert any(e["location"] == where and fragment in e["message"] for e in errors), errors
    text = run_cli("validate", str(path))
    assert f"{path}::{where}:" in text.out


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b'{"version": "1.0",', "malformed JSON at line 1"),
        (b"", "malformed JSON"),
        (b'{"a": 1, "a": 2}', "duplicate key 'a'"),
        (b'{"a": NaN}', "NaN is not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8: invalid byte at offset 0"),
        (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
        (b"[]", "is not of type 'object'"),
    ],
    ids=["truncated", "empty", "duplicate-key", "nan", "not-utf8", "deep", "wrong-type"],
)
def test_unparseable_input_is_one_line_error(tmp_path: Path, content: bytes, fragment: str) -> None:
    path = tmp_path / "feature-index.json"
    path.write_bytes(content)
    run = run_cli("validate", str(path))
    assert run.code == 1
    assert fragment in run.out
    assert "Traceback" not in run.err + run.out


def test_missing_file_unknown_kind_and_non_artifact_exit_2(tmp_path: Path) -> None:
    missing = run_cli("validate", str(tmp_path / "feature-index.json"))
    assert missing.code == 2 and "no such file" in missing.out
    unknown = run_cli("validate", "--kind", "nope", str(tmp_path / "x.json"))
    assert unknown.code == 2 and "nope" in unknown.err
    other = tmp_path / "notes.txt"
    other.write_text("hi")
    run = run_cli("validate", str(other))
    assert run.code == 2 and "not a workflow artifact" in run.out


def test_one_bad_file_does_not_hide_the_others(tmp_path: Path) -> None:
    good = write(tmp_path, "a/feature-index.json", sample("feature-index"))
    bad_data = sample("feature-index")
    bad_data["version"] = "2.0"
    bad = write(tmp_path, "b/feature-index.json", bad_data)
    answer = run_cli("validate", "--json", str(good), str(bad)).json
    assert [f["valid"] for f in answer["files"]] == [True, False]


def test_conflict_map_must_match_the_decomposition(tmp_path: Path) -> None:
    brainstorm = tmp_path / ".workflow/active/WFS-demo/.brainstorming"
    brainstorm.mkdir(parents=True)
    (brainstorm / "guidance-specification.md").write_text(
        "# Guidance\n\n## Feature Decomposition\n\n| ID | Name | Priority |\n|---|---|---|\n"
        "| F-001 | Offline sync | High |\n| F-003 | Search | Low |\n",
        encoding="utf-8",
    )
    path = write(brainstorm, "feature-conflict-map.json", sample("feature-conflict-map"))
    errors = run_cli("validate", "--json", str(path)).json["errors"]
    messages = {(e["location"], e["message"]) for e in errors}
    assert ("/", "no entry for F-003 of the Feature Decomposition") in messages
    assert ("/F-002", "F-002 is not in the Feature Decomposition") in messages


def test_feature_index_flags_missing_spec_files(tmp_path: Path) -> None:
    brainstorm = tmp_path / ".workflow/active/WFS-demo/.brainstorming"
    (brainstorm / "feature-specs").mkdir(parents=True)
    (brainstorm / "feature-specs/F-001-offline-sync.md").write_text("# x\n")
    path = write(brainstorm, "feature-index.json", sample("feature-index"))
    errors = run_cli("validate", "--json", str(path)).json["errors"]
    assert [(e["location"], e["message"]) for e in errors] == [
        ("/features/1/spec_path", "feature-specs/F-002-sharing.md does not exist")
    ]


def test_symlink_out_of_the_project_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    target = write(outside, "feature-index.json", sample("feature-index"))
    project = tmp_path / "project"
    project.mkdir()
    (project / "feature-index.json").symlink_to(target)
    run = run_cli("validate", "--root", str(project), "feature-index.json")
    assert run.code == 1 and "symlink to a file outside the project" in run.out


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("a: &a [1,2]\nb: !!python/object:os.system {}\n", "invalid YAML at line 2"),
        ("spec_driven_feature: [unclosed\n", "invalid YAML"),
        (
            "".join(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]\n" for i in range(1, 10)).replace(
                "*l0", "x"
            ),
            "alias bomb",
        ),
        ("spec_driven_feature:\n  refinement:\n    max_rounds: '5'\n", "is not of type 'integer'"),
        ("spec_driven_feature:\n  colour: blue\n", "'colour' was unexpected"),
    ],
)
def test_config_yaml_is_loaded_safely(tmp_path: Path, text: str, fragment: str) -> None:
    cfg = tmp_path / ".specrail.yaml"
    cfg.write_text(text, encoding="utf-8")
    run = run_cli("validate", str(cfg))
    assert run.code == 1, run.out
    assert fragment in run.out


def test_skip_unknown_ignores_files_that_are_not_artifacts(tmp_path: Path) -> None:
    other = tmp_path / "notes.txt"
    other.write_text("not an artifact")
    good = write(tmp_path, "feature-index.json", sample("feature-index"))
    run = run_cli("validate", "--skip-unknown", str(other), str(good))
    assert run.code == 0, run.out
    assert "1 file(s) checked" in run.out
