"""Fixtures of the synthesis tests: the CLI in-process, the example copy, built sessions."""

from __future__ import annotations

from pathlib import Path

import pytest

from specrail.cli import main
from tests.support.cli import Result
from tests.support.synthesis import Synth
from tests.synthesis.builders import EXAMPLE_ID, Project, copy_example


@pytest.fixture
def synth(capsys: pytest.CaptureFixture[str]) -> Synth:
    """Run `specrail synthesis ARGS --root ROOT --json` in-process; the answer and exit code."""

    def run(root: Path, *args: str, as_json: bool = True) -> Result:
        capsys.readouterr()
        code = main(["synthesis", *args, "--root", str(root), *(["--json"] if as_json else [])])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return Result(code, captured.out, captured.err)

    return run


@pytest.fixture
def example(tmp_path: Path) -> Path:
    return copy_example(tmp_path / "project")


@pytest.fixture
def sid() -> str:
    return EXAMPLE_ID


@pytest.fixture
def project(tmp_path: Path) -> Project:
    """An unbuilt small project: adjust its fields, then call build()."""
    return Project(tmp_path / "small")
