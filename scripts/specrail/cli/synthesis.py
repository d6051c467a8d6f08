"""`specrail synthesis ...`: the mechanical steps of /workflow:synthesis."""

from __future__ import annotations

import click


@click.group()
def synthesis() -> None:
    """Steps of /workflow:synthesis that are not judgement.

    \b
    Example:
      specrail synthesis discover --json
    """
