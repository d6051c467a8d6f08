"""What the agents read holds what the seed says they get: the user's answers in proposal.md, the
refinement gaps' descriptions from round to round, the alignment skip said before any aligner runs,
the request's words in the commit message, and each issue of the implementation log with its
resolution."""

from __future__ import annotations

from pathlib import Path

from specrail.spec_driven import commit_message as commit
from specrail.spec_driven import proposal_doc
from specrail.validation.check import check_file
from tests.spec_driven.test_commands import PROPOSAL, python_project, to_implementing
from tests.support.spec_driven import EXAMPLE, Project

TWO_QUESTIONS = (
    (EXAMPLE / "scenario" / "proposal.md")
    .read_text(encoding="utf-8")
    .replace(
        "- Should tag matching ignore case?",
        "- Should tag matching ignore case?\n- May a tag hold spaces,\n  or only words?",
    )
)


def test_answers_are_written_into_the_proposal(project: Project) -> None:
    project.ok("init", "Add tags to notes", "--feature", "note-tags")
    path = project.write(f"{project.session_dir.relative_to(project.root)}/proposal.md", TWO_QUESTIONS)
    project.ok("proposal")
    project.ok("answer-question", "--number", "2", "--answer", "Words only, no spaces")
    project.ok("answer-question", "--number", "1", "--answer", "Yes, tags are stored lowercase")
    text = path.read_text(encoding="utf-8")
    assert (
        "- Should tag matching ignore case?\n  - Answer: Yes, tags are stored lowercase\n"
        "- May a tag hold spaces,\n  or only words?\n  - Answer: Words only, no spaces\n"
    ) in text
    assert check_file(path, "proposal").errors == []
    again = project.ok("proposal", "--confirm")  # the answer lines are no questions of their own
    assert [q["answer"] for q in again["open_questions"]] == [
        "Yes, tags are stored lowercase",
        "Words only, no spaces",
    ]
    assert project.ok("start-update")["state"] == "SPEC_UPDATE"


def test_a_changed_answer_replaces_the_line() -> None:
    text = "## Proposal Summary\n\n**Open Questions:**\n- Why?\n  - Answer: old\n\n## Notes\n"
    assert proposal_doc.with_answers(text, ["new"]) == (
        "## Proposal Summary\n\n**Open Questions:**\n- Why?\n  - Answer: new\n\n## Notes\n"
    )
    assert proposal_doc.parse(text).open_questions == ["Why?"]


def test_an_edit_after_the_record_is_never_overwritten(project: Project, tmp_path: Path) -> None:
    project.ok("init", "Add tags to notes", "--feature", "note-tags")
    path = project.write(f"{project.session_dir.relative_to(project.root)}/proposal.md", TWO_QUESTIONS)
    project.ok("proposal")
    path.write_text(TWO_QUESTIONS + "\nA late remark.\n", encoding="utf-8")
    project.ok("answer-question", "--number", "1", "--answer", "Yes")
    assert path.read_text(encoding="utf-8") == TWO_QUESTIONS + "\nA late remark.\n"


def test_gap_descriptions_are_handed_on_from_round_to_round(project: Project) -> None:
    project.advance("REFINING")
    first = project.ok(
        "refine-round",
        *("--spec", "notes.md", "--found", "2", "--resolved", "0"),
        *("--open", "G1:CRITICAL - Is tag matching case-blind? The user decides, before 3.3"),
        *("--open", "G2 - No limit on the number of tags"),
    )
    assert first["open_ids"] == ["G1", "G2"] and first["open_critical"] == 1
    step = project.ok("status")["next"]["instruction"]
    assert (
        "gaps still open after round 1: G1 (CRITICAL): Is tag matching case-blind? The user decides, "
        "before 3.3; G2: No limit on the number of tags."
    ) in step
    # The next refiner lists the ids again, without their words: the descriptions stay.
    project.ok(
        "refine-round", "--spec", "notes.md", "--found", "0", "--resolved", "1", "--open", "G1:CRITICAL"
    )
    step = project.ok("status")["next"]["instruction"]
    assert "after round 2: G1 (CRITICAL): Is tag matching case-blind? The user decides, before 3.3." in step


