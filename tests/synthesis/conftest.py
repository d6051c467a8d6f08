"""Fixtures of the synthesis tests: the CLI in-process, the example copy, built sessions."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from specrail.cli import main
from tests.synthesis.builders import EXAMPLE_ID, Project, copy_example


@dataclass
class Answer:
    code: int
    out: str
    err: str

    @property
    def json(self) -> dict[str, Any]:
        return dict(json.loads(self.out))


Synth = Callable[..., Answer]


@pytest.fixture
def synth(capsys: pytest.CaptureFixture[str]) -> Synth:
    """Run `specrail synthesis ARGS --root ROOT --json` in-process; the answer and exit code."""

    def run(root: Path, *args: str, as_json: bool = True) -> Answer:
        capsys.readouterr()
        code = main(["synthesis", *args, "--root", str(root), *(["--json"] if as_json else [])])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return Answer(code, captured.out, captured.err)

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


def advance(synth: Synth, root: Path, session: str, until: str) -> None:
    """Run the steps up to and including `until` (discover, analyzed, answer, index)."""
    steps = [
        ("discover", ["discover", "--session", session]),
        ("analyzed", ["analyzed", "--session", session]),
        ("answer", ["answer", "--session", session, "--yes"]),
        ("index", ["index", "--session", session]),
    ]
    for name, args in steps:
        result = synth(root, *args)
        assert result.code == 0, (name, result.out, result.err)
        if name == until:
            return
    raise AssertionError(f"unknown step {until}")
