"""A refinement round is recorded only when its numbers add up and the spec agrees with them.

The model reports the refiner's round. A model in a hurry reports "no gap left" while the spec
still says TBD, or numbers that make the open gaps vanish; each such round is refused and
nothing is written.
"""

from __future__ import annotations

from tests.support.spec_driven import Project

ROUND = ("refine-round", "--spec", "notes.md")


def test_no_open_gap_while_the_spec_holds_placeholders_is_refused(project: Project) -> None:
    project.advance("REFINING")
    project.edit(
        "specs/notes.md", "### 3.4 Filter by Tag\n", "### 3.4 Filter by Tag\n\nMatching rules: TBD.\n"
    )
    before = project.snapshot_files()

    listed = project.fails(*ROUND, "--found", "0", "--resolved", "0", "--open", "none")  # attempt 1
    counted = project.fails(*ROUND, "--found", "1", "--resolved", "1", "--open-critical", "0")  # attempt 2

    for refused in (listed, counted):
        message = refused.json["error"]["message"]
        assert "reports no open gap, but specs/notes.md still holds placeholders" in message
        assert "'TBD'" in message and "line " in message
    assert project.snapshot_files() == before
    assert project.session()["refinement"]["specs/notes.md"]["rounds"] == []
    # Listed as a gap, the same round is fine.
    kept = project.ok(*ROUND, "--found", "1", "--resolved", "0", "--open", "matching-rules")
    assert kept["verdict"] == "CONTINUE" and kept["open_ids"] == ["matching-rules"]


def test_an_open_decision_in_the_spec_is_an_open_gap(project: Project) -> None:
    project.advance("REFINING")
    project.edit(
        "specs/notes.md",
        "### 3.4 Filter by Tag\n",
        "### 3.4 Filter by Tag\n\n**[DECISION NEEDED]**: match tags by prefix or whole word?\n",
    )

    refused = project.fails(*ROUND, "--found", "0", "--resolved", "0", "--open-critical", "0")  # attempt 1

    assert "'[DECISION NEEDED]'" in refused.json["error"]["message"]


def test_placeholders_in_code_are_not_gaps(project: Project) -> None:
    project.advance("REFINING")
    project.edit(
        "specs/notes.md",
        "### 3.4 Filter by Tag\n",
        "### 3.4 Filter by Tag\n\n```python\n# TODO: in the example only\n```\n\nSee `TBD` markers.\n",
    )

    assert project.ok(*ROUND, "--found", "0", "--resolved", "0", "--open", "none")["verdict"] == "CONVERGED"


def test_counts_and_open_list_must_agree(project: Project) -> None:
    project.advance("REFINING")
    before = project.snapshot_files()

    refused = [
        project.fails(*ROUND, "--found", "3", "--resolved", "0", "--open", "G1"),  # attempt 1: 2 gaps lost
    ]
    assert project.snapshot_files() == before
    project.ok(*ROUND, "--found", "2", "--resolved", "0", "--open", "G1,G2")
    refused += [
        project.fails(*ROUND, "--found", "0", "--resolved", "0", "--open", "none"),  # attempt 2: all gone
        project.fails(
            *ROUND, "--found", "0", "--resolved", "2", "--open", "G1"
        ),  # attempt 3: 0 left, 1 listed
        project.fails(
            *ROUND, "--found", "1", "--resolved", "1", "--open", "G3,G4"
        ),  # attempt 4: G1, G2 vanish
    ]
    messages = [r.json["error"]["message"] for r in refused]
    assert "1 gaps listed open, but 0 were open after the previous round" in messages[0]
    assert "3 found and 0 resolved make 3" in messages[0]
    assert "0 gaps listed open, but 2 were open" in messages[1]
    assert "2 resolved make 0" in messages[2]
    assert "G1, G2 left the open list, but only 1 gap(s) were resolved" in messages[3]
    assert len(project.session()["refinement"]["specs/notes.md"]["rounds"]) == 1
    done = project.ok(*ROUND, "--found", "1", "--resolved", "2", "--open", "G3")
    assert done["open_gaps"] == 1
