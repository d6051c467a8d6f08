"""/workflow:synthesis end to end in the real client, with a scripted model.

The scripted model does what the command body tells a model to do: it calls the specrail helpers
through Bash and writes the artifacts with Write, using the example session's model-written files
as its content. It also tries to overwrite a role analysis, which the PreToolUse hook must deny
while the synthesis runs. Its first conflict map is deliberately invalid; the PostToolUse hook
must reject it and the rejection must reach the model before it writes the corrected one.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from stand_in import Script, Turn, feedback_text, text, tool, tool_results, turn

from specrail.validation.check import check_file

if TYPE_CHECKING:
    from conftest import RunClaude

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "scripts" / "specrail" / "examples" / "synthesis"
SID = "WFS-team-notes"
MODEL_WRITTEN = ("enhancement-recommendations.json", "feature-conflict-map.json", "synthesis-changelog.md")
HOOK_REJECTION = "PostToolUse:Write hook blocking error"

REVIEW_REPORT = """# Review Report

**Complexity Score**: {score}
**Specs Reviewed**: 4
**Minor Fixes Applied**: 0
**Major Flags Raised**: 0

## Fixes Applied
- None

## Flags Raised
- None
"""


def bash(command: str) -> Turn:
    return tool("Bash", {"command": command, "description": "Run a synthesis step"})


def answer_of(body: dict[str, Any]) -> dict[str, Any]:
    """The JSON answer of the last Bash call (the tool result of the previous turn)."""
    results = tool_results(body)
    assert len(results) == 1 and not results[0]["is_error"], results
    return dict(json.loads(results[0]["text"]))


def after(check: Callable[[dict[str, Any]], None], then: Turn) -> Callable[[dict[str, Any]], Turn]:
    """A script step that checks the previous answer, then takes the next action."""

    def step(body: dict[str, Any]) -> Turn:
        check(body)
        return then

    return step


def ok(state: str) -> Callable[[dict[str, Any]], None]:
    def check(body: dict[str, Any]) -> None:
        answer = answer_of(body)
        assert answer["status"] == "ok" and answer["state"] == state, answer

    return check


def auto_mode(body: dict[str, Any]) -> None:
    answer = answer_of(body)
    assert answer["auto_mode"] is True and "--yes" in answer["next"], answer


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """The example without its model-written files, and those files' contents (relative path -> text)."""
    work = tmp_path / "work"
    shutil.copytree(EXAMPLE, work)
    bdir = work / ".workflow/active" / SID / ".brainstorming"
    written = {name: (bdir / name).read_text(encoding="utf-8") for name in MODEL_WRITTEN}
    for spec in sorted((bdir / "feature-specs").glob("*.md")):
        written[f"feature-specs/{spec.name}"] = spec.read_text(encoding="utf-8")
    for name in written:
        (bdir / name).unlink()
    return work, written


