"""What a project command's run gives back: plain text (colour off, escape codes stripped), the first
error kept with the tail, environment failures told apart from code failures, the fallback check
when no check is detected, and `typecheck` in the full verification."""

from __future__ import annotations

import os
from pathlib import Path

from specrail.spec_driven import output
from specrail.spec_driven.runner import run
from tests.spec_driven.test_commands import python_project, to_implementing, write
from tests.support.spec_driven import Project

RED = "\x1b[31m"
RESET = "\x1b[0m"


def test_escape_codes_and_progress_lines_are_removed() -> None:
    raw = f"{RED}FAILED{RESET} x\r\n\x1b]0;title\x07collecting 1\rcollected 3 items\n\x1b[2K\x1b[1Gdone\x1b(B"
    assert output.plain(raw) == "FAILED x\ncollected 3 items\ndone"


def test_the_first_error_survives_a_long_report_after_it() -> None:
    text = "\n".join(
        [
            "..F.",
            "=== FAILURES ===",
            "_____________ test_subtract _____________",
            "    def test_subtract():",
            ">       assert subtract(5, 3) == 2",
            "E       assert -2 == 2",
            "tests/test_ops.py:19: AssertionError",
            *(f"calc/module_{i:03d}.py    {i:4d}    0   100%" for i in range(400)),
            "1 failed, 3 passed in 0.08s",
        ]
    )
    short = output.excerpt(text, 1500)
    assert len(short) <= 1500
    assert "E       assert -2 == 2" in short and ">       assert subtract(5, 3) == 2" in short
    assert short.endswith("1 failed, 3 passed in 0.08s")
    assert "lines omitted" in short
    assert text[-1400:] != short[-1400:] or "E   " in short  # not the plain tail


def test_head_patterns_of_other_tools() -> None:
    filler = "\n".join(f"line {i}" for i in range(300))
    for first in (
        "Traceback (most recent call last):",
        "not ok 1 - subtracts",
        "src/a.ts(3,7): error TS2322: Type 'string' is not assignable to type 'number'.",
        "error[E0308]: mismatched types",
        "--- FAIL: TestSub (0.00s)",
        "AssertionError: 2 != -2",
    ):
        short = output.excerpt(f"start\n{first}\n{filler}\nend", 800)
        assert first in short and short.endswith("end"), first


def test_environment_failures_are_told_apart(tmp_path: Path) -> None:
    (tmp_path / "calc").mkdir()
    missing_tool = "/home/dev/calc/.venv/bin/python: No module named pytest"
    assert "No module named pytest" in str(output.environment_problem(missing_tool, 1, tmp_path))
    assert "uv is not installed" in str(
        output.environment_problem("/bin/sh: 1: uv: not found", 127, tmp_path)
    )
    missing_dep = "E   ModuleNotFoundError: No module named 'freezegun'"
    assert "freezegun" in str(output.environment_problem(missing_dep, 2, tmp_path))
    own_code = "E   ModuleNotFoundError: No module named 'calc.sub'"
    assert output.environment_problem(own_code, 2, tmp_path) is None
    assert output.environment_problem("AssertionError", 1, tmp_path) is None


def test_commands_run_with_colour_off_and_no_escape_codes(tmp_path: Path) -> None:
    script = (
        "printf '\\033[31mred\\033[0m\\n'; "
        'echo "NO_COLOR=$NO_COLOR FORCE_COLOR=$FORCE_COLOR PY_COLORS=$PY_COLORS '
        'CLICOLOR=$CLICOLOR TERM=$TERM"; '
        "exit 3"
    )
    result = run("test", script, tmp_path)
    assert result.status == "FAIL" and "\x1b" not in result.output_tail
    assert "red\nNO_COLOR=1 FORCE_COLOR=0 PY_COLORS=0 CLICOLOR=0 TERM=dumb" in result.output_tail


def test_a_missing_tool_is_an_environment_failure(tmp_path: Path) -> None:
    result = run("test", "no-such-runner-xyz --all", tmp_path)
    assert result.status == "FAIL" and result.exit_code == 127
    assert result.environment == "command not found: no-such-runner-xyz is not installed or not on PATH"
    assert result.summary.startswith("could not run: command not found")


