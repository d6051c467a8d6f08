"""The README's pre-commit and CI snippets, pasted into a scratch repository and run as written.

Only the placeholders are filled in: a clone of this repository for its git URL, and the commit that
the command the README gives (`git ls-remote <repository> HEAD`) prints.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.core.samples import sample
from tests.support.cli import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
AUTHOR = ("-c", "user.email=t@example.com", "-c", "user.name=t")


def _block(first_line: str) -> str:
    """The fenced block of the README whose first line is `first_line`."""
    for block in re.findall(r"^```[a-z]*\n(.*?)^```", README, re.MULTILINE | re.DOTALL):
        if block.startswith(first_line):
            return str(block)
    raise AssertionError(f"no README block starts with {first_line!r}")


def _git(cwd: Path, *args: str) -> str:
    proc = subprocess.run(["git", *AUTHOR, *args], cwd=cwd, check=True, capture_output=True, text=True)
    return proc.stdout


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A clone of this repository, and its newest commit as `git ls-remote` prints it."""
    target = tmp_path_factory.mktemp("specrail") / "specrail"
    subprocess.run(["git", "clone", "-q", str(REPO), str(target)], check=True, capture_output=True)
    head = _git(REPO, "ls-remote", str(target), "HEAD").split()[0]
    return target, head


def _fill(text: str, clone: tuple[Path, str], url: str) -> str:
    path, commit = clone
    filled = text.replace("<commit>", commit).replace(url, str(path))
    assert "<" not in filled, filled
    return filled


def _scratch(root: Path) -> Path:
    repo = root / "project"
    brainstorm = repo / ".workflow/active/WFS-demo/.brainstorming"
    brainstorm.mkdir(parents=True)
    (brainstorm / "feature-conflict-map.json").write_text(json.dumps(sample("feature-conflict-map")))
    (repo / "README.md").write_text("# project\n", encoding="utf-8")
    _git(root, "init", "-q", "-b", "main", str(repo))
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "start")
    return repo


def test_the_pre_commit_snippet_runs_as_pasted(clone: tuple[Path, str], tmp_path: Path) -> None:
    config = _fill(_block("# .pre-commit-config.yaml"), clone, "<git URL or path of a specrail clone>")
    repo = _scratch(tmp_path)
    (repo / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    _git(repo, "add", ".pre-commit-config.yaml")
    pre_commit = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or "pre-commit"
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    proc = subprocess.run(
        [pre_commit, "run", "--all-files"], cwd=repo, env=env, capture_output=True, text=True, timeout=900
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "specrail validate" in proc.stdout and "specrail drift" in proc.stdout
    assert proc.stdout.count("Passed") == 2, proc.stdout


def test_the_ci_workflow_steps_run_as_pasted(clone: tuple[Path, str], tmp_path: Path) -> None:
    workflow = _block("# .github/workflows/specs.yml")
    steps = [line.split("- run: ", 1)[1] for line in workflow.splitlines() if "- run: " in line]
    assert [s.split()[0] for s in steps] == ["python3", "specrail"], steps
    env_dir = tmp_path / "ci-python"
    venv.EnvBuilder(with_pip=True, system_site_packages=True).create(env_dir)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = os.pathsep.join([str(env_dir / "bin"), env.get("PATH", "")])
    upstream = _scratch(tmp_path)
    work = tmp_path / "checkout"
    _git(tmp_path, "clone", "-q", str(upstream), str(work))
    (work / "notes.py").write_text("x = 1\n", encoding="utf-8")
    _git(work, "add", ".")
    _git(work, "commit", "-q", "-m", "change under review")
    path, _ = clone
    for step in steps:
        script = _fill(step, clone, "<git URL of a specrail clone>").replace(str(path), f"file://{path}")
        script = script.replace("${{ github.base_ref }}", "main")
        proc = subprocess.run(
            ["bash", "-c", script], cwd=work, env=env, capture_output=True, text=True, timeout=900
        )
        assert proc.returncode == 0, f"{script}\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}"
    assert (env_dir / "bin" / "specrail").is_file()
    assert "no committed spec-driven session yet" in proc.stdout