def test_aligning_says_before_any_aligner_whether_alignment_runs(project: Project) -> None:
    project.advance("ALIGNING")
    step = project.ok("status")["next"]
    assert step["instruction"].startswith("Alignment runs (cross-references: specs/notes.md -> ")
    assert project.ok("align-check")["ran"] is True
    assert project.session()["alignment"]["triggered"] is True


def test_no_trigger_means_skipped_even_with_an_aligners_findings(tmp_path: Path) -> None:
    calc = python_project(tmp_path / "calc")
    calc.ok("init", "Subtract two numbers", "--feature", "subtract")
    calc.write(f"{calc.session_dir.relative_to(calc.root)}/proposal.md", PROPOSAL)
    calc.ok("proposal")
    calc.ok("proposal", "--confirm")
    calc.ok("start-update")
    calc.edit("specs/calc.md", "**Version:** 1.0", "**Version:** 1.1")
    calc.edit(
        "specs/calc.md", "Initial specification |", "Initial specification |\n| 1.1 | 2026-01-20 | sub |"
    )
    calc.edit(
        "specs/calc.md",
        "## 2. Revision History",
        "### 1.1 Subtract\n\n`sub(a, b)`, in `calc/ops.py`.\n\n## 2. Revision History",
    )
    calc.ok("diff")
    calc.ok("refine-round", "--spec", "specs/calc.md", "--found", "0", "--resolved", "0", "--open", "none")
    step = calc.ok("status")["next"]
    assert step["instruction"].startswith("Alignment is skipped (no trigger: no cross-reference")
    answer = calc.ok("align-check", "--finding", "LOW:specs/calc.md:wording of 1.1")
    assert answer["ran"] is False and answer["counts"]["LOW"] == 1
    assert calc.session()["alignment"]["triggered"] is False


def test_the_commit_message_uses_the_requests_words(project: Project) -> None:
    project.advance("COMMITTING")
    plan = project.ok("commit-plan", "--grouping", "single")
    assert plan["commits"][0]["message"].startswith("feat(notes): add tags to notes\n")


def test_a_long_subject_is_shortened_at_a_word() -> None:
    long = "let users put tags on notes and find notes by tag, replacing the title search"
    subject = commit.header("feat", "notes", long)
    assert subject == "feat(notes): let users put tags on notes and find notes by tag…"
    assert len(subject) <= commit.HEADER_MAX
    assert commit.described("Please add tags to notes. Tags are lowercase.") == "add tags to notes"
    assert commit.described("I want to make API keys rotate") == "make API keys rotate"
    assert commit.described("README badges for CI") == "README badges for CI"


def test_the_implementation_log_gives_each_issue_with_its_resolution(tmp_path: Path) -> None:
    calc = python_project(tmp_path / "calc")
    to_implementing(calc)
    calc.ok("task-start", "T-001", "--files", "calc/ops.py")
    calc.edit("calc/ops.py", "    return a + b\n", "    return a + b\n\n\ndef sub(a, b):\n    return a -\n")
    calc.fails("task-done", "T-001")
    calc.ok("resolve", "--choice", "Diagnose & Fix")
    calc.ok("task-start", "T-001", "--files", "calc/ops.py")
    calc.edit("calc/ops.py", "    return a + b\n", "    return a + b\n\n\ndef sub(a, b):\n    return b - a\n")
    calc.ok("task-done", "T-001")
    calc.write("tests/test_sub.py", SUB_TEST)
    calc.fails("verify")
    calc.edit("calc/ops.py", "return b - a", "return a - b")
    calc.ok("verify")
    log = (calc.session_dir / "implementation_log.md").read_text(encoding="utf-8")
    issues = log.split("### Issues Encountered\n", 1)[1].strip().splitlines()
    assert issues[0].startswith("- T-001 incremental check FAIL (")
    assert issues[0].endswith(
        "): files restored: calc/ops.py; the user chose Diagnose & Fix: to be fixed and re-run; "
        "fixed: the check passed (PASS)"
    )
    assert issues[1].startswith("- full verification failed: test FAIL (")
    assert issues[1].endswith("): fixed: the full verification passed")


SUB_TEST = """\
import unittest

from calc.ops import sub


class Sub(unittest.TestCase):
    def test_sub(self):
        self.assertEqual(sub(5, 3), 2)
"""
