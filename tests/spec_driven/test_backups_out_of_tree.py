"""Nothing of a session but its record lands in the project's tree: the rollback copies of
phase 5 live under the git dir, as files no tool takes for source, and go with the session.

Played on a realistic Python project: its own pytest options, a test that would fail if it were
collected twice, and the project's tools run the way its CI runs them, right after `task-start`.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.spec_driven.test_commands import python_project, to_implementing
from tests.support.spec_driven import Project, git

PYPROJECT = """[project]
name = "calc"
version = "0.1"

[tool.pytest.ini_options]
addopts = "-p no:cacheprovider"
"""


def tools(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args], cwd=root, capture_output=True, text=True, timeout=120, check=False
    )


def started(tmp_path: Path) -> Project:
    project = python_project(tmp_path / "calc")
    project.write(
        "pyproject.toml",
        PYPROJECT,
    )
    git(project.root, "commit", "-qam", "pytest options")
    to_implementing(project)
    project.ok("task-start", "T-001", "--files", "calc/ops.py,tests/test_ops.py")
    return project


def test_project_tools_see_no_copy_of_the_code_after_task_start(tmp_path: Path) -> None:
    project = started(tmp_path)

    collected = tools(project.root, "pytest", "--collect-only", "-q")
    assert collected.returncode == 0, collected.stdout + collected.stderr
    assert [line for line in collected.stdout.splitlines() if "::" in line] == [
        "tests/test_ops.py::Ops::test_add"
    ]
    compiled = tools(project.root, "compileall", "-q", "-f", ".")
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr
    sources = sorted(
        p.relative_to(project.root).as_posix()
        for p in project.root.rglob("*.py")
        if "__pycache__" not in p.parts
    )
    assert sources == ["calc/__init__.py", "calc/ops.py", "tests/__init__.py", "tests/test_ops.py"]
    assert not (project.session_dir / "backups").exists()


def test_a_broken_copy_cannot_break_the_projects_check(tmp_path: Path) -> None:
    """A copy taken of code that does not compile stays out of `compileall .` too."""
    project = python_project(tmp_path / "calc")
    to_implementing(project)
    project.edit("calc/ops.py", "    return a + b\n", "    return a +\n")  # broken before the task
    project.ok("task-start", "T-001", "--files", "calc/ops.py")
    project.edit("calc/ops.py", "    return a +\n", "    return a + b\n")

    assert tools(project.root, "compileall", "-q", ".").returncode == 0


def test_backups_go_when_the_session_completes_or_is_aborted(tmp_path: Path) -> None:
    project = started(tmp_path)
    backups = Path(git(project.root, "rev-parse", "--absolute-git-dir").strip()) / "specrail/backups"
    assert [p.name for p in backups.iterdir()] == [project.session_dir.name]

    project.ok("abort", "--reason", "superseded")

    assert list(backups.iterdir()) == []


def test_the_tools_caches_are_not_a_tasks_change(tmp_path: Path) -> None:
    """No .gitignore: running the tests between task-start and task-done leaves __pycache__ and
    .pytest_cache, which are the tools' files, not the task's."""
    project = started(tmp_path)
    project.edit(
        "calc/ops.py", "    return a + b\n", "    return a + b\n\n\ndef sub(a, b):\n    return a - b\n"
    )
    assert tools(project.root, "pytest", "-q", "-o", "addopts=").returncode == 0
    assert tools(project.root, "compileall", "-q", "calc", "tests").returncode == 0

    done = project.ok("task-done", "T-001")

    assert done["files_changed"] == ["calc/ops.py"] and done["undeclared"] == []
