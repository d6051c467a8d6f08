"""Any spec file: sections by number or by heading path, CommonMark block boundaries (checked
against markdown-it-py on a corpus), unversioned specs, renumbering, and moved separators."""

from __future__ import annotations

from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from specrail.spec_driven import specdoc
from specrail.spec_driven.diff import compare
from specrail.spec_driven.mdblocks import scan
from tests.support.cli import REPO, tracked
from tests.support.spec_driven import Project, git

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.md"))
# The project's own Markdown: specs, command bodies, agents, the README, the example project.
OWN = [p for p in tracked(REPO, "*.md") if "reliability" not in p.parts]
COMMONMARK = MarkdownIt("commonmark")


def reference(text: str) -> tuple[list[tuple[int, str, int]], list[int]]:
    """Top-level headings (level, title, line) and thematic breaks (line) as markdown-it sees them."""
    tokens = COMMONMARK.parse(text)
    headings, breaks = [], []
    for i, token in enumerate(tokens):
        if token.level == 0 and token.map is not None:
            if token.type == "heading_open":
                headings.append(
                    (int(token.tag[1]), " ".join(tokens[i + 1].content.split()), token.map[0] + 1)
                )
            elif token.type == "hr":
                breaks.append(token.map[0] + 1)
    return headings, breaks


@pytest.mark.parametrize("path", CORPUS + OWN, ids=lambda p: p.relative_to(REPO).as_posix())
def test_section_boundaries_agree_with_commonmark(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    found = scan(text)
    assert ([(h.level, h.title, h.line) for h in found.headings], found.breaks) == reference(text)


def test_corpus_covers_the_tricky_blocks() -> None:
    text = (Path(__file__).parent / "corpus" / "edge-cases.md").read_text(encoding="utf-8")
    titles = [h.title for h in scan(text).headings]
    assert "Separated" in titles  # setext, not a separator
    hidden = (
        "indented code, not a heading",
        "a comment in a fenced block",
        "still inside the outer fence",
        "tilde fence",
        "commented out heading",
        "inside an HTML block",
        "a type 7 block ends at a blank line",
        "A quoted heading is not a section",
        "A heading in a list item",
        "nested in the item",
        "code in the item",
    )
    assert not set(hidden) & set(titles)
    assert len(OWN) >= 15 and len(CORPUS) >= 3


# --- keys ------------------------------------------------------------------------------------

CLAUDE_MD = (Path(__file__).parent / "corpus" / "claude-md.md").read_text(encoding="utf-8")


def test_unnumbered_sections_are_keyed_by_heading_path() -> None:
    doc = specdoc.parse(CLAUDE_MD)
    assert doc.version is None
    assert [(s.number, s.title) for s in doc.sections] == [
        ("Architecture", "Architecture"),
        ("Architecture/Parser", "Parser"),
        ("Architecture/Evaluator", "Evaluator"),
        ("Commands", "Commands"),
        ("Conventions", "Conventions"),
    ]
    assert doc.by_number()["Architecture/Parser"].body.strip().startswith("- `src/parser.py`")
    assert "python -m pytest" in doc.by_number()["Commands"].body  # a comment in code is no heading


def test_setext_spec_is_numbered_and_versioned() -> None:
    doc = specdoc.parse((Path(__file__).parent / "corpus" / "setext-spec.md").read_text(encoding="utf-8"))
    assert doc.version == "2.0"
    assert [s.number for s in doc.sections] == ["Overview", "1", "1.1"]
    assert doc.history_rows == [("2.0", "2026-01-01", "Setext headings")]


def test_numbering_an_unnumbered_spec_changes_only_what_changed() -> None:
    numbered = (
        CLAUDE_MD.replace("## Architecture", "## 1. Architecture")
        .replace("### Parser", "### 1.1 Parser")
        .replace("### Evaluator", "### 1.2 Evaluator")
        .replace("## Commands", "## 2. Commands")
        .replace("## Conventions", "## 3. Conventions")
        .replace("Keep modules small.", "Keep modules under 400 lines.")
    )
    changes = compare(specdoc.parse(CLAUDE_MD), specdoc.parse(numbered))
    assert [(c.section, c.change) for c in changes] == [("3", "MODIFIED")]
    assert changes[0].summary.startswith("renumbered from Conventions; +1/-1 lines")


def test_removed_section_leaves_its_neighbour_unchanged() -> None:
    before = "# S\n\n## 1. A\n\nText A.\n\n---\n\n## 2. B\n\nText B.\n\n---\n\n## 3. C\n\nText C.\n"
    after = "# S\n\n## 1. A\n\nText A.\n\n---\n\n## 3. C\n\nText C.\n"
    changes = compare(specdoc.parse(before), specdoc.parse(after))
    assert [(c.section, c.change) for c in changes] == [("2", "DEPRECATED")]


# --- an unversioned CLAUDE.md through the workflow -------------------------------------------

PROPOSAL = """## Proposal Summary

**Request:** Make the evaluator lazy.
**Intent:** Large inputs are evaluated on demand.
**Affected Specs:**
- CLAUDE.md - Architecture/Evaluator

**Key Changes:**
1. The evaluator yields results lazily

**Open Questions:**
- None
"""


def test_unversioned_claude_md_is_changed_and_implemented(tmp_path: Path) -> None:
    root = tmp_path / "tool"
    (root / "src").mkdir(parents=True)
    (root / "CLAUDE.md").write_text(CLAUDE_MD, encoding="utf-8")
    (root / "src" / "evaluator.py").write_text(
        "def evaluate(tree):\n    return list(tree)\n", encoding="utf-8"
    )
    git(root, "init", "-q")
    git(root, "config", "user.email", "dev@example.com")
    git(root, "config", "user.name", "Dev")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "baseline")
    project = Project(root)
    project.ok("init", "Make the evaluator lazy", "--feature", "lazy-eval", "--skip-alignment")
    project.write(f"{project.session_dir.relative_to(root)}/proposal.md", PROPOSAL)
    project.ok("proposal")
    project.ok("proposal", "--confirm")
    project.ok("start-update")
    project.edit(
        "CLAUDE.md",
        "The evaluator walks the tree.",
        "The evaluator walks the tree lazily, in `src/evaluator.py`.",
    )
    recorded = project.ok("diff")  # no version line, no Revision History: nothing to demand
    assert recorded["errors"] == [] and recorded["state"] == "REFINING"
    assert [(c["section"], c["change"], c["files"]) for c in recorded["sections"]["CLAUDE.md"]] == [
        ("Architecture/Evaluator", "MODIFIED", ["src/evaluator.py"])
    ]
    project.ok("refine-round", "--spec", "CLAUDE.md", "--found", "0", "--resolved", "0", "--open-critical=0")
    project.ok("align-check")
    planned = project.ok("tasks")
    assert [(t["title"], t["spec_ref"], t["affected_files"]) for t in planned["tasks"]] == [
        (
            "Update Architecture/Evaluator to match spec",
            "CLAUDE.md §Architecture/Evaluator",
            ["src/evaluator.py"],
        )
    ]


def test_versioned_spec_still_needs_its_bump(tmp_path: Path) -> None:
    before = specdoc.parse("# S\n\n**Version:** 1.0\n\n## 1. A\n\nx\n")
    after = specdoc.parse("# S\n\n## 1. A\n\ny\n")
    assert before.version == "1.0" and after.version is None
    assert [c.change for c in compare(before, after)] == ["MODIFIED"]
