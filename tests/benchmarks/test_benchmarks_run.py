"""Each benchmark runs in its quick form and prints its table (no assertion on any figure)."""

from __future__ import annotations

import subprocess
import sys

from tests.support.cli import REPO


def _run(script: str, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / script), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    return proc.stdout


def test_scale_prints_both_tables_and_its_targets() -> None:
    out = _run("scale.py", "--quick", "--sizes", "10", "--sections", "10", "--sessions", "10")
    assert "synthesis: per command" in out and "spec-driven: per command" in out
    assert "trace and drift: per command" in out
    for command in ("validate", "index", "complexity", "review-check", "diff", "tasks", "trace", "drift"):
        assert command in out
    rows = [line.split() for line in out.splitlines() if line.strip()[:1].isdigit()]
    assert [row[0] for row in rows][:1] == ["10"] and len(rows) == 3
    assert "targets" in out


def test_context_cost_prints_every_command_agent_and_resume_case() -> None:
    out = _run("context_cost.py", "--quick")
    for path in sorted((REPO / "commands").glob("*.md")) + sorted((REPO / "agents").glob("*.md")):
        assert f"{path.parent.name}/{path.name}" in out
    assert "SessionStart resume context" in out and "synthesis example" in out
    assert "Active workflow sessions" in out
    assert "targets:" in out
