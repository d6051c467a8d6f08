"""Runs are repeatable: the property tests draw the same examples every time unless asked for new ones,
and what pytest collects depends only on the files git tracks."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.support.cli import REPO, tracked

PROPERTY = """
import os

from hypothesis import given, strategies as st

from tests.support.properties import load_profile

load_profile()


@given(st.integers())
def test_draws(value):
    with open(os.environ["DRAWN_LOG"], "a", encoding="utf-8") as log:
        log.write(repr(value) + "\\n")
"""


def drawn(tmp_path: Path, run: str, profile: str | None) -> list[str]:
    """The values one pytest run of a small property test draws, with the given profile."""
    folder = tmp_path / run
    folder.mkdir()
    log = folder / "drawn.txt"
    (folder / "test_property.py").write_text(PROPERTY, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "HYPOTHESIS_PROFILE"}
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    env["DRAWN_LOG"] = str(log)
    if profile:
        env["HYPOTHESIS_PROFILE"] = profile
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(folder / "test_property.py")],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return log.read_text(encoding="utf-8").splitlines()


def test_the_default_profile_draws_the_same_examples_every_run(tmp_path: Path) -> None:
    first, second = drawn(tmp_path, "first", None), drawn(tmp_path, "second", None)
    assert len(first) >= 50
    assert first == second


def test_the_random_profile_draws_new_and_more_examples(tmp_path: Path) -> None:
    fixed = drawn(tmp_path, "fixed", None)
    fresh = drawn(tmp_path, "fresh", "random")
    assert len(fresh) > len(fixed)
    assert fresh[: len(fixed)] != fixed


def test_collected_files_are_the_tracked_ones(tmp_path: Path) -> None:
    """A cache's README or a file in a virtual environment is not part of what the tests read."""
    root = tmp_path / "checkout"
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "guide.md").write_text("# Guide\n", encoding="utf-8")
    (root / "README.md").write_text("# Readme\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    for stray in (".pytest_cache/README.md", ".venv/lib/site/notes.md", "draft.md"):
        (root / stray).parent.mkdir(parents=True, exist_ok=True)
        (root / stray).write_text("# Not ours\n", encoding="utf-8")
    assert tracked(root, "*.md") == [root / "README.md", root / "docs" / "guide.md"]
