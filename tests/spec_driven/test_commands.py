"""The project's commands without `.specrail.yaml`: detected for Python, Node, Rust, Go and Make
layouts, run for real, and a broken file caught; the seed's own configuration, verbatim."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from specrail import trust
from specrail.spec_driven.commands import project_commands
from specrail.spec_driven.runner import listed, run_named
from tests.support.cli import run_cli
from tests.support.spec_driven import Project, git

SEED_CONFIG = """\
spec_driven_feature:
  refinement:
    max_rounds: 5
    stall_threshold: 3
    auto_accept_partial: false

  alignment:
    trigger_on_cross_refs: true
    trigger_on_new_spec: true
    mode: alignment_check  # vs full_audit

  implementation:
    incremental_check: true
    rollback_on_fail: true
    parallel_independent_tasks: false  # safer sequential

  validation:
    parallel: true
    required:
      - cargo_test
    conditional:
      - tui_testing: "specs/views/*.md changed"
      - memory_audit: "data path code changed"

  commit:
    default_grouping: single  # single | by_phase | by_file
    require_user_confirm: true
"""

SPEC = """\
# Calculator

**Version:** 1.0

## 1. Operations

`add(a, b)` returns the sum, in `calc/ops.py`.

## 2. Revision History

| Version | Date | Changes |
|---------|------|---------|
| 1.0 | 2026-01-10 | Initial specification |
"""

PROPOSAL = """\
## Proposal Summary

**Request:** Subtract two numbers.
**Intent:** The calculator can subtract.
**Affected Specs:**
- specs/calc.md - Section 1.1

**Key Changes:**
1. A subtract operation

