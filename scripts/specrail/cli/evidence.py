"""`specrail evidence` and `specrail overlap`: what proves each section, and who else changes it."""

from __future__ import annotations

from pathlib import Path

import click

from specrail.cli.common import common_options, emit


@click.command()
@click.argument("spec", required=False)
@common_options
def evidence(spec: str | None, root: Path, as_json: bool) -> int:
    """Each section's linked tests and the results its sessions recorded.

    A section names its tests on a **Tests:** line (`tests/test_core.py::test_x`), or a test names
    its section with a marker `spec: specs/notes.md#3.4`. Exit 1 when a test names a section that
    no longer exists.

    \b
    Examples:
      specrail evidence
      specrail evidence specs/notes.md --json
    """
    from specrail.spec_driven import evidence_report

    answer = evidence_report.report(root, spec)
    emit(answer, as_json, evidence_report.text)
    return 1 if answer["status"] == "fail" else 0
