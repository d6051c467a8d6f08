"""The command body, the agents, the CLI surface and the demo of /workflow:synthesis."""

from __future__ import annotations

import re

import pytest
import yaml

from specrail.cli import cli
from tests.support.cli import REPO, run_cli

SUBCOMMANDS = (
    "new",
    "discover",
    "analyzed",
    "questions",
    "answer",
    "spec-input",
    "index",
    "complexity",
    "review-check",
    "reviewed",
    "finalize",
)
AGENTS = ("synthesis-analyst", "spec-writer", "spec-reviewer")


def _front(path: str) -> tuple[dict, str]:
    text = (REPO / path).read_text(encoding="utf-8")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body


def test_command_frontmatter_and_size() -> None:
    front, body = _front("commands/synthesis.md")
    assert front["argument-hint"] == "[--session WFS-ID] [--language TAG] [-y|--yes]"
    assert front["description"]
    tools = [t.strip() for t in front["allowed-tools"].split(",")]
    steps = ["discover", "analyzed", "questions", "answer --yes", "spec-input", "index", "complexity"]
    steps += ["review-check", "reviewed", "finalize", "new"]  # not `answer --answers`: the user's decision
    assert tools == [
        *(f"Bash(specrail synthesis {step}:*)" for step in steps),
        "Read",
        "Write",
        "Edit",
        "Glob",
        "Task",
        "AskUserQuestion",
        "TodoWrite",
    ]
    assert len(body.encode()) <= 6 * 1024


def test_command_body_calls_every_helper_and_agent() -> None:
    _, body = _front("commands/synthesis.md")
    called = set(re.findall(r"`specrail synthesis ([a-z-]+)", body))
    assert called == set(SUBCOMMANDS)
    for agent in AGENTS:
        assert f"workflow:{agent}" in body
    for phase in ("Phases 1-2", "Phase 3A", "Phase 4", "Phase 5", "Phase 6"):
        assert phase in body
    assert "$ARGUMENTS" in body and "AskUserQuestion" in body


@pytest.mark.parametrize("name", AGENTS)
def test_agent_frontmatter_and_size(name: str) -> None:
    front, body = _front(f"agents/{name}.md")
    assert front["name"] == name and front["model"] == "inherit"
    assert "<example>" not in front["description"] and len(front["description"].encode()) <= 300
    assert "Bash" not in front["tools"]
    assert len(body.splitlines()) <= 80 and len(body.encode()) <= 6 * 1024
    assert "You " in body or "you " in body


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_has_an_example_and_the_common_options(name: str) -> None:
    command = cli.commands["synthesis"].commands[name]  # type: ignore[attr-defined]
    assert "Example" in (command.help or "")
    options = {o for p in command.params for o in p.opts}
    assert {"--root", "--json", "--session"} <= options


def test_demo_runs_the_synthesis_pipeline() -> None:
    result = run_cli("demo", cwd=REPO)
    assert result.code == 0, result.out + result.err
    for step in (
        "discover",
        "analysis outputs",
        "questions and auto answers",
        "specs and feature index",
        "complexity",
        "review",
        "finalize",
    ):
        assert f"[ok ] synthesis: {step}:" in result.out
    assert (
        "no review agent" in result.out
        or "review skipped" in result.out
        or "not a review agent" in result.out
    )