**Open Questions:**
- None
"""


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def table(root: Path) -> dict[str, tuple[str, str]]:
    return {c.name: (c.run, c.origin) for c in project_commands(root).commands}


# --- detection, one layout each ----------------------------------------------------------------


def test_python_with_pytest_and_ruff(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": "[tool.pytest.ini_options]\n[tool.ruff]\n", "pkg/a.py": ""})
    found = project_commands(tmp_path)
    assert found.ecosystem == "python"
    assert [(c.name, c.source, c.required) for c in found.commands] == [
        ("check", "detected", False),
        ("test", "detected", True),
        ("lint", "detected", False),
    ]
    assert table(tmp_path)["test"] == ("python3 -m pytest -q --color=no", "pyproject.toml")
    assert table(tmp_path)["check"][0].startswith(
        "python3 -m compileall -q --invalidation-mode checked-hash -x "
    )


def test_python_with_unittest_only(tmp_path: Path) -> None:
    write(tmp_path, {"setup.cfg": "[metadata]\nname = x\n", "tests/__init__.py": ""})
    assert table(tmp_path)["test"] == ("python3 -m unittest discover -q -s tests -t .", "setup.cfg")


def test_node_scripts_without_npms_placeholder(tmp_path: Path) -> None:
    scripts = {"test": 'echo "Error: no test specified" && exit 1', "lint": "eslint .", "typecheck": "tsc"}
    write(tmp_path, {"package.json": json.dumps({"scripts": scripts}), "yarn.lock": ""})
    assert table(tmp_path) == {
        "check": ("yarn run typecheck", "package.json scripts.typecheck"),
        "lint": ("yarn run lint", "package.json scripts.lint"),
        "typecheck": ("yarn run typecheck", "package.json scripts.typecheck"),
    }
    found = project_commands(tmp_path)
    assert found.missing == ["test"]  # the placeholder is no test


def test_rust_go_and_make(tmp_path: Path) -> None:
    rust = write(tmp_path / "rust", {"Cargo.toml": "[package]\nname = 'x'\n"})
    assert table(rust) == {
        "check": ("cargo check", "Cargo.toml"),
        "test": ("cargo test", "Cargo.toml"),
        "lint": ("cargo clippy", "Cargo.toml"),
    }
    go = write(tmp_path / "go", {"go.mod": "module x\n", "Makefile": "lint:\n\tgolint\n"})
    assert table(go) == {
        "check": ("go vet ./...", "go.mod"),
        "test": ("go test ./...", "go.mod"),
        "lint": ("make lint", "Makefile target lint"),
    }
    make = write(tmp_path / "make", {"Makefile": "VAR := 1\ntest: build\n\t./run\nbuild:\n\tcc x.c\n"})
    assert table(make) == {"test": ("make test", "Makefile target test")}
    assert project_commands(tmp_path / "make").ecosystem is None


def test_configured_commands_win_and_named_validations_resolve(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "Cargo.toml": "[package]\nname = 'x'\n",
            ".specrail.yaml": SEED_CONFIG.replace(
                "  refinement:", "  commands:\n    check: {run: cargo check --all-targets}\n  refinement:"
            ),
        },
    )
    found = project_commands(tmp_path)
    assert [(c.name, c.run, c.source, c.required) for c in found.commands] == [
        ("check", "cargo check --all-targets", "configured", False),
        ("test", "cargo test", "detected", False),
        ("lint", "cargo clippy", "detected", False),
        ("cargo_test", "cargo test", "detected", True),
    ]
    assert found.missing == ["tui_testing", "memory_audit"]


# --- detected checks run for real and catch a broken file ---------------------------------------


def test_node_test_script_catches_a_broken_module(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "package.json": json.dumps({"scripts": {"test": "node --test"}}),
            "lib.js": "exports.add = (a, b) => a + b;\n",
            "test/add.test.js": "const t = require('node:test'); const assert = require('node:assert');\n"
            "t.test('add', () => assert.strictEqual(require('../lib').add(2, 3), 5));\n",
        },
    )
    commands = project_commands(tmp_path)
    trust.approve(tmp_path, listed(commands))  # as `specrail trust` would
    assert run_named(commands, "test", tmp_path).status == "PASS"
    (tmp_path / "lib.js").write_text("exports.add = (a, b) => a +;\n", encoding="utf-8")
    broken = run_named(commands, "test", tmp_path)
    assert broken.status == "FAIL" and "SyntaxError" in broken.output_tail


@pytest.mark.skipif(shutil.which("cargo") is None, reason="no Rust toolchain")
def test_cargo_check_catches_a_broken_crate(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "Cargo.toml": '[package]\nname = "calc"\nversion = "0.1.0"\nedition = "2021"\n',
            "src/lib.rs": "pub fn add(a: i32, b: i32) -> i32 { a + b }\n",
        },
    )
    commands = project_commands(tmp_path)
    trust.approve(tmp_path, listed(commands))  # as `specrail trust` would
    assert run_named(commands, "check", tmp_path).status == "PASS"
    (tmp_path / "src/lib.rs").write_text("pub fn add(a: i32, b: i32) -> i32 { a + }\n", encoding="utf-8")
    broken = run_named(commands, "check", tmp_path)
    assert broken.status == "FAIL" and "error" in broken.output_tail


@pytest.mark.skipif(shutil.which("go") is None, reason="no Go toolchain")
def test_go_vet_catches_a_broken_package(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "go.mod": "module calc\n\ngo 1.20\n",
            "calc.go": "package calc\n\nfunc Add(a, b int) int { return a + b }\n",
        },
    )
    commands = project_commands(tmp_path)
    trust.approve(tmp_path, listed(commands))  # as `specrail trust` would
    assert run_named(commands, "check", tmp_path).status == "PASS"
    (tmp_path / "calc.go").write_text(
        "package calc\n\nfunc Add(a, b int) int { return a + }\n", encoding="utf-8"
    )
    assert run_named(commands, "check", tmp_path).status == "FAIL"


# --- a Python project without .specrail.yaml, through the workflow ------------------------------


def python_project(root: Path) -> Project:
    write(
        root,
        {
            "pyproject.toml": '[project]\nname = "calc"\nversion = "0.1"\n',
            "specs/calc.md": SPEC,
            "calc/__init__.py": "",
            "calc/ops.py": "def add(a, b):\n    return a + b\n",
            "tests/__init__.py": "",
            "tests/test_ops.py": "import unittest\n\nfrom calc.ops import add\n\n\n"
            "class Ops(unittest.TestCase):\n"
            "    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n",
        },
    )
    git(root, "init", "-q")
    git(root, "config", "user.email", "dev@example.com")
    git(root, "config", "user.name", "Dev")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "baseline")
    return Project(root)


def to_implementing(project: Project) -> None:
    project.ok("init", "Subtract two numbers", "--feature", "subtract")
    project.write(f"{project.session_dir.relative_to(project.root)}/proposal.md", PROPOSAL)
    project.ok("proposal")
    project.ok("proposal", "--confirm")
    project.ok("start-update")
    project.edit("specs/calc.md", "**Version:** 1.0", "**Version:** 1.1")
    project.edit(
        "specs/calc.md",
        "## 2. Revision History",
        "### 1.1 Subtract\n\n`sub(a, b)` returns a minus b, in `calc/ops.py`.\n\n## 2. Revision History",
    )
    project.edit(
        "specs/calc.md", "Initial specification |", "Initial specification |\n| 1.1 | 2026-01-20 | sub |"
    )
    project.ok("diff")
    project.ok(
        "refine-round", "--spec", "specs/calc.md", "--found", "0", "--resolved", "0", "--open-critical=0"
    )
    project.ok("align-check")
    project.ok("tasks")


def test_python_project_without_configuration_catches_broken_code(tmp_path: Path) -> None:
    project = python_project(tmp_path / "calc")
    to_implementing(project)
    shown = project.session()
    assert shown["config"]["commands"] == {}
    project.ok("task-start", "T-001", "--files", "calc/ops.py")
    project.edit(
        "calc/ops.py", "    return a + b\n", "    return a + b\n\n\ndef sub(a, b):\n    return a -\n"
    )
    failed = project.fails("task-done", "T-001")
    assert failed.json["check"]["status"] == "FAIL" and failed.json["check"]["command"].startswith(
        "python3 -m compileall"
    )
    assert "SyntaxError" in failed.json["check"]["output_tail"]
    assert failed.json["rolled_back"] is True and "def sub" not in (project.root / "calc/ops.py").read_text()
    assert failed.json["pending_decision"]["options"][0] == "Diagnose & Fix"
    project.ok("resolve", "--choice", "Diagnose & Fix")  # back to the task
    project.ok("task-start", "T-001", "--files", "calc/ops.py")
    project.edit(
        "calc/ops.py", "    return a + b\n", "    return a + b\n\n\ndef sub(a, b):\n    return a - b\n"
    )
    assert project.ok("task-done", "T-001")["check"]["status"] == "PASS"
    verified = project.ok("verify")
    assert [(r["name"], r["status"]) for r in verified["verification"]] == [
        ("check", "PASS"),
        ("test", "PASS"),
        ("lint", "NOT_CONFIGURED"),
    ]
    # A failing test is a critical failure of the required validation.
    # (Another length: a same-size edit within the second would keep the stale bytecode.)
    project.edit("tests/test_ops.py", "add(2, 3), 5)", "add(2, 3), 50)")
    blocked = project.run("run-validations")
    assert blocked.code == 1 and blocked.json["state"] == "BLOCKED"
    assert blocked.json["results"][0]["command"] == "python3 -m unittest discover -q -s tests -t ."
    assert "Skip Validation" in project.session()["pending_decision"]["options"]


def test_required_validation_that_cannot_run_blocks(tmp_path: Path) -> None:
    project = python_project(tmp_path / "calc")
    (project.root / "pyproject.toml").unlink()  # nothing left to detect a test command from
    git(project.root, "commit", "-qam", "no manifest")
    to_implementing(project)
    assert project.session()["config"]["validation"]["required"] == ["test"]
    project.ok("task-start", "T-001")
    project.edit(
        "calc/ops.py", "    return a + b\n", "    return a + b\n\n\ndef sub(a, b):\n    return a - b\n"
    )
    project.ok("task-done", "T-001", "--files", "calc/ops.py")
    project.ok("verify")
    blocked = project.run("run-validations")
    assert blocked.code == 1 and blocked.json["critical_failures"] == ["test"]
    assert blocked.json["results"][0]["status"] == "NOT_CONFIGURED"
    assert blocked.json["minor_findings"] == []
    skipped = project.ok("resolve", "--choice", "Skip Validation")
    assert skipped["state"] == "COMMITTING"
    assert project.session()["deferred_items"][-1].startswith("Validation skipped after NOT_CONFIGURED: test")


def test_seed_configuration_verbatim(tmp_path: Path) -> None:
    project = python_project(tmp_path / "calc")
    write(project.root, {".specrail.yaml": SEED_CONFIG})
    started = project.ok("init", "Subtract two numbers", "--feature", "subtract")
    conditional = project.session()["config"]["validation"]["conditional"]
    assert conditional == [
        {"name": "tui_testing", "paths": ["specs/views/*.md"], "when": None, "run": None, "critical": True},
        {
            "name": "memory_audit",
            "paths": [],
            "when": "data path code changed",
            "run": None,
            "critical": True,
        },
    ]
    assert [w.split(" detected")[0] for w in started["warnings"]] == [
        "no command for 'lint'",
        "no command for 'cargo_test'",
        "no command for 'tui_testing'",
        "no command for 'memory_audit'",
    ]
    checked = run_cli("validate", str(project.root / ".specrail.yaml"))
    assert checked.code == 0, checked.out + checked.err
    assert "required validation 'cargo_test' has no command, configured or detected" in checked.out


def test_bad_seed_form_entries_are_named_by_pointer(tmp_path: Path) -> None:
    write(tmp_path, {".specrail.yaml": SEED_CONFIG.replace('"data path code changed"', "5")})
    project = Project(tmp_path)
    project.trusted = False
    refused = project.fails("init", "x")
    assert refused.json["error"]["pointer"] == "/spec_driven_feature/validation/conditional/1"
    assert "memory_audit: the condition must be a string" in refused.json["error"]["message"]
    write(
        tmp_path,
        {".specrail.yaml": SEED_CONFIG.replace('- memory_audit: "data path code changed"', "- {name: x}")},
    )
    checked = run_cli("validate", str(tmp_path / ".specrail.yaml"))
    assert checked.code == 1
    assert "/spec_driven_feature/validation/conditional/1: 'paths' is a required property" in checked.out
