"""Aligned text tables that fit the terminal: long cells wrap within their column."""

from __future__ import annotations

import os
import textwrap

import click

DEFAULT_WIDTH = 100
GAP = "  "
MIN_COLUMN = 8


def terminal_width() -> int:
    """`COLUMNS` when it is a positive number, else 100 (pipes and CI get the same width)."""
    raw = os.environ.get("COLUMNS", "")
    return int(raw) if raw.isdigit() and int(raw) > 0 else DEFAULT_WIDTH


def fit(natural: list[int], floors: list[int], width: int, order: list[int] | None = None) -> list[int]:
    """Column widths within `width`. The columns in `order` (default: widest first) give way in
    turn, each down to its floor (its longest word, so that words are not broken); then, if the
    table is still too wide, the widest columns down to MIN_COLUMN, breaking words."""
    widths = list(natural)
    excess = sum(widths) + len(GAP) * (len(widths) - 1) - width
    for i in order if order is not None else sorted(range(len(widths)), key=lambda i: -widths[i]):
        if excess <= 0:
            break
        cut = min(excess, max(0, widths[i] - floors[i]))
        widths[i] -= cut
        excess -= cut
    while excess > 0:
        shrinkable = [i for i, w in enumerate(widths) if w > MIN_COLUMN]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: (widths[i], i))
        widths[widest] -= 1
        excess -= 1
    return widths


def _floor(cells: list[str], title: str) -> int:
    """The longest word of a column (its title included)."""
    return max(len(word) for cell in [title, *cells] for word in [*cell.split(), ""])


def _wrap(cell: str, width: int) -> list[str]:
    if len(cell) <= width:
        return [cell]
    return textwrap.wrap(cell, width, break_long_words=True, break_on_hyphens=False) or [""]


def table(
    rows: list[list[str]],
    header: list[str],
    colours: list[list[str | None]],
    enabled: bool,
    width: int | None = None,
    order: list[int] | None = None,
) -> str:
    """An aligned table no wider than `width` (default: the terminal's); widths are computed on the
    plain text so colour never shifts columns. A cell too long for its column wraps onto the
    following lines of its row; `order` names the columns that give way first."""
    natural = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    floors = [_floor([r[i] for r in rows], h) for i, h in enumerate(header)]
    widths = fit(natural, floors, terminal_width() if width is None else width, order)
    lines: list[str] = []
    plain: list[str | None] = [None] * len(header)
    painted: list[tuple[list[str], list[str | None]]] = [(header, plain), *zip(rows, colours, strict=True)]
    for row, paint in painted:
        wrapped = [_wrap(c, w) for c, w in zip(row, widths, strict=True)]
        for n in range(max(len(parts) for parts in wrapped)):
            cells = [
                _style(parts[n] if n < len(parts) else "", w, p, enabled)
                for parts, w, p in zip(wrapped, widths, paint, strict=True)
            ]
            lines.append(GAP.join(cells).rstrip())
    return "\n".join(lines)


def _style(text: str, width: int, colour: str | None, enabled: bool) -> str:
    padded = text.ljust(width)
    return click.style(padded, fg=colour) if enabled and colour and text else padded
