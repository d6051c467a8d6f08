"""The synthesis rules table and the code agree: every rule in the table is checked in the code
(its id is a comment where the check is) and every id in the code is in the table."""

from __future__ import annotations

import re

from tests.support.cli import REPO

TABLE = REPO / "scripts" / "specrail" / "validation" / "RULES.md"
CODE = [
    *sorted((REPO / "scripts" / "specrail" / "validation").glob("*.py")),
    *sorted((REPO / "scripts" / "specrail" / "synthesis").rglob("*.py")),
    REPO / "scripts" / "specrail" / "models" / "synthesis.py",
]
RULE_ID = re.compile(r"SYN-[A-Z0-9]+(?:-[A-Z0-9]+)*")


def _rows() -> dict[str, list[str]]:
    rows = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| SYN-"):
            rows[cells[0]] = cells
    return rows


def test_every_rule_in_the_table_is_in_the_code_and_the_reverse() -> None:
    in_code = {m for path in CODE for m in re.findall(r"# (" + RULE_ID.pattern + ")", path.read_text())}
    assert set(_rows()) == in_code


def test_every_rule_names_a_source_and_a_severity_that_follows_from_it() -> None:
    for rule, cells in _rows().items():
        assert len(cells) == 5, rule
        source, severity = cells[3], cells[4]
        assert severity in ("error", "warning"), rule
        if severity == "error":
            assert source.startswith(("seed", "reader")), f"{rule}: an error needs a seed passage or a reader"
        else:
            assert source.startswith("none"), f"{rule}: a rule with a source is an error"
