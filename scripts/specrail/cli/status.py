"""`specrail status`: every session of the project as a table, or one session's timeline."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

import click

from specrail import mermaid
from specrail.cli.common import common_options, emit
from specrail.cli.table import table
from specrail.overview import find, overview, timeline

_STATE_COLOURS = {"COMPLETE": "green", "STALLED": "red", "BLOCKED": "red", "ABORTED": "bright_black"}


def use_colour() -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


def render_overview(rows: list[dict[str, Any]], enabled: bool) -> str:
    if not rows:
        return "no workflow sessions under this project"
    cells, colours = [], []
    for r in rows:
        last = r.get("last_transition")
        moved = f"{last['from']} -> {last['to']} ({last.get('reason', '')})" if last else "-"
        problems = "; ".join(r["problems"]) or "ok"
        cells.append([r["session"], r["workflow"], r["state"], r.get("age", "?"), moved[:60], problems])
        state_colour = _STATE_COLOURS.get(r["state"], "yellow")
        colours.append([None, None, state_colour, None, None, "red" if r["problems"] else "green"])
    header = ["SESSION", "WORKFLOW", "STATE", "AGE", "LAST TRANSITION", "MISSING OR INVALID"]
    return table(cells, header, colours, enabled, order=[4, 5, 0, 1, 2, 3])


def render_timeline(row: dict[str, Any], steps: list[dict[str, Any]], enabled: bool) -> str:
    head = f"{row['session']} ({row['workflow']}, {row['path']}): {row['state']}"
    if not steps:
        body = "no transition yet"
    else:
        cells = [
            [str(s["step"]), s["at"], s["after"], f"{s['from']} -> {s['to']}", s["reason"]] for s in steps
        ]
        colours: list[list[str | None]] = [
            [None, None, None, _STATE_COLOURS.get(s["to"]), None] for s in steps
        ]
        body = table(cells, ["#", "AT", "AFTER", "TRANSITION", "REASON"], colours, enabled)
    tail = [f"problems: {'; '.join(row['problems'])}"] if row["problems"] else []
    if row.get("next"):
        tail.append(f"next: {row['next']}")
    return "\n".join([head, body, *tail])


@click.command()
@click.argument("session", required=False)
@click.option("--mermaid", "as_mermaid", is_flag=True, help="Print the session's state diagram (Mermaid).")
@common_options
def status(session: str | None, as_mermaid: bool, root: Path, as_json: bool) -> int:
    """List the workflow sessions of the project, or show one session's timeline.

    \b
    Examples:
      specrail status
      specrail status WFS-team-notes
      specrail status dark-mode_2026-11-20 --mermaid
    """
    root = root.resolve()
    if session is None:
        rows = overview(root)
        public = [{k: v for k, v in r.items() if k != "history"} for r in rows]
        emit({"status": "ok", "sessions": public}, as_json, lambda a: render_overview(rows, use_colour()))
        return 0
    row = find(root, session)
    steps = timeline(row)
    if as_mermaid:
        sys.stdout.write(
            mermaid.state_diagram(row["workflow"], row["state"], row.get("history") or []) + "\n"
        )
        return 0
    answer = {"status": "ok", **{k: v for k, v in row.items() if k != "history"}, "timeline": steps}
    emit(answer, as_json, lambda a: render_timeline(row, steps, use_colour()))
    return 0