def test_environment_failure_is_not_rolled_back_and_names_the_fix(tmp_path: Path) -> None:
    project = python_project(tmp_path / "calc")
    write(
        project.root,
        {
            ".specrail.yaml": "spec_driven_feature:\n  commands:\n    check:\n"
            "      run: python3 -m no_such_checker_xyz\n"
        },
    )
    to_implementing(project)
    project.ok("task-start", "T-001", "--files", "calc/ops.py")
    project.edit(
        "calc/ops.py", "    return a + b\n", "    return a + b\n\n\ndef sub(a, b):\n    return a - b\n"
    )
    failed = project.fails("task-done", "T-001")
    assert failed.json["rolled_back"] is False and "def sub" in (project.root / "calc/ops.py").read_text()
    [problem] = failed.json["environment"]
    assert problem["problem"].startswith("No module named no_such_checker_xyz")
    assert "spec_driven_feature.commands.check.run in .specrail.yaml" in problem["fix"]
    assert problem["options"] == ["Diagnose & Fix", "Rollback Change", "Pause for User", "Abort Phase"]
    assert "could not run in the project's environment" in failed.json["pending_decision"]["reason"]


def no_manifest_project(root: Path) -> Project:
    project = python_project(root)
    (project.root / "pyproject.toml").unlink()
    from tests.support.spec_driven import git

    git(project.root, "commit", "-qam", "no manifest")
    return project


def test_no_check_detected_says_so_and_runs_the_syntax_fallback(tmp_path: Path) -> None:
    project = no_manifest_project(tmp_path / "calc")
    to_implementing(project)
    project.ok("task-start", "T-001", "--files", "calc/ops.py")
    project.edit(
        "calc/ops.py", "    return a + b\n", "    return a + b\n\n\ndef sub(a, b):\n    return a -\n"
    )
    failed = project.fails("task-done", "T-001")
    note = failed.json["check_note"]
    assert note.startswith("the incremental check did not run: no `check` command detected")
    assert (
        "spec_driven_feature.commands.check.run" in note and "ran instead: Python syntax of 1 file(s)" in note
    )
    assert failed.json["check"]["status"] == "FAIL"
    assert failed.json["check"]["summary"].startswith("calc/ops.py:6: SyntaxError")
    assert not list(project.root.rglob("__pycache__")), "the fallback writes nothing into the project"


def test_typecheck_runs_in_the_full_verification(tmp_path: Path) -> None:
    project = python_project(tmp_path / "calc")
    config = (
        "spec_driven_feature:\n  commands:\n    typecheck:\n"
        "      run: \"echo 'calc/ops.py:4: error: bad'; exit 1\"\n"
    )
    write(project.root, {".specrail.yaml": config})
    to_implementing(project)
    project.ok("task-start", "T-001", "--files", "calc/ops.py")
    project.edit(
        "calc/ops.py", "    return a + b\n", "    return a + b\n\n\ndef sub(a, b):\n    return a - b\n"
    )
    project.ok("task-done", "T-001")
    failed = project.fails("verify")
    assert [r["name"] for r in failed.json["verification"]] == ["check", "test", "lint", "typecheck"]
    assert failed.json["failed"] == ["typecheck"]
    assert "calc/ops.py:4: error: bad" in failed.json["output"]["typecheck"]


def test_an_environment_failure_of_verify_is_not_sent_to_fix_the_code(tmp_path: Path) -> None:
    project = python_project(tmp_path / "calc")
    config = "spec_driven_feature:\n  commands:\n    test:\n      run: python3 -m no_such_runner_xyz\n"
    write(project.root, {".specrail.yaml": config})
    to_implementing(project)
    project.ok("task-start", "T-001", "--files", "calc/ops.py")
    project.edit(
        "calc/ops.py", "    return a + b\n", "    return a + b\n\n\ndef sub(a, b):\n    return a - b\n"
    )
    project.ok("task-done", "T-001")
    failed = project.fails("verify")
    [problem] = failed.json["environment"]
    assert problem["name"] == "test" and "spec_driven_feature.commands.test.run" in problem["fix"]
    step = failed.json["next"]["instruction"]
    assert step.startswith("Verification could not run in the project's environment (test: No module named")
    assert "fix the code" not in step


def test_a_same_size_edit_after_the_check_is_what_the_tests_run(tmp_path: Path) -> None:
    """The check's byte code is checked against the source's hash, not its time and size: an edit
    of the same size within the same second is never hidden by it."""
    project = python_project(tmp_path / "calc")
    to_implementing(project)
    project.ok("task-start", "T-001", "--files", "calc/ops.py")
    project.edit(
        "calc/ops.py", "    return a + b\n", "    return a + b\n\n\ndef sub(a, b):\n    return a - b\n"
    )
    project.ok("task-done", "T-001")  # compiles calc/ops.py
    ops = project.root / "calc/ops.py"
    stat = ops.stat()
    ops.write_text(ops.read_text().replace("return a + b", "return a * b"))
    os.utime(ops, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same time
    failed = project.fails("verify")
    assert failed.json["failed"] == ["test"]
