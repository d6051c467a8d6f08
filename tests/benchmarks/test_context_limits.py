"""The plugin's per-request cost stays within its limits, and the benchmark says so by its exit code."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.support.cli import REPO

DESCRIPTIONS_LIMIT = 2 * 1024
COMMAND_LIMIT = 6 * 1024
# Room left under the command limit for sentences added later.
HEADROOM = 300


def _front_matter(text: str) -> tuple[dict[str, object], str]:
    head, _, body = text[4:].partition("\n---\n")
    return yaml.safe_load(head) or {}, body


def test_agent_descriptions_are_short_plain_sentences() -> None:
    total = 0
    for path in sorted((REPO / "agents").glob("*.md")):
        meta, _ = _front_matter(path.read_text(encoding="utf-8"))
        description = str(meta["description"])
        assert "<example>" not in description, path.name
        assert "<commentary>" not in description, path.name
        total += len(description.encode("utf-8"))
    assert total <= DESCRIPTIONS_LIMIT, f"agent descriptions: {total} bytes > {DESCRIPTIONS_LIMIT}"


def test_every_command_body_leaves_headroom_under_the_limit() -> None:
    for path in sorted((REPO / "commands").glob("*.md")):
        _, body = _front_matter(path.read_text(encoding="utf-8"))
        # $ARGUMENTS expands to the user's argument line: count a long one.
        expanded = body.replace("$ARGUMENTS", "x" * 120)
        size = len(expanded.encode("utf-8"))
        assert size <= COMMAND_LIMIT - HEADROOM, f"{path.name}: {size} bytes"


def test_context_cost_exits_zero_with_every_target_met() -> None:
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "context_cost.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "agent descriptions, all together" in proc.stdout
    assert "targets: all PASS" in proc.stdout


def test_context_cost_fails_visibly_when_a_target_is_missed(tmp_path: Path) -> None:
    copy = tmp_path / "plugin"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(".git", "node_modules", "tests", "__pycache__"))
    agent = copy / "agents" / "implementer.md"
    meta, body = _front_matter(agent.read_text(encoding="utf-8"))
    meta["description"] = "word " * 600
    agent.write_text("---\n" + yaml.safe_dump(meta) + "---\n" + body, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(copy / "benchmarks" / "context_cost.py"), "--quick"],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(copy / "scripts")},
    )
    assert proc.returncode == 1, proc.stdout[-2000:]
    assert "FAIL" in proc.stdout and "agent descriptions" in proc.stdout.split("targets:")[-1]
