"""`specrail synthesis ...` run in-process, and the steps that take a session to a given point."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.support.cli import Result

Synth = Callable[..., Result]


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
