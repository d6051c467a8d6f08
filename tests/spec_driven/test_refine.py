"""Phase 3: the convergence tracker, STALLED and MAX_ROUNDS escalation, auto_accept_partial."""

from __future__ import annotations

from typing import Any

import pytest

from specrail.models.spec_driven import RefineRound, SpecRefinement
from specrail.spec_driven.refine import assess
from tests.support.spec_driven import Project

STAMP = "2026-01-20T10:00:00Z"


def record(*rounds: tuple[int, int, int], window_start: int = 0) -> SpecRefinement:
    """Rounds as (found, resolved, open_critical); open gaps carried over like the tracker does."""
    out: list[RefineRound] = []
    for found, resolved, critical in rounds:
        previous = out[-1].open_gaps if out else 0
        out.append(
            RefineRound(
                round=len(out) + 1,
                gaps_found=found,
                gaps_resolved=resolved,
                open_critical=critical,
                open_gaps=previous + found - resolved,
                verdict="CONTINUE",
                at=STAMP,
            )
        )
    return SpecRefinement(rounds=out, window_start=window_start)


@pytest.mark.parametrize(
    ("rounds", "verdict", "streak"),
    [
        (((7, 7, 0),), "CONVERGED", 0),
        (((7, 3, 0),), "CONTINUE", 0),
        (((7, 6, 1),), "CONTINUE", 0),  # one gap open, and it is CRITICAL: not converged
        (((7, 3, 0), (2, 2, 0)), "CONTINUE", 1),
        (((7, 3, 0), (2, 2, 0), (1, 1, 0)), "CONTINUE", 2),
        (((7, 3, 0), (2, 2, 0), (1, 1, 0), (3, 1, 0)), "STALLED", 3),
        (((7, 3, 0), (2, 2, 0), (1, 1, 0), (3, 4, 0)), "CONTINUE", 0),
        (((4, 0, 1), (0, 0, 1), (0, 0, 1)), "STALLED", 3),
        (((9, 2, 0), (0, 2, 0), (0, 2, 0), (0, 1, 0), (0, 1, 0)), "MAX_ROUNDS", 0),
    ],
)
def test_convergence_tracker(rounds: tuple[tuple[int, int, int], ...], verdict: str, streak: int) -> None:
    result = assess(record(*rounds), max_rounds=5, stall_threshold=3)
    assert (result.verdict, result.rounds_without_reduction) == (verdict, streak)


def test_window_restarts_counting_after_a_decision() -> None:
    stalled = record((7, 3, 0), (2, 2, 0), (1, 1, 0), (3, 1, 0))
    assert assess(stalled, 5, 3).verdict == "STALLED"
    stalled.window_start = 4
    stalled.rounds.append(
        RefineRound(
            round=5, gaps_found=0, gaps_resolved=0, open_critical=0, open_gaps=6, verdict="CONTINUE", at=STAMP
        )
    )
    assert assess(stalled, 5, 3).verdict == "CONTINUE"


def rounds_until(project: Project, *rounds: tuple[int, int, int]) -> dict[str, Any]:
    answer: dict[str, Any] = {}
    for found, resolved, critical in rounds:
        answer = project.ok(
            "refine-round",
            "--spec",
            "specs/notes.md",
            "--found",
            str(found),
            "--resolved",
            str(resolved),
            "--open-critical",
            str(critical),
        )
    return answer


def test_stall_enters_stalled_with_the_seed_options(project: Project) -> None:
    project.advance("REFINING")
    answer = rounds_until(project, (4, 1, 0), (1, 1, 0), (0, 0, 0), (2, 2, 0))
    assert answer["verdict"] == "STALLED" and answer["state"] == "STALLED"
    decision = project.session()["pending_decision"]
    assert decision["kind"] == "stall" and decision["spec"] == "specs/notes.md"
    assert decision["options"] == ["Continue", "Reduce scope", "Accept partial", "Abort"]
    assert "3 rounds without fewer open gaps" in decision["reason"]
    summary = (project.session_dir / "refinement_summary.md").read_text(encoding="utf-8")
    assert "| notes.md | 4 | 7 | 4 | STALLED |" in summary
    assert answer["next"]["step"] == "resolve"


def test_max_rounds_override_escalates_like_a_stall(project: Project) -> None:
    project.ok("init", "Add tags to notes", "--feature", "note-tags", "--max-rounds", "2")
    assert project.session()["config"]["refinement"]["max_rounds"] == 2
    project.advance("REFINING")
    answer = rounds_until(project, (5, 2, 1), (1, 2, 1))
    assert answer["verdict"] == "MAX_ROUNDS" and answer["state"] == "STALLED"
    assert "2 rounds reached the limit of 2" in project.session()["pending_decision"]["reason"]


