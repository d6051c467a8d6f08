"""Patterns that read a line of a user's file stay linear: a 1 MB line of the worst shape for each
is read in under a second (they once took seconds for 40 KB and minutes for 1 MB)."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

from specrail.spec_driven import mdblocks
from specrail.spec_driven.align import LINK
from specrail.synthesis.findings import DEPENDS
from specrail.validation.placeholders import CODE_OR_URL

MB = 1_000_000

CASES: dict[str, tuple[Callable[[str], object], str]] = {
    "ATX heading, spaces and tabs": (mdblocks.atx, "# a" + " \t" * (MB // 2) + "b"),
    "ATX heading, closing hashes": (mdblocks.atx, "# a" + " #" * (MB // 2) + "b"),
    "code-or-URL, unclosed link targets": (lambda t: CODE_OR_URL.sub(" ", t), "](" * (MB // 2)),
    "code-or-URL, backticks": (lambda t: CODE_OR_URL.sub(" ", t), "`a" * (MB // 2)),
    "link, unclosed targets": (lambda t: LINK.findall(t), "[a](" * (MB // 4)),
    "link, unclosed texts": (lambda t: LINK.findall(t), "[" * MB),
    "depends on, leading spaces": (DEPENDS.match, " " * MB + "x"),
    "depends on, bullet and spaces": (DEPENDS.match, "-" + " " * MB + "x"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_one_megabyte_line_is_read_in_under_a_second(name: str) -> None:
    read, line = CASES[name]
    start = time.perf_counter()
    read(line)
    assert time.perf_counter() - start < 1.0


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("# Title", (1, "Title")),
        ("## Title ##", (2, "Title")),
        ("### Title#", (3, "Title#")),
        ("#", (1, "")),
        ("# #", (1, "")),
        ("   #### a \t", (4, "a")),
        ("#5 bolts", None),
        ("####### seven", None),
        ("    # indented code", None),
        ("## C# and F# ##  ", (2, "C# and F#")),
    ],
)
def test_atx_headings_read_as_before(line: str, heading: tuple[int, str] | None) -> None:
    assert mdblocks.atx(line) == heading


def test_links_and_dependencies_read_as_before() -> None:
    assert LINK.findall('see [the spec](specs/a.md "A") and ![img](x.png) and [b](c.md)') == [
        "specs/a.md",
        "c.md",
    ]
    match = DEPENDS.match("- **Depends on**: F-001, F-002")
    assert match is not None and match.group(1) == "Depends on" and "F-001" in match.group(2)
    assert DEPENDS.match("  ## Required by: none") is not None
