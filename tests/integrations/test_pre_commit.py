"""`.pre-commit-hooks.yaml`: the real pre-commit tool runs every hook (specrail-validate, specrail-drift)
on a sample repository; the drift hook's refusals are tested on real sessions in tests/spec_driven."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.samples import sample
from tests.support.cli import REPO


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


@pytest.fixture
def sample_repo(tmp_path: Path) -> Path:
    repo = tmp_path / "project"
    brainstorm = repo / ".workflow/active/WFS-demo/.brainstorming"
    (brainstorm / "feature-specs").mkdir(parents=True)
    (brainstorm / "feature-conflict-map.json").write_text(json.dumps(sample("feature-conflict-map")))
    (repo / "notes.json").write_text("{not json, but not an artifact either")
    (repo / "README.md").write_text("# sample\n")
    _git(repo.parent, "init", "-q", str(repo))
    _git(repo, "-c", "user.email=t@example.com", "-c", "user.name=t", "add", ".")
    return repo


def _try_repo(repo: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    pre_commit = shutil.which("pre-commit", path=os.path.dirname(sys.executable)) or "pre-commit"
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "NO_COLOR": "1"}
    return subprocess.run(
        [pre_commit, "try-repo", str(REPO), "--all-files", "--verbose"],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_pre_commit_hook_passes_valid_and_rejects_invalid_artifacts(
    sample_repo: Path, tmp_path: Path
) -> None:
    passed = _try_repo(sample_repo, tmp_path)
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "specrail validate" in passed.stdout and "Passed" in passed.stdout
    assert "no committed spec-driven session yet" in passed.stdout  # specrail-drift ran, nothing to judge

    index = sample("feature-index")
    index["features"][0]["slug"] = "Not A Slug"
    brainstorm = sample_repo / ".workflow/active/WFS-demo/.brainstorming"
    (brainstorm / "feature-index.json").write_text(json.dumps(index))
    _git(sample_repo, "add", ".")
    failed = _try_repo(sample_repo, tmp_path)
    assert failed.returncode == 1, failed.stdout + failed.stderr
    assert "feature-index.json::/features/0/slug" in failed.stdout
    assert "kebab-case" in failed.stdout


def test_the_readme_ci_command_skips_deleted_files_and_reads_any_name(sample_repo: Path) -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = readme.split("In CI without pre-commit", 1)[1].split("`")[3]  # its second code span
    assert "specrail validate" in command and "origin/main" in command, command
    script = command.replace("origin/main", "HEAD~1").replace("specrail ", f"{sys.executable} -m specrail ")
    author = ("-c", "user.email=t@example.com", "-c", "user.name=t")
    _git(sample_repo, *author, "commit", "-q", "-m", "start")
    brainstorm = sample_repo / ".workflow/active/WFS-demo/.brainstorming"
    _git(sample_repo, "rm", "-q", str(brainstorm / "feature-conflict-map.json"))
    bad = brainstorm / "feature-specs" / "F-001-écran accueil.md"
    bad.write_text("not a feature spec\n", encoding="utf-8")
    _git(sample_repo, "add", "-A")
    _git(sample_repo, *author, "commit", "-q", "-m", "drop the map, add a spec")

    def run() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["bash", "-c", script], cwd=sample_repo, capture_output=True, text=True, timeout=120
        )

    failed = run()
    assert failed.returncode != 0 and "F-001-écran accueil.md" in failed.stdout, failed.stdout + failed.stderr
    assert "no such file" not in failed.stdout + failed.stderr  # the deleted map is not asked for
    _git(sample_repo, "rm", "-q", str(bad))
    _git(sample_repo, *author, "commit", "-q", "-m", "drop the spec")
    passed = run()
    assert passed.returncode == 0, passed.stdout + passed.stderr
