"""The Mermaid diagrams parse, with our strict checker and with the real Mermaid parser."""

from __future__ import annotations

import itertools
import json
import subprocess
from pathlib import Path

import pytest

from specrail import mermaid, states
from tests.support.cli import REPO, run_cli

EXAMPLE = REPO / "scripts/specrail/examples/synthesis/.workflow/active/WFS-team-notes/.brainstorming"


def real_mermaid(diagrams: list[str]) -> list[dict[str, object]]:
    """Parse with Mermaid itself (npm, run in jsdom); needs `npm ci --prefix tests/tools`."""
    script = REPO / "tests/tools/mermaid_parse.mjs"
    assert (REPO / "tests/tools/node_modules/mermaid").is_dir(), "run `npm ci --prefix tests/tools` first"
    proc = subprocess.run(
        ["node", str(script)],
        input=json.dumps(diagrams),
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def _history(path: list[str]) -> list[dict[str, str]]:
    return [{"from": a, "to": b} for a, b in itertools.pairwise(path)]


def sample_diagrams() -> list[str]:
    spec_path = ["PENDING", "SPEC_UPDATE", "REFINING", "STALLED", "ALIGNING", "IMPLEMENTING", "VALIDATING"]
    conflict_map = json.loads((EXAMPLE / "feature-conflict-map.json").read_text())
    names = {fid: fid.lower() for fid in conflict_map}
    return [
        mermaid.state_diagram("spec-driven", "VALIDATING", _history(spec_path)),
        mermaid.state_diagram("spec-driven", "PENDING", []),
        mermaid.state_diagram("synthesis", "COMPLETE", _history(["PENDING", "DISCOVERED", "DISCOVERED"])),
        mermaid.task_graph(
            [
                {"id": "T-001", "action": "implement", "title": 'Add "Rule" <state>', "depends_on": []},
                {
                    "id": "T-002",
                    "action": "remove",
                    "title": "Remove WizardMenu",
                    "depends_on": ["T-001"],
                    "status": "done",
                },
                {
                    "id": "T-003",
                    "action": "update",
                    "title": "Update keys",
                    "depends_on": ["T-001", "T-002"],
                    "status": "failed",
                },
            ]
        ),
        mermaid.feature_graph(names, {fid: entry["cross_refs"] for fid, entry in conflict_map.items()}),
    ]


def test_generated_diagrams_pass_the_strict_checker() -> None:
    for diagram in sample_diagrams():
        assert mermaid.lint(diagram) == [], diagram


def test_generated_diagrams_parse_with_real_mermaid() -> None:
    results = real_mermaid(sample_diagrams())
    assert all(r["ok"] for r in results), results
    assert [r["type"] for r in results] == ["stateDiagram"] * 3 + ["flowchart-v2"] * 2


def test_state_diagram_marks_current_state_and_numbers_the_path() -> None:
    diagram = mermaid.state_diagram(
        "spec-driven", "ALIGNING", _history(["PENDING", "SPEC_UPDATE", "REFINING", "STALLED", "ALIGNING"])
    )
    assert "    class ALIGNING current" in diagram
    assert "    class STALLED failure" in diagram
    assert "    STALLED --> ALIGNING : step 4" in diagram
    for source, targets in states.SPEC_DRIVEN.items():
        for target in targets:
            assert (f"    {source} --> {target}" in diagram) == (target != "ABORTED")


@pytest.mark.parametrize(
    "bad",
    [
        "graph TD\n  A --> B",
        "flowchart TD\n  A --> ",
        'flowchart TD\n  A["unclosed]',
        "stateDiagram-v2\n  A -> B",
        "flowchart TD\n  A --> B\n  class A missing",
        "stateDiagram-v2\n  A --> B\n  classDef x fill:#fff\n  class C x",
    ],
)
def test_checker_rejects_what_it_cannot_vouch_for(bad: str) -> None:
    assert mermaid.lint(bad)


def test_checker_and_real_mermaid_agree_on_broken_input() -> None:
    broken = ["flowchart TD\n  A --> ", "stateDiagram-v2\n  [*] --> A\n  A --> B : x\n  A --> --> B"]
    assert all(mermaid.lint(d) for d in broken)
    assert not any(r["ok"] for r in real_mermaid(broken))


def test_blocks_finds_fenced_diagrams(tmp_path: Path) -> None:
    text = "# Report\n\n" + mermaid.fenced("flowchart LR\n    A --> B") + "\n\ntext\n"
    assert mermaid.blocks(text) == ["flowchart LR\n    A --> B\n"]


def test_readme_diagrams_parse() -> None:
    diagrams = mermaid.blocks((REPO / "README.md").read_text())
    assert diagrams, "the README shows a diagram"
    assert all(mermaid.lint(d) == [] for d in diagrams)
    assert all(r["ok"] for r in real_mermaid(diagrams))


def test_generated_reports_carry_diagrams_that_parse(tmp_path: Path) -> None:
    kept = tmp_path / "demo"
    assert run_cli("demo", "--keep", str(kept)).code == 0
    [session] = (kept / "spec-driven/specs/meta/sessions").iterdir()
    review = kept / "synthesis/.workflow/active/WFS-team-notes/.brainstorming/review-report.md"
    found = {
        name: mermaid.blocks(path.read_text())
        for name, path in {
            "summary": session / "SUMMARY.md",
            "implementation log": session / "implementation_log.md",
            "review report": review,
        }.items()
    }
    assert all(len(diagrams) == 1 for diagrams in found.values()), found
    diagrams = [d for blocks in found.values() for d in blocks]
    assert all(mermaid.lint(d) == [] for d in diagrams)
    assert [r["type"] for r in real_mermaid(diagrams)] == ["stateDiagram", "flowchart-v2", "flowchart-v2"]
    assert "class COMPLETE current" in found["summary"][0]
    assert "F001 --> F003" in found["review report"][0]


def test_a_broken_diagram_in_a_generated_report_is_invalid(tmp_path: Path) -> None:
    kept = tmp_path / "demo"
    assert run_cli("demo", "--keep", str(kept)).code == 0
    [session] = (kept / "spec-driven/specs/meta/sessions").iterdir()
    log = session / "implementation_log.md"
    log.write_text(log.read_text().replace(" --> ", " -> ", 1))
    run = run_cli("validate", str(log))
    assert run.code == 1 and "::diagram 1: line" in run.out
