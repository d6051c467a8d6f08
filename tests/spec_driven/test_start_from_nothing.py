"""Starting spec-driven work in a project of one's own: what `init` says in text mode, with and
without git."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.support.cli import run_cli


def _project(root: Path, git: bool) -> Path:
    (root / "specs").mkdir(parents=True)
    (root / "specs" / "notes.md").write_text("# Notes\n\n## 1. Intro\n\nText.\n", encoding="utf-8")
    (root / "pyproject.toml").write_text('[project]\nname = "notes"\nversion = "0.1"\n', encoding="utf-8")
    if git:
        subprocess.run(["git", "init", "-q", str(root)], check=True)
    return root


def test_init_in_a_folder_that_is_not_a_git_repository_says_what_will_not_work(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", git=False)
    answer = run_cli("spec-driven", "init", "Add tags to notes", "--json", "--root", str(root))
    assert answer.code == 0, answer.out + answer.err
    [warning] = [w for w in json.loads(answer.out)["warnings"] if "not a git repository" in w]
    assert "phase 7 cannot commit" in warning and "git init" in warning
    assert "trace and drift" in warning


def test_init_in_a_git_repository_has_no_git_warning(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", git=True)
    answer = run_cli("spec-driven", "init", "Add tags to notes", "--json", "--root", str(root))
    assert answer.code == 0, answer.out + answer.err
    assert not [w for w in json.loads(answer.out)["warnings"] if "not a git repository" in w]


def test_init_in_text_mode_shows_the_commands_found_and_the_warnings(tmp_path: Path) -> None:
    root = _project(tmp_path / "p", git=False)
    answer = run_cli("spec-driven", "init", "Add tags to notes", "--root", str(root))
    assert answer.code == 0, answer.out + answer.err
    out = answer.out
    assert "project commands (python, detected):" in out
    assert "  check: python3 -m compileall" in out
    assert "warning: no command for 'lint' detected; set spec_driven_feature.commands.lint.run" in out
    assert "warning: " in out and "is not a git repository" in out
    assert out.index("project commands") < out.index("next: ")
