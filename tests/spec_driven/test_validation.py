"""Phase 6: globs, planning per level, parallel runs with time limits, classification."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from specrail import trust
from specrail.models.config import SpecDrivenConfig
from specrail.models.spec_driven import ConditionJudgement, PlannedValidation
from specrail.spec_driven.commands import ProjectCommand, ProjectCommands
from specrail.spec_driven.runner import listed, run, summarize
from specrail.spec_driven.validation import Plan, matches, plan, run_all
from tests.support.spec_driven import Project

CONFIG = SpecDrivenConfig.model_validate(
    {
        "commands": {"test": {"run": "true", "timeout": 30}, "tui": {"run": "tui-test", "timeout": 5}},
        "validation": {
            "required": ["test"],
            "conditional": [
                {"name": "tui", "paths": ["specs/views/*.md"]},
                {"name": "memory", "paths": ["src/**/data/*.rs"], "run": "memcheck", "critical": False},
            ],
        },
    }
)


@pytest.mark.parametrize(
    ("pattern", "path", "hit"),
    [
        ("specs/views/*.md", "specs/views/discover.md", True),
        ("specs/views/*.md", "specs/views/deep/discover.md", False),
        ("src/**/data/*.rs", "src/data/paths.rs", True),
        ("src/**/data/*.rs", "src/a/b/data/paths.rs", True),
        ("src/**/data/*.rs", "src/a/data/x/paths.rs", False),
        ("*.py", "notes/core.py", True),
        ("notes/core.py", "notes/core.py", True),
        ("notes/core.py", "other/notes/core.py", False),
        ("test_[!x]*.py", "tests/test_core.py", True),
        ("src/?.rs", "src/ab.rs", False),
    ],
)
def test_glob_matching(pattern: str, path: str, hit: bool) -> None:
    assert matches(pattern, path) is hit


def names(planned: Plan) -> list[tuple[str, str]]:
    return [(p.name, p.reason) for p in planned.validations]


def test_plan_per_level() -> None:
    changed = ["specs/views/discover.md", "src/app.rs"]
    assert names(plan(CONFIG, "minimal", changed)) == [("test", "required")]
    assert names(plan(CONFIG, "standard", changed)) == [
        ("test", "required"),
        ("tui", "specs/views/discover.md changed (matches specs/views/*.md)"),
    ]
    assert names(plan(CONFIG, "standard", ["src/app.rs"])) == [("test", "required")]
    full = plan(CONFIG, "full", ["src/app.rs"])
    assert names(full) == [
        ("test", "required"),
        ("tui", "full validation level"),
        ("memory", "full validation level"),
    ]
    assert [p.critical for p in full.validations] == [True, True, False]
    assert all(p.command is None for p in full.validations)  # looked up by name when they run


def test_seed_conditions_by_pattern_and_by_judgement() -> None:
    seed = SpecDrivenConfig.model_validate(
        {
            "validation": {
                "required": ["cargo_test"],
                "conditional": [
                    {"tui_testing": "specs/views/*.md changed"},
                    {"memory_audit": "data path code changed"},
                ],
            }
        }
    )
    changed = ["specs/views/discover.md", "src/app.rs"]
    standard = plan(seed, "standard", changed)
    assert names(standard) == [
        ("cargo_test", "required"),
        ("tui_testing", "specs/views/discover.md changed (matches specs/views/*.md)"),
    ]
    assert [(c.name, c.when) for c in standard.unjudged] == [("memory_audit", "data path code changed")]
    verdict = ConditionJudgement(
        applies=True, reason="src/app.rs reads the data path", at="2026-01-20T10:00:00Z"
    )
    judged = plan(seed, "standard", changed, {"memory_audit": verdict})
    assert judged.unjudged == [] and names(judged)[-1] == (
        "memory_audit",
        "judged by the validator agent (data path code changed): src/app.rs reads the data path",
    )
    declined = plan(
        seed, "standard", changed, {"memory_audit": verdict.model_copy(update={"applies": False})}
    )
    assert [n for n, _ in names(declined)] == ["cargo_test", "tui_testing"] and declined.unjudged == []
    assert plan(seed, "minimal", changed).unjudged == []


def test_runs_in_parallel_with_a_time_limit_each(tmp_path: Path) -> None:
    commands = ProjectCommands(
        [
            ProjectCommand("slow", "sleep 5", "configured", ".specrail.yaml", timeout=1),
            ProjectCommand("quick", "echo '3 passed in 0.01s'", "configured", ".specrail.yaml"),
            ProjectCommand("fails", "echo boom; exit 3", "configured", ".specrail.yaml"),
        ]
    )
    planned = [
        PlannedValidation(name="slow", critical=True, reason="r"),
        PlannedValidation(name="quick", critical=True, reason="r"),
        PlannedValidation(name="fails", critical=False, reason="r"),
        PlannedValidation(name="missing", critical=True, reason="r"),
    ]
    trust.approve(tmp_path, listed(commands))  # as `specrail trust` would
    started = time.monotonic()
    results = run_all(planned, commands, tmp_path, parallel=True)
    assert time.monotonic() - started < 4
    assert [(r.name, r.status, r.exit_code) for r in results] == [
        ("slow", "TIMEOUT", None),
        ("quick", "PASS", 0),
        ("fails", "FAIL", 3),
        ("missing", "NOT_CONFIGURED", None),
    ]
    assert results[1].summary == "3 passed in 0.01s"
    assert results[2].output_tail == "boom\n"


def test_summary_of_common_runners() -> None:
    assert (
        summarize("....\n---\nRan 4 tests in 0.1s\n\nFAILED (failures=1)\n")
        == "Ran 4 tests in 0.1s: FAILED (failures=1)"
    )
    assert summarize("x\n===== 2 failed, 5 passed in 1.2s =====\n") == "2 failed, 5 passed in 1.2s"
    assert summarize("all good\n") == "all good"
    assert run("x", "printf ''", Path(".")).summary == ""


def test_standard_level_follows_the_changed_paths(project: Project) -> None:
    project.advance("VALIDATING")
    answer = project.ok("validate-plan")
    assert answer["changed_paths"] == ["notes/core.py", "specs/notes.md", "tests/test_core.py"]
    assert [(p["name"], p["reason"]) for p in answer["plan"]] == [
        ("test", "required"),
        ("core_tests", "notes/core.py changed"),
    ]
    minimal = project.ok("validate-plan", "--level", "minimal")
    assert [p["name"] for p in minimal["plan"]] == ["test"]
    full = project.ok("validate-plan", "--level", "full")
    assert [p["name"] for p in full["plan"]] == ["test", "core_tests", "storage_roundtrip"]
    assert project.session()["overrides"]["validation"] == "full"


def test_minor_findings_are_logged_and_do_not_block(project: Project) -> None:
    project.edit(
        ".specrail.yaml",
        "run: python3 -m unittest -q tests.test_storage",
        "run: python3 -c 'raise SystemExit(4)'",
    )
    project.advance("VALIDATING")
    answer = project.ok("run-validations", "--level", "full")
    assert answer["critical_failures"] == []
    assert answer["minor_findings"] == ["storage_roundtrip: FAIL"]
    assert answer["state"] == "COMMITTING"
    assert [(r["name"], r["status"]) for r in answer["results"]] == [
        ("test", "PASS"),
        ("core_tests", "PASS"),
        ("storage_roundtrip", "FAIL"),
    ]
    assert project.session()["deferred_items"] == ["Validation: storage_roundtrip FAIL"]
    report = (project.session_dir / "validation_report.md").read_text(encoding="utf-8")
    assert "| storage_roundtrip | FAIL | full validation level | 1 (LOW) |" in report
    assert "- [ ] storage_roundtrip: fail" in report


def test_validation_level_override_from_init(project: Project) -> None:
    project.ok("init", "Add tags to notes", "--feature", "note-tags", "--validation=minimal")
    project.advance("COMMITTING")
    assert [r["name"] for r in project.session()["validations"]] == ["test"]
    report = (project.session_dir / "validation_report.md").read_text(encoding="utf-8")
    assert "**Level:** minimal" in report and "| test | PASS |" in report
