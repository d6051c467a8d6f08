"""A review found required stays required: rewriting the inputs of the score afterwards (the
conflict map's cross references and conflicts) does not let the session finalize unreviewed."""

from __future__ import annotations

import json
from pathlib import Path

from tests.synthesis.conftest import Synth, advance


def _lower_the_score(bdir: Path) -> None:
    """What a model cutting corners would do: no cross references, every conflict resolved."""
    path = bdir / "feature-conflict-map.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data.values():
        entry["cross_refs"] = []
        for conflict in entry["conflicts"]:
            conflict["confidence"] = "[RESOLVED]"
            conflict.setdefault("resolution", "settled")
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")


def test_a_required_review_cannot_be_scored_away(synth: Synth, example: Path, sid: str) -> None:
    advance(synth, example, sid, "index")
    first = synth(example, "complexity", "--session", sid).json
    assert first["score"] >= 4 and first["review_required"] is True
    session_dir = example / ".workflow/active" / sid
    _lower_the_score(session_dir / ".brainstorming")

    again = synth(example, "complexity", "--session", sid).json
    assert again["score"] < 4  # the rewritten inputs alone would not call for a review
    assert again["review_required"] is True and "stays required" in again["review_kept"]
    assert "review-check" in again["next"]
    check = synth(example, "review-check", "--session", sid).json
    assert check["review_required"] is True

    result = synth(example, "finalize", "--session", sid)
    assert result.code == 1, result.out
    assert "review required (found required earlier" in result.json["error"]["message"]
    assert not (session_dir / ".process/context-package.json").exists()
    assert json.loads((session_dir / "workflow-session.json").read_text())["review_required"] is True
