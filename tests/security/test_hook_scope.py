"""The hooks act only inside a workflow tree: the user's own documents are never judged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.security.hook_runs import INDEX, SESSION, call, start_synthesis
from tests.support.hooks import Hook

# Names of workflow artifacts, in a project with no workflow at all.
USER_FILES = [
    "docs/review-report.md",
    "notes/sessions/retro/SUMMARY.md",
    "handbook/feature-specs/F-001-offline-sync.md",
    "design/feature-specs/overview.md",
    "drafts/feature-index.json",
    ".specrail.yaml",
]


@pytest.mark.parametrize("name", USER_FILES)
def test_a_users_file_named_like_an_artifact_is_never_judged(hook: Hook, work: Path, name: str) -> None:
    path = work / name
    path.parent.mkdir(parents=True, exist_ok=True)
    content = "{not json\n" if name.endswith(".json") else "# My notes\n\nNothing the workflow expects.\n"
    path.write_text(content, encoding="utf-8")
    for event in ("PreToolUse", "PostToolUse"):
        run = hook(event, call(event, work, "Write", str(path), content=content))
        assert (run.code, run.out, run.err) == (0, "", ""), (event, run)
    assert path.read_text(encoding="utf-8") == content


def test_a_session_folder_without_its_session_file_is_not_a_workflow_tree(hook: Hook, work: Path) -> None:
    index = work / INDEX
    index.parent.mkdir(parents=True)
    for event in ("PreToolUse", "PostToolUse"):
        index.write_text("{not json\n", encoding="utf-8")
        assert hook(event, call(event, work, "Write", str(index), content="{not json\n")).out == ""
    (work / SESSION / "workflow-session.json").write_text("{}", encoding="utf-8")
    run = hook("PreToolUse", call("PreToolUse", work, "Write", str(index), content="{not json\n"))
    assert json.loads(run.out)["hookSpecificOutput"]["permissionDecision"] == "deny"


def test_inside_a_tree_the_same_names_are_judged(hook: Hook, work: Path) -> None:
    start_synthesis(work)
    report = work / SESSION / ".brainstorming" / "review-report.md"
    report.write_text("# My notes\n", encoding="utf-8")
    run = hook("PostToolUse", call("PostToolUse", work, "Write", str(report), content="# My notes\n"))
    assert json.loads(run.out)["decision"] == "block"


def test_specrail_validate_still_checks_a_file_it_is_asked_about(work: Path, specrail_run: object) -> None:
    (work / "docs").mkdir()
    (work / "docs/review-report.md").write_text("# My notes\n", encoding="utf-8")
    result = specrail_run("validate", "docs/review-report.md", cwd=work)  # type: ignore[operator]
    assert result.code == 1  # asked explicitly: the user wants the verdict