def test_auto_accept_partial_moves_on_and_logs_the_gaps(project: Project) -> None:
    project.edit(".specrail.yaml", "auto_accept_partial: false", "auto_accept_partial: true")
    project.advance("REFINING")
    answer = rounds_until(project, (4, 1, 0), (1, 1, 0), (0, 0, 0), (2, 2, 0))
    assert answer["verdict"] == "STALLED" and answer["auto_accepted"] is True
    assert answer["state"] == "ALIGNING"
    session = project.session()
    assert session["pending_decision"] is None
    assert "STALLED" not in [t["to"] for t in session["history"]]
    assert session["refinement"]["specs/notes.md"]["final"] == "ACCEPTED_PARTIAL"
    assert session["deferred_items"] == [
        "Refinement: specs/notes.md: 3 open gaps accepted (STALLED, auto_accept_partial)"
    ]
    assert session["decisions"][0]["choice"] == "Accept partial"
    assert "| notes.md | 4 | 7 | 4 | ACCEPTED_PARTIAL |" in (
        project.session_dir / "refinement_summary.md"
    ).read_text(encoding="utf-8")


def test_decisions_and_deferred_items_reach_the_summary(project: Project) -> None:
    project.advance("REFINING")
    project.ok(
        "refine-round",
        "--spec",
        "notes.md",
        "--found",
        "2",
        "--resolved",
        "2",
        "--open-critical",
        "0",
        "--decision",
        "Tags are lowercase - Rationale: matching ignores case",
        "--deferred",
        "Tag renaming - Reason: no user asked for it",
    )
    summary = (project.session_dir / "refinement_summary.md").read_text(encoding="utf-8")
    assert "1. Tags are lowercase - Rationale: matching ignores case" in summary
    assert "- Tag renaming - Reason: no user asked for it" in summary


def test_impossible_counts_are_refused_and_write_nothing(project: Project) -> None:
    project.advance("REFINING")
    before = project.snapshot_files()
    answer = project.fails(
        "refine-round", "--spec", "notes.md", "--found", "1", "--resolved", "3", "--open-critical", "0"
    )
    assert (
        answer.err.strip()
        == "specrail: specs/notes.md: 3 gaps resolved, but only 0 were open and 1 found this round"
    )
    critical = project.fails(
        "refine-round", "--spec", "notes.md", "--found", "1", "--resolved", "0", "--open-critical", "2"
    )
    assert "2 open CRITICAL gaps but only 1 open gaps" in critical.err
    unknown = project.fails(
        "refine-round",
        "--spec",
        "storage.md",
        "--found",
        "0",
        "--resolved",
        "0",
        "--open-critical",
        "0",
        code=2,
    )
    assert "not an affected spec" in unknown.err
    assert project.snapshot_files() == before


def test_open_count_is_the_refiners_list_not_a_sum(project: Project) -> None:
    project.advance("REFINING")
    first = project.ok(
        "refine-round", "--spec", "notes.md", "--found", "3", "--resolved", "1", "--open", "G1,G2:CRITICAL"
    )
    assert (first["open_gaps"], first["open_critical"], first["open_ids"]) == (2, 1, ["G1", "G2"])
    step = project.ok("status")["next"]
    assert "gaps still open after round 1: G1; G2 (CRITICAL)" in step["instruction"]
    # The refiner reports G2 again (not a new gap) and finds G3: counts and list must agree.
    wrong = ("--found", "2", "--resolved", "1", "--open", "G2:CRITICAL", "--open", "G3")
    sum_off = project.fails("refine-round", "--spec", "notes.md", *wrong)
    assert "2 found and 1 resolved make 3" in sum_off.json["error"]["message"]
    second = project.ok(
        "refine-round",
        "--spec",
        "notes.md",
        "--found",
        "1",
        "--resolved",
        "1",
        "--open",
        "G2:CRITICAL",
        "--open",
        "G3",
    )
    assert (second["open_gaps"], second["open_critical"], second["verdict"]) == (2, 1, "CONTINUE")
    refused = project.fails(
        "refine-round",
        "--spec",
        "notes.md",
        "--found",
        "0",
        "--resolved",
        "0",
        "--open",
        "G3",
        "--open-critical",
        "1",
        code=2,
    )
    assert "--open-critical 1, but 0 of the --open gaps are CRITICAL" in refused.err


def test_accept_partial_keeps_open_criticals_as_deferred(project: Project) -> None:
    project.edit(".specrail.yaml", "stall_threshold: 3", "stall_threshold: 1")
    project.advance("REFINING")
    stalled = project.ok(
        "refine-round", "--spec", "notes.md", "--found", "2", "--resolved", "0", "--open", "G1:CRITICAL,G2"
    )
    assert stalled["state"] == "STALLED"
    project.ok("resolve", "--choice", "Accept partial")
    deferred = project.session()["deferred_items"]
    assert "Deferred CRITICAL gap: specs/notes.md: G1" in deferred
    project.advance("COMMITTING")
    project.ok("commit", "--skip")
    summary = (project.session_dir / "SUMMARY.md").read_text(encoding="utf-8")
    assert "**Deferred CRITICAL gaps (accepted as partial):**" in summary
    assert "- Deferred CRITICAL gap: specs/notes.md: G1" in summary
