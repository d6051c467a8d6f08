"""The phase 3A outputs are used only as `analyzed` validated them.

A model in a hurry rewrites the conflict map after `analyzed` (say, to drop an unresolved
conflict it does not want to ask about). The next steps refuse it, naming the file and the way on
(put it back, or analyse again from `discover`); the model's Write of it is denied once the
clarification was built on it.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.synthesis import Synth, advance

BRAINSTORM = ".workflow/active/WFS-team-notes/.brainstorming"


def drop_unresolved(root: Path) -> None:
    path = root / BRAINSTORM / "feature-conflict-map.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    for entry in data.values():
        if isinstance(entry, dict):
            entry["conflicts"] = [c for c in entry.get("conflicts", []) if "UNRESOLVED" not in str(c)]
    path.write_text(json.dumps(data, indent=2), encoding="utf-8")


def test_questions_and_answer_refuse_a_rewritten_conflict_map(synth: Synth, example: Path, sid: str) -> None:
    advance(synth, example, sid, "analyzed")
    session_file = example / ".workflow/active/WFS-team-notes/workflow-session.json"
    drop_unresolved(example)
    before = session_file.read_bytes()

    asked = synth(example, "questions", "--session", sid)  # attempt 1
    answered = synth(example, "answer", "--session", sid, "--yes")  # attempt 2

    for refused in (asked, answered):
        assert refused.code == 1, refused.out
        message = refused.json["error"]["message"]
        assert ".brainstorming/feature-conflict-map.json changed" in message
        assert "specrail synthesis discover" in message
    assert session_file.read_bytes() == before
    # The way on: analyse again from discovery.
    assert synth(example, "discover", "--session", sid).code == 0
    assert synth(example, "analyzed", "--session", sid).code == 0
    assert synth(example, "questions", "--session", sid).code == 0


def test_an_untouched_analysis_goes_on(synth: Synth, example: Path, sid: str) -> None:
    advance(synth, example, sid, "index")
    assert synth(example, "questions", "--session", sid).code == 0
