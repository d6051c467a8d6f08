"""Every helper's answer fits the model's context at 200 features; the rest is in files, by path."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from specrail.synthesis.bounded import BUDGET, bounded, size
from specrail.synthesis.paths import SessionPaths
from tests.support.cli import REPO

sys.path.insert(0, str(REPO / "benchmarks"))

import answer_sizes

LIMIT = 24 * 1024


def test_no_helper_prints_more_than_24_kb_at_200_features() -> None:
    sizes = answer_sizes.answer_sizes(200)
    assert set(sizes) == {step for step, _ in answer_sizes.STEPS}
    assert max(sizes.values()) <= LIMIT, sizes


def test_a_shortened_answer_says_where_the_rest_is(tmp_path: Path) -> None:
    paths = SessionPaths(tmp_path, "WFS-big")
    answer = {
        "status": "ok",
        "session_id": "WFS-big",
        "features": [{"id": f"F-{i:03d}", "text": "x" * 200} for i in range(1, 401)],
        "next": "Run the next step.",
    }
    short = bounded(answer, paths, "discover", [("features",)])
    assert size(short) <= BUDGET
    assert short["omitted"] == {"features": 400 - len(short["features"])}
    detail = Path(short["detail_file"])
    assert detail == tmp_path / ".workflow/active/WFS-big/.process/synthesis/discover.json"
    assert json.loads(detail.read_text())["features"] == answer["features"]
    assert str(detail) in short["next"] and short["next"].endswith("Run the next step.")


@pytest.mark.parametrize("count", [0, 3])
def test_a_small_answer_is_printed_whole(tmp_path: Path, count: int) -> None:
    answer = {"status": "ok", "features": list(range(count))}
    assert bounded(answer, SessionPaths(tmp_path, "WFS-small"), "discover", [("features",)]) is answer
    assert not (tmp_path / ".workflow").exists()