def test_synthesis_auto_mode_end_to_end(run_claude: RunClaude, project: tuple[Path, dict[str, str]]) -> None:
    work, written = project
    bdir = work / ".workflow/active" / SID / ".brainstorming"

    def write(name: str, content: str) -> Turn:
        return tool("Write", {"file_path": str(bdir / name), "content": content})

    broken = json.loads(written["feature-conflict-map.json"])
    del broken["F-004"]
    specs = sorted(name for name in written if name.startswith("feature-specs/"))
    seen: dict[str, Any] = {}

    role_analysis = bdir / "ux-expert/analysis.md"
    original = role_analysis.read_text(encoding="utf-8")

    def denied(body: dict[str, Any]) -> None:
        results = tool_results(body)
        seen["denied"] = results[0]["text"]
        assert results[0]["is_error"] and "synthesis never modifies" in results[0]["text"], results

    def saw_rejection(body: dict[str, Any]) -> Turn:
        seen["feedback"] = feedback = feedback_text(body)
        assert HOOK_REJECTION in feedback and "no entry for F-004" in feedback, feedback
        return write("feature-conflict-map.json", written["feature-conflict-map.json"])

    def review(body: dict[str, Any]) -> Turn:
        answer = answer_of(body)
        seen["complexity"] = answer
        assert answer["review_required"] is True
        return bash(f"specrail synthesis review-check --session {SID} --json")

    def write_review(body: dict[str, Any]) -> Turn:
        findings = answer_of(body)
        report = REVIEW_REPORT.format(score=findings["score"])
        results = report.split("\n", 2)[2].replace("## ", "### ")
        changelog = written["synthesis-changelog.md"].rstrip("\n") + "\n\n## Review Results\n" + results
        return turn(
            "Review done.", write("review-report.md", report), write("synthesis-changelog.md", changelog)
        )

    def finish(body: dict[str, Any]) -> Turn:
        answer = answer_of(body)
        seen["final"] = answer
        return text(answer["report"])

    script = Script(
        [
            bash(f"specrail synthesis discover --session {SID} -y --json"),
            after(ok("DISCOVERED"), tool("Read", {"file_path": str(role_analysis)})),
            write("ux-expert/analysis.md", "# rewritten by the model\n"),
            after(denied, write("feature-conflict-map.json", json.dumps(broken, indent=2))),
            saw_rejection,
            write("enhancement-recommendations.json", written["enhancement-recommendations.json"]),
            bash(f"specrail synthesis analyzed --session {SID} --json"),
            after(ok("ANALYZED"), bash(f"specrail synthesis questions --session {SID} --json")),
            after(auto_mode, bash(f"specrail synthesis answer --session {SID} --yes --json")),
            after(
                ok("CLARIFIED"),
                turn(
                    "Writing the specs.",
                    *(write(n, written[n]) for n in specs),
                    write("synthesis-changelog.md", written["synthesis-changelog.md"]),
                ),
            ),
            bash(f"specrail synthesis index --session {SID} --json"),
            after(ok("SPECS_WRITTEN"), bash(f"specrail synthesis complexity --session {SID} --json")),
            review,
            write_review,
            bash(f"specrail synthesis reviewed --session {SID} --json"),
            after(ok("REVIEWED"), bash(f"specrail synthesis finalize --session {SID} --json")),
            finish,
        ]
    )
    result = run_claude(
        f"/workflow:synthesis --session {SID} -y",
        script,
        cwd=work,
        extra_env={"SPECRAIL_BOOTSTRAP": "off"},
        timeout=240,
    )
    assert result.returncode == 0, result.describe()
    assert script.remaining == 0, result.describe()
    assert "<command-name>/workflow:synthesis</command-name>" in result.user_text(0)
    assert "specrail synthesis discover" in result.user_text(0)

    # the rejection of the invalid conflict map reached the model in the request after the Write
    assert "feature-conflict-map.json" in seen["feedback"]

    # the role analysis stayed as it was: the PreToolUse hook denied the Write and said why
    assert role_analysis.read_text(encoding="utf-8") == original
    assert "analysis.md" in seen["denied"]

    # files on disk, the index validated, the session complete
    for name in written:
        assert (bdir / name).is_file(), name
    index = bdir / "feature-index.json"
    assert check_file(index).ok
    assert [f["id"] for f in json.loads(index.read_text())["features"]] == [
        "F-001",
        "F-002",
        "F-003",
        "F-004",
    ]
    assert check_file(bdir / "feature-conflict-map.json").ok
    session = json.loads((bdir.parent / "workflow-session.json").read_text())
    assert session["state"] == "COMPLETE"
    assert [h["to"] for h in session["history"]] == [
        "DISCOVERED",
        "ANALYZED",
        "CLARIFIED",
        "SPECS_WRITTEN",
        "REVIEWED",
        "COMPLETE",
    ]
    assert session["phases"]["BRAINSTORM"]["status"] == "synthesis_completed"
    assert (bdir.parent / ".process/context-package.json").is_file()
    assert seen["final"]["complexity_score"] == seen["complexity"]["score"]
    assert result.json["result"].startswith("## Synthesis Complete")
