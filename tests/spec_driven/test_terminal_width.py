"""`trace`, `status` and `drift` as a person reads them: within the terminal's width (`COLUMNS`,
else 100), nothing lost, `--json` unchanged; an alignment task traced to the spec it changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.cli import run_cli


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's spec-driven project, its session committed (COMPLETE)."""
    keep = tmp_path_factory.mktemp("demo") / "kept"
    made = run_cli("demo", "--keep", str(keep))
    assert made.code == 0, made.out + made.err
    return keep / "spec-driven"


def _run(root: Path, *args: str, columns: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}
    if columns is not None:
        env["COLUMNS"] = columns
    return subprocess.run(
        [sys.executable, "-m", "specrail", *args, "--root", str(root)],
        capture_output=True,
        text=True,
        env=env,
        cwd=root,
        timeout=120,
    )


@pytest.mark.parametrize(("columns", "width"), [(None, 100), ("100", 100), ("72", 72)])
def test_trace_fits_the_terminal_and_loses_nothing(project: Path, columns: str | None, width: int) -> None:
    proc = _run(project, "trace", "specs/notes.md", columns=columns)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert max(len(line) for line in lines) <= width, proc.stdout
    if width < 100:
        return  # narrower: words may break
    answer = json.loads(_run(project, "trace", "specs/notes.md", "--json", columns=None).stdout)
    words = proc.stdout.split()
    for entry in answer["entries"]:
        for name in entry["files"]:
            assert name in words or name + "," in words, name
        for commit in entry["commits"]:
            assert commit["short"] in proc.stdout
        for task in entry["tasks"]:
            assert task["id"] in proc.stdout
    assert "storage_roundtrip PASS" in proc.stdout
    assert "note-tags_2026-01-20: specs/notes.md 1.0 -> 1.1;" in proc.stdout


def test_json_answers_do_not_depend_on_the_width(project: Path) -> None:
    for args in (("trace", "specs/notes.md"), ("status",), ("drift",)):
        narrow = _run(project, *args, "--json", columns="40").stdout
        wide = _run(project, *args, "--json", columns="300").stdout
        assert json.loads(narrow) == json.loads(wide), args


def test_status_fits_a_narrow_terminal(project: Path) -> None:
    proc = _run(project, "status", columns="70")
    assert proc.returncode == 0, proc.stderr
    assert max(len(line) for line in proc.stdout.splitlines()) <= 70, proc.stdout
    assert proc.stdout.splitlines()[0].split() == ["SESSION", "WORKFLOW", "STATE", "AGE", "LAST", "MISSING"]
    assert "note-tags_2026-01-20" in proc.stdout and "COMPLETE" in proc.stdout


def test_trace_of_a_spec_lists_the_alignment_task_that_changed_it(project: Path) -> None:
    answer = json.loads(_run(project, "trace", "specs/storage.md", "--json", columns=None).stdout)
    [entry] = answer["entries"]
    assert (entry["spec"], entry["section"], entry["change"]) == ("specs/storage.md", "3", "ALIGNED")
    assert [t["id"] for t in entry["tasks"]] == ["T-005"] and entry["files"] == ["specs/storage.md"]
    assert entry["commits"]
    text = _run(project, "trace", "specs/storage.md#3", columns=None).stdout
    assert "ALIGNED" in text and "T-005 done" in text


def test_drift_of_staged_changes_does_not_call_them_commits(project: Path, tmp_path: Path) -> None:
    copy = tmp_path / "p"
    subprocess.run(["git", "clone", "-q", str(project), str(copy)], check=True)
    with (copy / "notes" / "core.py").open("a", encoding="utf-8") as handle:
        handle.write("COUNTER = 0\n")
    subprocess.run(["git", "-C", str(copy), "add", "notes/core.py"], check=True)
    proc = _run(copy, "drift", "--staged", columns=None)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "changed in the staged changes" in proc.stdout
    assert "commit(s)" not in proc.stdout
    assert "drift: 1 finding(s); the staged changes against 1 session(s)" in proc.stdout
