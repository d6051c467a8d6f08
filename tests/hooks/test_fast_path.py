"""The stdlib-only pieces the hooks decide with, checked against the slow, obvious way of doing it."""

from __future__ import annotations

import json
import os
from pathlib import Path, PurePosixPath
from typing import Any

import click
from hypothesis import given
from hypothesis import strategies as st

from specrail.cli import cli
from specrail.hooks import payload, pre_tool_use, resume, scope
from specrail.spec_driven.snapshot import SNAPSHOTS_DIR
from specrail.validation import kinds
from tests.support.cli import REPO

NAMES = [
    "feature-index.json",
    "workflow-session.json",
    ".specrail.yaml",
    "proposal.md",
    "SUMMARY.md",
    "F-001-offline-sync.md",
    "x.diff.md",
    "x.diff.json",
    "notes.txt",
    "analysis.md",
    "sessions",
    "spec_diffs",
    "feature-specs",
    ".brainstorming",
    "WFS-x",
    "snapshots",
    ".",
    "..",
    "",
]


def classify_by_purepath(path: str) -> str | None:
    """The original `kinds.classify`, written with pathlib."""
    p = PurePosixPath(path)
    kind = kinds._BY_NAME.get(p.name)
    if kind:
        return kind
    if p.parent.name == "spec_diffs":
        if p.name.endswith(".diff.md"):
            return "diff-record"
        return "diff-record-json" if p.name.endswith(".diff.json") else None
    if p.parent.name == "feature-specs" and p.name.endswith(".md"):
        return "feature-spec"
    if p.name in kinds._SESSION_FILES and p.parent.parent.name == "sessions":
        return kinds._SESSION_FILES[p.name]
    return None


@given(st.lists(st.sampled_from(NAMES), max_size=6), st.booleans(), st.booleans())
def test_classify_agrees_with_pathlib(segments: list[str], absolute: bool, trailing: bool) -> None:
    path = ("/" if absolute else "") + "/".join(segments) + ("/" if trailing else "")
    assert kinds.classify(path) == classify_by_purepath(path)
    assert kinds.classify(PurePosixPath(path)) == classify_by_purepath(path)


def test_feature_spec_name_is_still_a_pattern() -> None:
    assert kinds.FEATURE_SPEC_NAME.match("F-001-offline-sync.md")
    assert not kinds.FEATURE_SPEC_NAME.match("F-1-x.md")


path_text = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=1, max_size=40)


@given(path_text, st.sampled_from(["", " ", "\n  "]), st.booleans())
def test_string_member_is_exact_or_declines(path: str, space: str, content_first: bool) -> None:
    tool_input: dict[str, Any] = {"file_path": path, "content": '"file_path": "decoy"'}
    if content_first:
        tool_input = {"content": '{"file_path": "decoy"}', **tool_input}
    body = {
        "session_id": "s",
        "cwd": "/w",
        "tool_name": "Write",
        "tool_input": tool_input,
        "tool_response": {"filePath": "/elsewhere", "file_path": "/elsewhere"},
    }
    raw = json.dumps(body, ensure_ascii=False, separators=(",", ":" + space)).encode()
    found = payload.string_member(raw, "file_path")
    assert found is None or found == path
    if "\\" not in json.dumps(path, ensure_ascii=False)[1:-1]:
        assert found == path


def test_string_member_declines_without_its_keys() -> None:
    assert payload.string_member(b'{"file_path": "/a"}', "file_path") is None
    assert payload.string_member(b'{"tool_input": {"file_path": 3}}', "file_path") is None
    assert payload.string_member(b'{"tool_input": {"file_path": "/a', "file_path") is None


def test_guarded_folders_agree_with_the_spec_driven_code() -> None:
    assert pre_tool_use.SNAPSHOTS == SNAPSHOTS_DIR


def test_resume_next_steps_name_real_commands() -> None:
    steps = [*resume.SYNTHESIS_NEXT.values(), resume.SPEC_DRIVEN_NEXT]
    commands = [part.split("`")[0] for step in steps for part in step.split("`specrail ")[1:]]
    assert len(commands) >= 7
    for command in commands:
        group_name, name = command.split()[:2]
        group = cli.commands[group_name]
        assert isinstance(group, click.Group) and name in group.commands, command


def test_hooks_json_is_narrow_quoted_and_bounded() -> None:
    hooks = json.loads((REPO / "hooks" / "hooks.json").read_text(encoding="utf-8"))
    assert hooks["description"]
    matchers = {event: [entry["matcher"] for entry in entries] for event, entries in hooks["hooks"].items()}
    assert matchers == {
        "SessionStart": ["startup|resume|clear|compact"],
        "PreToolUse": ["Write|Edit|MultiEdit"],
        "PostToolUse": ["Write|Edit|MultiEdit", "AskUserQuestion"],
    }
    for entries in hooks["hooks"].values():
        for entry in entries:
            for h in entry["hooks"]:
                assert h["type"] == "command" and 0 < h["timeout"] <= 600
                assert '"${CLAUDE_PLUGIN_ROOT}/hooks/' in h["command"]
                assert "${CLAUDE_PLUGIN_ROOT}/.." not in h["command"]
                assert "pyenv" not in h["command"] and "shims" not in h["command"]


def test_tool_hooks_start_only_for_workflow_trees() -> None:
    """One handler per tool and tree: `if` takes one permission rule, and a rule names one tool.
    PostToolUse starts for Markdown only: PreToolUse already checked a JSON artifact."""
    hooks = json.loads((REPO / "hooks" / "hooks.json").read_text(encoding="utf-8"))
    trees = ("**/.workflow/active/**", "**/specs/meta/sessions/**")
    for event, files in (("PreToolUse", ""), ("PostToolUse", "/*.md")):
        # the user's answers (AskUserQuestion) are no file: that hook checks for a session itself
        [entry] = [e for e in hooks["hooks"][event] if e["matcher"] != "AskUserQuestion"]
        conditions = sorted(h["if"] for h in entry["hooks"])
        assert conditions == sorted(
            f"{tool}({tree}{files})" for tool in ("Write", "Edit", "MultiEdit") for tree in trees
        )
        assert len({h["command"] for h in entry["hooks"]}) == 1


def test_scope_resolves_paths_as_realpath_does(tmp_path: Path) -> None:
    """`scope.real_path` (posix.lstat only on plain paths) against os.path.realpath, links included."""
    (tmp_path / "a/b").mkdir(parents=True)
    (tmp_path / "a/b/f.md").write_text("x", encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "a")
    (tmp_path / "a/file-link.md").symlink_to(tmp_path / "a/b/f.md")
    (tmp_path / "a/loop").symlink_to(tmp_path / "a/loop")
    names = ["a/b/f.md", "link/b/f.md", "a/file-link.md", "a/b/../b/f.md", "a/./b", "a//b", "missing/x.md"]
    names += ["a/loop/x", "link/missing/new.md", "a/b/new.md"]
    for name in names:
        assert scope.real_path(name, str(tmp_path)) == os.path.realpath(tmp_path / name), name
        assert scope.real_path(str(tmp_path / name), None) == os.path.realpath(tmp_path / name), name
    assert scope.real_path("a/b", None) is None and scope.real_path("a/b", "relative") is None
    assert scope.real_path("/a\x00b", None) is None
