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


@click.command()
@click.option(
    "--base", metavar="REF", help="The branch this one merges into (default: origin/main, main, master)."
)
@common_options
def overlap(base: str | None, root: Path, as_json: bool) -> int:
    """Sessions of this branch changing a section the base, or another unmerged session, changes too.

    Exit 1 on overlap, naming each section and both sides; 0 when none. For CI and pre-commit.

    \b
    Examples:
      specrail overlap --base origin/main
      specrail overlap --json
    """
    from specrail.spec_driven import overlap_check

    answer = overlap_check.check(root, base)
    emit(answer, as_json, overlap_check.text)
    return 1 if answer["status"] == "fail" else 0


@click.command()
@click.option("--spec", required=True, help="The spec whose base moved on the branch.")
@click.option("--session", help="Session folder (default: the newest active one).")
@common_options
def rebase(spec: str, session: str | None, root: Path, as_json: bool) -> int:
    """Re-run the diff of SPEC against the branch's text of it (after `commit` refused a moved base).

    \b
    Example:
      specrail spec-driven rebase --spec specs/notes.md --json
    """
    from specrail.cli.spec_driven_options import respond
    from specrail.spec_driven.rebase import rebase as run

    return respond(root, run(root, session, spec), as_json)
