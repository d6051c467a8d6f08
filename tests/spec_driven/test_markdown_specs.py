"""Any Markdown file is a first-class spec: a session on a project without `specs/`, its README as the
spec, writes diff records that validate, a SUMMARY without made-up versions, and `drift` reports a
later hand edit of the README."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from specrail.validation.check import check_file
from tests.spec_driven.test_commands import write
from tests.support.cli import run_cli
from tests.support.spec_driven import Project, git

README = """\
# calc

A small calculator.

## Usage

### Adding

`add(a, b)` returns the sum, in `calc/ops.py`.

## License

MIT
"""
PROPOSAL = """\
## Proposal Summary

**Request:** Add subtraction
**Intent:** Users can subtract.
**Affected Specs:**
- README.md - Section Usage/Subtracting

**Key Changes:**
1. A `sub(a, b)` function

**Open Questions:**
- None
"""


@pytest.fixture
def readme_project(tmp_path: Path) -> Project:
    root = tmp_path / "calc"
    write(
        root,
        {
            "pyproject.toml": '[project]\nname = "calc"\nversion = "0.1"\n',
            "README.md": README,
            "calc/__init__.py": "",
            "calc/ops.py": "def add(a, b):\n    return a + b\n",
            "tests/__init__.py": "",
            "tests/test_ops.py": "import unittest\n\nfrom calc.ops import add\n\n\n"
            "class Ops(unittest.TestCase):\n    def test_add(self):\n"
            "        self.assertEqual(add(2, 3), 5)\n",
        },
    )
    git(root, "init", "-q")
    git(root, "config", "user.email", "dev@example.com")
    git(root, "config", "user.name", "Dev")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "baseline")
    return Project(root)


def test_a_readme_session_validates_summarises_and_drifts(readme_project: Project) -> None:
    p = readme_project
    p.ok("init", "Add subtraction", "--feature", "subtract")
    p.write(f"{p.session_dir.relative_to(p.root)}/proposal.md", PROPOSAL)
    p.ok("proposal")
    p.ok("proposal", "--confirm")
    p.ok("start-update")
    p.edit(
        "README.md",
        "## License",
        "### Subtracting\n\n`sub(a, b)` returns a minus b, in `calc/ops.py`.\n\n"
        "**Tests:** `tests/test_ops.py::Ops::test_sub`\n\n## License",
    )
    p.ok("diff")
    record = p.session_dir / "spec_diffs" / "README.diff.md"
    assert "| Usage/Subtracting | ADDED |" in record.read_text(encoding="utf-8")
    assert check_file(record).errors == []  # what `diff` writes, `validate` accepts
    p.ok("refine-round", "--spec", "README.md", "--found", "0", "--resolved", "0", "--open", "none")
    p.ok("align-check")
    p.ok("tasks")
    p.ok("task-start", "T-001", "--files", "calc/ops.py,tests/test_ops.py")
    p.edit("calc/ops.py", "    return a + b\n", "    return a + b\n\n\ndef sub(a, b):\n    return a - b\n")
    p.edit("tests/test_ops.py", "from calc.ops import add\n", "from calc.ops import add, sub\n")
    p.edit(
        "tests/test_ops.py",
        "(add(2, 3), 5)\n",
        "(add(2, 3), 5)\n\n    def test_sub(self):\n        self.assertEqual(sub(5, 3), 2)\n",
    )
    p.ok("task-done", "T-001")
    p.ok("verify")
    p.ok("validate-plan")
    p.ok("run-validations")
    p.ok("commit-plan")
    assert p.ok("commit", "--confirm")["state"] == "COMPLETE"
    summary = (p.session_dir / "SUMMARY.md").read_text(encoding="utf-8")
    assert "- README.md: unversioned\n" in summary and "v(" not in summary
    assert "`tests/test_ops.py::Ops::test_sub` passed" in summary  # the section's linked test ran
    for path in sorted(p.session_dir.glob("**/*.md")):
        if "snapshots" not in path.parts:
            assert check_file(path).errors == [], path
    assert json.loads(run_cli("drift", "--root", str(p.root), "--json").out)["status"] == "ok"
    p.edit("README.md", "returns a minus b", "returns b minus a")
    git(p.root, "commit", "-qam", "reword subtraction")
    drifted = run_cli("drift", "--root", str(p.root), "--json")
    assert drifted.code == 1 and [hit["file"] for hit in json.loads(drifted.out)["specs"]] == ["README.md"]
