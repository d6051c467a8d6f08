"""An analysis output that reports no conflict where the role analyses state a disagreement gets
a warning naming both roles (never an error: reading prose is a guess)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.synthesis import Synth


def test_the_example_records_every_stated_disagreement(synth: Synth, example: Path, sid: str) -> None:
    assert synth(example, "discover", "--session", sid).code == 0
    answer = synth(example, "analyzed", "--session", sid).json
    assert answer["status"] == "ok" and answer["warnings"] == []


def test_a_conflict_map_without_the_stated_conflicts_is_warned_about(
    synth: Synth, example: Path, sid: str
) -> None:
    assert synth(example, "discover", "--session", sid).code == 0
    path = example / ".workflow/active" / sid / ".brainstorming/feature-conflict-map.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data.values():  # the analysis reports consensus only
        entry["conflicts"] = []
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")

    answer = synth(example, "analyzed", "--session", sid).json

    assert answer["status"] == "ok" and answer["state"] == "ANALYZED"
    warned = [w for w in answer["warnings"] if "disagree" in w]
    pairs = {
        frozenset(role for role in ("product-manager", "system-architect", "ux-expert") if f"{role} " in w)
        for w in warned
    }
    assert pairs == {
        frozenset({"product-manager", "system-architect"}),
        frozenset({"product-manager", "ux-expert"}),
        frozenset({"system-architect", "ux-expert"}),
    }, warned
    assert all("Main disagreements I expect" in w and "feature-conflict-map.json" in w for w in warned)


def test_a_disagreement_the_map_records_is_not_warned_about(synth: Synth, example: Path, sid: str) -> None:
    assert synth(example, "discover", "--session", sid).code == 0
    path = example / ".workflow/active" / sid / ".brainstorming/feature-conflict-map.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    kept = {"system-architect", "ux-expert"}
    for entry in data.values():
        entry["conflicts"] = [c for c in entry["conflicts"] if set(c["views"]) == kept]
    assert any(entry["conflicts"] for entry in data.values())
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")

    warned = [w for w in synth(example, "analyzed", "--session", sid).json["warnings"] if "disagree" in w]

    assert len(warned) == 2 and not any("system-architect and ux-expert" in w for w in warned), warned
    assert not any("ux-expert and system-architect" in w for w in warned)
