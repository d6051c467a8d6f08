"""Small Python (pytest) and Node (`node --test`) projects under git, and a session through them."""

from __future__ import annotations

from pathlib import Path

from tests.support.spec_driven import Project, git

SPEC = """\
# Notes

**Version:** 1.0

## 1. Overview

A notebook keeps notes, in `{code}`.

## 2. Revision History

| Version | Date | Changes |
|---------|------|---------|
| 1.0 | 2026-01-10 | Initial specification |
"""

PROPOSAL = """\
## Proposal Summary

**Request:** Filter notes by tag.
**Intent:** A user finds the notes that carry a tag.
**Affected Specs:**
- specs/notes.md - Section 1.1

**Key Changes:**
1. A filter by tag

**Open Questions:**
- None
"""

PY_CODE = "def with_tag(notes, tag):\n    return []\n"
PY_DONE = "def with_tag(notes, tag):\n    return [n for n in notes if tag in n['tags']]\n"
PY_TEST = """\
from notes import with_tag


def test_filter_by_tag():
    assert with_tag([{"tags": ["a"]}, {"tags": []}], "a") == [{"tags": ["a"]}]


def test_unrelated():
    assert True
"""

JS_CODE = "exports.withTag = (notes, tag) => [];\n"
JS_DONE = "exports.withTag = (notes, tag) => notes.filter((n) => n.tags.includes(tag));\n"
JS_TEST = """\
const test = require('node:test');
const assert = require('node:assert');
const { withTag } = require('../src/notes.js');

test('filters by tag (spec: specs/notes.md#1.1)', () => {
  assert.deepStrictEqual(withTag([{ tags: ['a'] }, { tags: [] }], 'a'), [{ tags: ['a'] }]);
});

test('unrelated', () => {
  assert.ok(true);
});
"""


def init_repo(root: Path, files: dict[str, str]) -> Project:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "config", "user.email", "dev@example.com")
    git(root, "config", "user.name", "Dev")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "baseline")
    return Project(root)


def python_project(root: Path) -> Project:
    """pytest, detected from pyproject.toml: `python3 -m pytest -q` (with --junitxml added)."""
    return init_repo(
        root,
        {
            "pyproject.toml": '[project]\nname = "notes"\nversion = "0.1"\n\n[tool.pytest.ini_options]\n',
            "specs/notes.md": SPEC.format(code="notes.py"),
            "notes.py": PY_CODE,
            "tests/test_notes.py": PY_TEST,
        },
    )


def node_project(root: Path) -> Project:
    """`npm test` running `node --test`, detected from package.json; the check is configured."""
    return init_repo(
        root,
        {
            "package.json": '{"name": "notes", "private": true, "scripts": {"test": "node --test"}}\n',
            ".specrail.yaml": "spec_driven_feature:\n  commands:\n    check:\n"
            "      run: node --check src/notes.js\n",
            "specs/notes.md": SPEC.format(code="src/notes.js"),
            "src/notes.js": JS_CODE,
            "test/notes.test.js": JS_TEST,
        },
    )


def start(
    project: Project, feature: str = "tag-filter", tests_line: str = "", overview: str | None = None
) -> str:
    """A session up to IMPLEMENTING that adds section 1.1 (with `tests_line` in it)."""
    label = str(
        project.ok("init", "Filter notes by tag", "--feature", feature, "--skip-alignment")["session"]
    )
    (project.root / label / "proposal.md").write_text(PROPOSAL, encoding="utf-8")
    project.ok("proposal", "--session", label)
    project.ok("proposal", "--confirm", "--session", label)
    project.ok("start-update", "--session", label)
    code = "src/notes.js" if (project.root / "src/notes.js").exists() else "notes.py"
    section = (
        f"### 1.1 Filter by Tag\n\n`with_tag(notes, tag)` keeps the notes carrying `tag`, in `{code}`.\n"
    )
    if tests_line:
        section += f"\n{tests_line}\n"
    project.edit("specs/notes.md", "**Version:** 1.0", "**Version:** 1.1")
    project.edit("specs/notes.md", "## 2. Revision History", f"{section}\n## 2. Revision History")
    project.edit(
        "specs/notes.md", "Initial specification |", "Initial specification |\n| 1.1 | 2026-01-20 | tags |"
    )
    if overview is not None:
        project.edit("specs/notes.md", "A notebook keeps notes", overview)
    project.ok("diff", "--session", label)
    args = ("--found", "0", "--resolved", "0", "--open-critical", "0")
    project.ok("refine-round", "--spec", "specs/notes.md", *args, "--session", label)
    project.ok("align-check", "--session", label)
    project.ok("tasks", "--session", label)
    return label


def implement(project: Project, label: str) -> None:
    """The one task done, then the verification: the session is in VALIDATING."""
    code = "src/notes.js" if (project.root / "src/notes.js").exists() else "notes.py"
    project.ok("task-start", "T-001", "--files", code, "--session", label)
    (project.root / code).write_text(JS_DONE if code.endswith(".js") else PY_DONE, encoding="utf-8")
    project.ok("task-done", "T-001", "--session", label)
    for task in project.session()["tasks"][1:]:  # the overview's wording: no code to change
        project.ok("task-start", task["id"], "--session", label)
        asked = project.fails("task-done", task["id"], "--session", label).json
        assert asked["pending_decision"]["options"][0] == "No change needed", asked
        project.ok("resolve", "--choice", "No change needed", "--note", "wording only", "--session", label)
    project.ok("verify", "--session", label)
