"""PreToolUse applies an Edit as the client does, `\\uXXXX` escapes of a JSON file included."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from specrail.hooks import edits
from tests.core.samples import feature_index
from tests.security.hook_runs import INDEX, call, start_synthesis
from tests.support.hooks import Hook, denial


def escaped_index(work: Path) -> str:
    data = feature_index()
    data["session_id"] = "WFS-cap"
    data["features"][0]["name"] = "Offline sync caf\u00e9"
    text = json.dumps(data, indent=2)  # ASCII: the file spells the accent as \u00e9
    (work / INDEX).write_text(text, encoding="utf-8")
    return text


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('"Offline sync café",', '"Offline sync café"'),  # the character, the file has its escape
        ('sync caf\\u00E9",\n      "priority": "High"', 'sync"'),  # the escape in another case
    ],
)
def test_an_edit_matching_through_escapes_is_checked(hook: Hook, work: Path, old: str, new: str) -> None:
    start_synthesis(work)
    before = escaped_index(work)
    assert edits.apply(before, [{"old_string": old, "new_string": new}]) is not None

    run = hook("PreToolUse", call("PreToolUse", work, "Edit", INDEX, old_string=old, new_string=new))

    assert "would not be a valid feature-index" in denial(run)
    assert (work / INDEX).read_text(encoding="utf-8") == before


def test_the_character_form_matches_an_escape_in_the_edit() -> None:
    text = '{"a": "é", "b": 1}'
    edit = {"old_string": '"\\u00e9", "b"', "new_string": '"e" "b"'}
    assert edits.apply(text, [edit]) == '{"a": "e" "b": 1}'
