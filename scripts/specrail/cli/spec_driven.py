"""`specrail spec-driven ...`: the mechanical steps of /workflow:spec-driven."""

from __future__ import annotations

import click


@click.group("spec-driven")
def spec_driven() -> None:
    """Steps of /workflow:spec-driven that are not judgement.

    \b
    Example:
      specrail spec-driven status --json
    """
