"""Requirement evidence from real test runs: pytest's JUnit XML, `node --test`'s junit reporter."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.spec_driven.evidence_projects import implement, node_project, python_project, start
from tests.support.cli import run_cli
from tests.support.spec_driven import git

LINKED = "**Tests:** `tests/test_notes.py::test_filter_by_tag`"


def test_a_python_section_proven_by_its_linked_pytest_test_reaches_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # trace's table with one line per row
    project = python_project(tmp_path / "py")
    label = start(project, tests_line=LINKED)
    implement(project, label)
    ran = project.ok("run-validations", "--session", label)
    assert ran["results"][0]["tests"] == {
        "format": "junit",
        "passed": 2,
        "failed": 0,
        "skipped": 0,
        "truncated": False,
    }
    [entry] = ran["evidence"]
    assert (entry["spec"], entry["section"], entry["status"]) == ("specs/notes.md", "1.1", "proven")
    assert [(t["test"], t["source"], t["result"]) for t in entry["tests"]] == [
        ("tests/test_notes.py::test_filter_by_tag", "spec", "passed")
    ]
    assert entry["commit"] == git(project.root, "rev-parse", "HEAD").strip()
    assert project.state == "COMMITTING"
    project.ok("commit", "--confirm", "--session", label)
    summary = (project.root / label / "SUMMARY.md").read_text(encoding="utf-8")
    assert "### Requirement Evidence" in summary
    assert (
        "| specs/notes.md#1.1 Filter by Tag | `tests/test_notes.py::test_filter_by_tag` passed | proven |"
        in (summary)
    )
    traced = run_cli("trace", "specs/notes.md#1.1", "--json", cwd=project.root)
    assert traced.json["entries"][0]["evidence"] == {
        "status": "proven",
        "accepted": None,
        "tests": [{"test": "tests/test_notes.py::test_filter_by_tag", "result": "passed"}],
    }
    table = run_cli("trace", "specs/notes.md#1.1", cwd=project.root).out
    assert "tests/test_notes.py::test_filter_by_tag passed: proven" in table


def test_a_section_without_a_linked_test_stops_with_three_choices(tmp_path: Path) -> None:
    project = python_project(tmp_path / "py")
    label = start(project)
    implement(project, label)
    stopped = project.fails("run-validations", "--session", label).json
    assert stopped["state"] == "BLOCKED"
    assert stopped["pending_decision"]["kind"] == "evidence"
    assert stopped["pending_decision"]["options"] == ["Add tests", "Accept unproven", "Abort"]
    assert stopped["unproven"] == ["specs/notes.md#1.1 Filter by Tag: unproven (no linked test)"]
    # Accepting needs a reason; with one, the section is listed in SUMMARY.md and the outcome.
    project.fails("resolve", "--choice", "Accept unproven", "--session", label, code=2)
    project.ok("resolve", "--choice", "Accept unproven", "--note", "manual check only", "--session", label)
    assert project.state == "COMMITTING"
    project.ok("commit", "--confirm", "--session", label)
    record = project.session()
    assert record["outcome"]["unproven_accepted"] == ["specs/notes.md#1.1 Filter by Tag: manual check only"]
    summary = (project.root / label / "SUMMARY.md").read_text(encoding="utf-8")
    assert "**Accepted unproven:**\n- specs/notes.md#1.1 Filter by Tag: manual check only" in summary


def test_add_tests_runs_the_validations_again_and_a_marker_in_the_test_links_it(tmp_path: Path) -> None:
    project = python_project(tmp_path / "py")
    label = start(project)
    implement(project, label)
    project.fails("run-validations", "--session", label)
    project.ok("resolve", "--choice", "Add tests", "--session", label)
    assert project.state == "VALIDATING"
    project.edit(
        "tests/test_notes.py",
        "def test_filter_by_tag():\n",
        "def test_filter_by_tag():\n    # spec: specs/notes.md#1.1\n",
    )
    ran = project.ok("run-validations", "--session", label)
    [entry] = ran["evidence"]
    assert [(t["test"], t["source"], t["where"], t["result"]) for t in entry["tests"]] == [
        ("tests/test_notes.py::test_filter_by_tag", "test", "tests/test_notes.py", "passed")
    ]
    assert entry["status"] == "proven"
    # The test file written after "Add tests" is committed with the feature.
    project.ok("commit", "--confirm", "--session", label)
    assert "tests/test_notes.py" in git(project.root, "show", "--name-only", "--format=", "HEAD")
    assert git(project.root, "status", "--porcelain", "--", "tests/test_notes.py") == ""


def test_a_failing_linked_test_is_reported_as_failed(tmp_path: Path) -> None:
    project = python_project(tmp_path / "py")
    label = start(project, tests_line=LINKED)
    implement(project, label)
    project.edit("tests/test_notes.py", '== [{"tags": ["a"]}]', '== [{"tags": ["b"]}]')
    blocked = project.fails("run-validations", "--session", label).json
    [entry] = blocked["evidence"]
    assert entry["status"] == "failed"
    assert entry["tests"][0]["result"] == "failed"
    assert blocked["pending_decision"]["kind"] == "validation"  # the failing test blocks first
    report = (project.root / label / "validation_report.md").read_text(encoding="utf-8")
    assert "`tests/test_notes.py::test_filter_by_tag` failed | failed |" in report


def test_without_a_report_the_evidence_is_not_measured_never_passed(tmp_path: Path) -> None:
    project = python_project(tmp_path / "py")
    (project.root / ".specrail.yaml").write_text(
        "spec_driven_feature:\n  commands:\n    test:\n      run: python3 -m pytest -q && echo tested\n",
        encoding="utf-8",
    )
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "configure")
    label = start(project, tests_line=LINKED)
    implement(project, label)
    stopped = project.fails("run-validations", "--session", label).json
    assert stopped["results"][0]["status"] == "PASS" and stopped["results"][0]["tests"] is None
    [entry] = stopped["evidence"]
    assert entry["status"] == "not measured"
    assert entry["tests"][0]["result"] == "not measured"


def test_a_configured_junit_report_path_is_read(tmp_path: Path) -> None:
    project = python_project(tmp_path / "py")
    (project.root / ".specrail.yaml").write_text(
        "spec_driven_feature:\n  commands:\n    test:\n"
        "      run: python3 -m pytest -q -p no:cacheprovider --junitxml=build/junit.xml\n"
        "      report: build/junit.xml\n",
        encoding="utf-8",
    )
    (project.root / ".gitignore").write_text("build/\n", encoding="utf-8")
    git(project.root, "add", "-A")
    git(project.root, "commit", "-q", "-m", "configure")
    label = start(project, tests_line=LINKED)
    implement(project, label)
    ran = project.ok("run-validations", "--session", label)
    assert ran["evidence"][0]["status"] == "proven"
    assert ran["results"][0]["tests"]["passed"] == 2


@pytest.mark.skipif(shutil.which("node") is None or shutil.which("npm") is None, reason="needs node and npm")
def test_a_node_section_proven_by_node_test_through_npm(tmp_path: Path) -> None:
    project = node_project(tmp_path / "js")
    label = start(project, tests_line="**Tests:** `test/notes.test.js::unrelated`")
    implement(project, label)
    ran = project.ok("run-validations", "--session", label)
    test = next(r for r in ran["results"] if r["name"] == "test")
    assert test["command"] == "npm test"
    assert (test["tests"]["format"], test["tests"]["passed"]) == ("junit", 2)
    [entry] = ran["evidence"]
    assert entry["status"] == "proven"
    assert sorted((t["test"], t["source"], t["result"]) for t in entry["tests"]) == [
        ("test/notes.test.js::filters by tag (spec: specs/notes.md#1.1)", "test", "passed"),
        ("test/notes.test.js::unrelated", "spec", "passed"),
    ]
    project.ok("commit", "--confirm", "--session", label)
    assert project.state == "COMPLETE"


@pytest.mark.skipif(shutil.which("node") is None or shutil.which("npm") is None, reason="needs node and npm")
def test_a_failing_node_test_fails_its_section(tmp_path: Path) -> None:
    project = node_project(tmp_path / "js")
    label = start(project)
    implement(project, label)
    project.edit("test/notes.test.js", "[{ tags: ['a'] }]);", "[]);")
    blocked = project.fails("run-validations", "--session", label).json
    [entry] = blocked["evidence"]
    assert entry["status"] == "failed"
    assert entry["tests"] == [
        {
            "test": "test/notes.test.js::filters by tag (spec: specs/notes.md#1.1)",
            "source": "test",
            "where": "test/notes.test.js",
            "result": "failed",
            "matched": 1,
        }
    ]


def test_evidence_lists_linked_tests_untested_sections_and_links_to_missing_sections(tmp_path: Path) -> None:
    project = python_project(tmp_path / "py")
    label = start(project, tests_line=LINKED)
    implement(project, label)
    project.ok("run-validations", "--session", label)
    project.ok("commit", "--confirm", "--session", label)
    answer = run_cli("evidence", "--json", cwd=project.root)
    assert answer.code == 0, answer.err
    body = answer.json
    [filtered] = [s for s in body["sections"] if s["section"] == "1.1"]
    assert filtered["tests"] == [
        {
            "test": "tests/test_notes.py::test_filter_by_tag",
            "source": "spec",
            "where": "specs/notes.md",
            "last_result": "passed",
        }
    ]
    assert filtered["last_evidence"]["status"] == "proven"
    assert filtered["last_evidence"]["session"] == label
    assert body["untested"] == ["specs/notes.md#1"]
    assert body["orphans"] == []
    project.edit(
        "tests/test_notes.py",
        "def test_unrelated():\n",
        "def test_unrelated():\n    # spec: specs/notes.md#9.9\n",
    )
    broken = run_cli("evidence", "specs/notes.md", cwd=project.root)
    assert broken.code == 1
    assert (
        "tests/test_notes.py: tests/test_notes.py::test_unrelated names specs/notes.md#9.9, "
        "which does not exist" in broken.out
    )
