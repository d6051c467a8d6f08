"""The speed-ups behind the scale benchmark keep every verdict: a file parsed once per process is
parsed again as soon as it changes, whether it changed a moment ago or long after it was read; the
quick placeholder pass reports exactly what the line scan reports."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from specrail.validation import filecache, placeholders
from specrail.validation.check import check_file
from specrail.validation.markdown import sections
from tests.support.properties import examples
from tests.synthesis.builders import Feat, spec_text

FEATURE = Feat("F-001", "Offline Sync", ["alpha", "beta"])


def _session(tmp_path: Path, topic: str) -> tuple[Path, Path]:
    """A spec that surfaces no decision, and a conflict map with one unresolved `topic`."""
    brainstorm = tmp_path / ".brainstorming"
    spec = brainstorm / "feature-specs" / "F-001-offline-sync.md"
    spec.parent.mkdir(parents=True)
    spec.write_text(spec_text(FEATURE, [], [], [], []), encoding="utf-8")
    conflict_map = brainstorm / "feature-conflict-map.json"
    _write_map(conflict_map, topic)
    return spec, conflict_map


def _write_map(path: Path, topic: str) -> None:
    views = {"alpha": "one way", "beta": "another"}
    conflict = {"topic": topic, "views": views, "confidence": "[UNRESOLVED]"}
    entry = {"consensus": [], "conflicts": [conflict], "cross_refs": []}
    path.write_text(json.dumps({"F-001": entry}), encoding="utf-8")


def _unsurfaced(spec: Path) -> list[str]:
    return [i.message for i in check_file(spec).errors if "is not surfaced" in i.message]


def test_a_conflict_map_rewritten_at_once_with_the_same_size_is_read_again(tmp_path: Path) -> None:
    spec, conflict_map = _session(tmp_path, "Sync window")
    assert _unsurfaced(spec) == ["UNRESOLVED conflict 'Sync window' is not surfaced"]
    _write_map(conflict_map, "Sync budget")  # same size, most likely the same time stamp tick
    assert _unsurfaced(spec) == ["UNRESOLVED conflict 'Sync budget' is not surfaced"]


def test_a_settled_conflict_map_is_read_again_once_it_changes(tmp_path: Path) -> None:
    spec, conflict_map = _session(tmp_path, "Sync window")
    time.sleep(filecache.SETTLE_NS / 1e9 + 0.2)  # old enough to be kept
    assert _unsurfaced(spec) == ["UNRESOLVED conflict 'Sync window' is not surfaced"]
    assert _unsurfaced(spec) == ["UNRESOLVED conflict 'Sync window' is not surfaced"]
    _write_map(conflict_map, "Sync budget")
    assert _unsurfaced(spec) == ["UNRESOLVED conflict 'Sync budget' is not surfaced"]
    conflict_map.unlink()
    assert _unsurfaced(spec) == []


# The letters IGNORECASE also matches to ASCII ones are written as escapes.
# fmt: off
FRAGMENTS = (
    "TODO", "todo", "ToDo", "tbd", "FIXME", "f\u0131xme", "F\u0130XME", "xxx", "lorem ipsum",
    "Lorem ip\u017fum", "[UNRESOLVED]", "[DECISION NEEDED]", "[review-flag]", "[Open point]", "[ab]",
    "{name}", "{Name x}", "{1}", "```", "~~~", "\n", " ", "word", "mastodon", "\u017f", "\u0131",
    "\u0130", "\u212a", "#", "## 2. Design\n", "未定", "義", "XX", "X", "\u00d7", "\u3007", "\uff1f", "미정",
)
# fmt: on


@settings(max_examples=examples(400), deadline=None)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=30))
def test_the_placeholder_shortcut_reports_exactly_what_the_line_scan_reports(parts: list[str]) -> None:
    text = "".join(parts)
    secs = sections(text)
    scan = placeholders.placeholder_issues
    assert scan("f.md", secs, text) == scan("f.md", secs)


def test_the_placeholder_shortcut_folds_every_letter_ignorecase_matches() -> None:
    every = "".join(map(chr, range(0x110000)))
    for letter in sorted(set("".join(placeholders.PLACEHOLDER_WORDS).replace(" ", ""))):
        for char in re.findall(letter, every, re.IGNORECASE):
            assert char.translate(placeholders.IGNORECASE_FOLD).lower() == letter, (letter, hex(ord(char)))
