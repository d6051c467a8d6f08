"""/workflow:spec-driven end to end in the real client, with a scripted model.

The scripted model follows the command body: every mechanical step is a `specrail spec-driven`
call through Bash, and what a model would write (the proposal, the updated spec, the code) comes
from the sample project's scenario (`examples/spec-driven/scenario/`), written with Write. Each
step checks the JSON answer of the previous call before taking the next action, so a wrong state
fails the script. The first test goes from PENDING to COMPLETE with real commits; the second
stalls the refinement and leaves STALLED through "Accept partial".
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from specrail import trust
from specrail.spec_driven.commands import project_commands
from specrail.spec_driven.runner import listed
from specrail.validation.check import check_file
from tests.e2e.stand_in import Script, Turn, text, tool, tool_results

if TYPE_CHECKING:
    from tests.support.claude import RunClaude

pytestmark = pytest.mark.e2e

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = REPO_ROOT / "scripts" / "specrail" / "examples" / "spec-driven"


class Driver:
    """Builds the script steps: Bash calls to specrail, Writes, checks of the previous answer."""

    def __init__(self, work: Path) -> None:
        self.work = work
        self.session = ""
        self.answers: list[dict[str, Any]] = []

    def last(self, body: dict[str, Any]) -> dict[str, Any]:
        results = tool_results(body)
        assert len(results) == 1, results
        assert not results[0]["is_error"], results[0]["text"]
        answer = dict(json.loads(results[0]["text"]))
        self.answers.append(answer)
        return answer

    def sd(self, *args: str) -> Turn:
        where = ["--session", self.session] if self.session else []
        command = " ".join(["specrail spec-driven", *args, *where, "--json"])
        return tool("Bash", {"command": command, "description": f"spec-driven {args[0]}"})

    def write(self, target: str, source: str) -> Turn:
        content = (EXAMPLE / "scenario" / source).read_text(encoding="utf-8")
        return tool("Write", {"file_path": str(self.work / target), "content": content})

    def expect(self, state: str, then: Callable[[], Turn], **fields: Any) -> Callable[[dict[str, Any]], Turn]:
        """A step: the previous answer is ok, in `state`, with `fields`; then the next action."""

        def step(body: dict[str, Any]) -> Turn:
            answer = self.last(body)
            assert answer["status"] == "ok" and answer["state"] == state, answer
            for key, value in fields.items():
                assert answer[key] == value, (key, answer)
            self.session = self.session or answer["session"]
            return then()

        return step

    def wrote(self, then: Callable[[], Turn]) -> Callable[[dict[str, Any]], Turn]:
        def step(body: dict[str, Any]) -> Turn:
            results = tool_results(body)
            assert len(results) == 1 and not results[0]["is_error"], results
            return then()

        return step

    def through_proposal(self) -> list[Any]:
        """From the request to SPEC_UPDATE: the steps of phase 1."""
        return [
            self.sd('init "Add tags to notes"', "--feature", "note-tags"),
            self.expect("PENDING", lambda: self.write(f"{self.session}/proposal.md", "proposal.md")),
            self.wrote(lambda: self.sd("proposal")),
            self.expect(
                "PENDING",
                lambda: self.sd(
                    "answer-question", "--number", "1", "--answer", '"Yes, tags are stored lowercase"'
                ),
                unanswered=1,
            ),
            self.expect("PENDING", lambda: self.sd("confirm-proposal"), unanswered=0),
            self.expect("PENDING", lambda: self.sd("start-update"), ready=True),
            self.expect("SPEC_UPDATE", lambda: self.write("specs/notes.md", "specs/notes.md")),
            self.wrote(lambda: self.sd("diff")),
        ]


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def work(tmp_path: Path) -> Path:
    """The sample project (without its scenario) under git, its commands approved."""
    root = tmp_path / "notes-app"
    shutil.copytree(EXAMPLE, root, ignore=shutil.ignore_patterns("scenario", "__pycache__"))
    git(root, "init", "-q")
    git(root, "config", "user.email", "dev@example.com")
    git(root, "config", "user.name", "Dev")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "baseline")
    trust.approve(root, listed(project_commands(root)))  # as the user would with `specrail trust`
    return root


def run(run_claude: RunClaude, work: Path, script: Script) -> Any:
    result = run_claude(
        "/workflow:spec-driven Add tags to notes",
        script,
        cwd=work,
        allowed_tools=("Bash", "Read", "Write", "Edit", "Glob", "Grep"),
        extra_env={"SPECRAIL_BOOTSTRAP": "off"},
        timeout=300,
    )
    assert result.returncode == 0, result.describe()
    assert script.remaining == 0, result.describe()
    first = result.user_text(0)
    assert "<command-name>/workflow:spec-driven</command-name>" in first
    assert "specrail spec-driven init" in first and "Request and options: Add tags to notes" in first
    return result


def test_spec_driven_pending_to_complete(run_claude: RunClaude, work: Path) -> None:
    d = Driver(work)
    order = ["T-001", "T-002", "T-004", "T-003", "T-005"]
    code = {"T-001": "notes/core.py", "T-004": "tests/test_core.py", "T-005": "specs/storage.md"}

    def finish(body: dict[str, Any]) -> Turn:
        answer = d.last(body)
        assert answer["state"] == "COMPLETE", answer
        return text(f"Feature complete: {answer['summary']}")

    def no_change(body: dict[str, Any]) -> Turn:
        answer = answer_of(body)  # task-done exits 1: it asks the user
        assert answer["status"] == "fail" and answer["files_changed"] == [], answer
        assert answer["pending_decision"]["options"][0] == "No change needed", answer
        return d.sd("resolve", "--choice", '"No change needed"', "--note", '"implemented with T-001"')

    steps: list[Any] = [
        *d.through_proposal(),
        d.expect(
            "REFINING",
            lambda: d.sd(
                "refine-round",
                "--spec",
                "specs/notes.md",
                "--found",
                "2",
                "--resolved",
                "2",
                "--open-critical",
                "0",
            ),
        ),
        d.expect("ALIGNING", lambda: d.sd("align-check"), verdict="CONVERGED"),
        d.expect("IMPLEMENTING", lambda: d.sd("tasks"), ran=True),
    ]
    for i, task in enumerate(order):
        files = code.get(task, "notes/core.py")
        checks = {"order": order} if i == 0 else {"status": "ok"}
        start = functools.partial(d.sd, "task-start", task, "--files", files)
        done = functools.partial(d.sd, "task-done", task, "--files", files)
        steps.append(d.expect("IMPLEMENTING", start, **checks))
        if task in code:
            steps.append(d.expect("IMPLEMENTING", functools.partial(d.write, code[task], code[task])))
            steps.append(d.wrote(done))
        else:  # covered by T-001's change: nothing changed, so the user is asked
            steps.append(d.expect("IMPLEMENTING", done))
            steps.append(no_change)
    steps += [
        d.expect("IMPLEMENTING", lambda: d.sd("verify"), remaining=[]),
        d.expect("VALIDATING", lambda: d.sd("validate-plan")),
        d.expect("VALIDATING", lambda: d.sd("run-validations")),
        d.expect("COMMITTING", lambda: d.sd("commit-plan", "--grouping", "single")),
        d.expect(
            "COMMITTING",
            lambda: d.sd(
                "commit",
                "--confirm",
                "--grouping",
                "single",
                "--description",
                '"tag notes and filter by tag"',
            ),
        ),
        finish,
    ]
    result = run(run_claude, work, Script(steps))

    session_dir = work / d.session
    state = json.loads((session_dir / "workflow-session.json").read_text(encoding="utf-8"))
    assert state["state"] == "COMPLETE"
    assert [t["to"] for t in state["history"]] == [
        "SPEC_UPDATE",
        "REFINING",
        "ALIGNING",
        "IMPLEMENTING",
        "VALIDATING",
        "COMMITTING",
        "COMPLETE",
    ]
    assert [t["status"] for t in state["tasks"]] == ["done"] * 5
    # The tests the spec and the test file link ran under the client and prove each changed section.
    assert [(e["section"], e["status"]) for e in state["evidence"]] == [
        ("2.1", "proven"),
        ("3.1", "proven"),
        ("3.4", "proven"),
    ]
    assert "### Requirement Evidence" in (session_dir / "SUMMARY.md").read_text(encoding="utf-8")
    assert git(work, "log", "--format=%s").splitlines() == [
        "feat(notes): tag notes and filter by tag",
        "baseline",
    ]
    committed = set(git(work, "show", "--name-only", "--format=", "HEAD").split())
    assert {f for f in committed if not f.startswith(d.session + "/")} == {
        "notes/core.py",
        "specs/notes.md",
        "specs/storage.md",
        "tests/test_core.py",
    }
    assert f"{d.session}/workflow-session.json" in committed  # the record goes with the feature
    for name in (
        "proposal.md",
        "refinement_summary.md",
        "alignment_report.md",
        "implementation_log.md",
        "validation_report.md",
        "SUMMARY.md",
        "workflow-session.json",
    ):
        assert check_file(session_dir / name, root=work).ok, name
    assert "Feature complete" in result.json["result"]


def test_spec_driven_stall_and_accept_partial(run_claude: RunClaude, work: Path) -> None:
    d = Driver(work)

    def round_(found: int, resolved: int) -> Callable[[], Turn]:
        return lambda: d.sd(
            "refine-round",
            "--spec",
            "notes.md",
            "--found",
            str(found),
            "--resolved",
            str(resolved),
            "--open-critical",
            "0",
        )

    def stalled(body: dict[str, Any]) -> Turn:
        answer = d.last(body)
        assert answer["state"] == "STALLED" and answer["verdict"] == "STALLED", answer
        decision = answer["pending_decision"]
        assert decision["options"] == ["Continue", "Reduce scope", "Accept partial", "Abort"], decision
        assert answer["next"]["step"] == "resolve"
        return d.sd("resolve", "--choice", '"Accept partial"')

    def accepted(body: dict[str, Any]) -> Turn:
        answer = d.last(body)
        assert answer["state"] == "ALIGNING" and answer["choice"] == "Accept partial", answer
        return d.sd("align-check")

    def aligned(body: dict[str, Any]) -> Turn:
        answer = d.last(body)
        assert answer["state"] == "IMPLEMENTING", answer
        return text("Refinement stalled; you accepted the partial state, and alignment passed.")

    script = Script(
        [
            *d.through_proposal(),
            d.expect("REFINING", round_(4, 1)),
            d.expect("REFINING", round_(1, 1), verdict="CONTINUE"),
            d.expect("REFINING", round_(0, 0), verdict="CONTINUE"),
            d.expect("REFINING", round_(2, 2), verdict="CONTINUE"),
            stalled,
            accepted,
            aligned,
        ]
    )
    run(run_claude, work, script)
    state = json.loads((work / d.session / "workflow-session.json").read_text(encoding="utf-8"))
    assert [t["to"] for t in state["history"]] == [
        "SPEC_UPDATE",
        "REFINING",
        "STALLED",
        "ALIGNING",
        "IMPLEMENTING",
    ]
    assert state["decisions"] == [{**state["decisions"][0], "kind": "stall", "choice": "Accept partial"}]
    assert state["deferred_items"] == ["Refinement: specs/notes.md: 3 open gaps accepted (partial)"]
    summary = (work / d.session / "refinement_summary.md").read_text(encoding="utf-8")
    assert "| notes.md | 4 | 7 | 4 | ACCEPTED_PARTIAL |" in summary


# --- a Python project without .specrail.yaml: the detected check catches broken code -------------

CALC_SPEC = """# Calculator

**Version:** 1.0

## 1. Operations

`add(a, b)` returns the sum, in `calc/ops.py`.

## 2. Revision History

| Version | Date | Changes |
|---------|------|---------|
| 1.0 | 2026-01-10 | Initial specification |
"""
CALC_PROPOSAL = """## Proposal Summary

**Request:** Subtract two numbers.
**Intent:** The calculator can subtract.
**Affected Specs:**
- specs/calc.md - Section 1.1

**Key Changes:**
1. A subtract operation

**Open Questions:**
- None
"""
ADD = "def add(a, b):\n    return a + b\n"


def sd_in_process(root: Path, *args: str) -> dict[str, Any]:
    import contextlib
    import io

    from specrail.cli import main

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(["spec-driven", *args, "--root", str(root), "--json"])
    assert code == 0, out.getvalue()
    return dict(json.loads(out.getvalue()))


def answer_of(body: dict[str, Any]) -> dict[str, Any]:
    """The JSON answer in the one tool result, also when the command exited 1."""
    [result] = tool_results(body)
    start = result["text"].index("{")
    return dict(json.JSONDecoder().raw_decode(result["text"][start:])[0])


@pytest.fixture
def calc(tmp_path: Path) -> Path:
    """A small Python project with no .specrail.yaml, its session brought to phase 5 in-process."""
    root = tmp_path / "calc"
    files = {
        "pyproject.toml": '[project]\nname = "calc"\nversion = "0.1"\n',
        "specs/calc.md": CALC_SPEC,
        "calc/__init__.py": "",
        "calc/ops.py": ADD,
        "tests/__init__.py": "",
        "tests/test_ops.py": "import unittest\n\nfrom calc.ops import add\n\n\n"
        "class Ops(unittest.TestCase):\n    def test_add(self):\n        self.assertEqual(add(2, 3), 5)\n",
    }
    for name, content in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(content, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "config", "user.email", "dev@example.com")
    git(root, "config", "user.name", "Dev")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "baseline")
    label = sd_in_process(root, "init", "Subtract two numbers", "--feature", "subtract")["session"]
    (root / label / "proposal.md").write_text(CALC_PROPOSAL, encoding="utf-8")
    for step in (["proposal"], ["proposal", "--confirm"], ["start-update"]):
        sd_in_process(root, *step)
    spec = (root / "specs/calc.md").read_text(encoding="utf-8")
    spec = spec.replace("**Version:** 1.0", "**Version:** 1.1").replace(
        "## 2. Revision History",
        "### 1.1 Subtract\n\n`sub(a, b)` returns a minus b, in `calc/ops.py`.\n\n## 2. Revision History",
    )
    (root / "specs/calc.md").write_text(spec + "| 1.1 | 2026-01-20 | sub |\n", encoding="utf-8")
    for step in (
        ["diff"],
        ["refine-round", "--spec", "specs/calc.md", "--found", "0", "--resolved", "0", "--open", "none"],
        ["align-check"],
        ["tasks"],
    ):
        sd_in_process(root, *step)
    trust.approve(root, listed(project_commands(root)))  # as the user would with `specrail trust`
    return root


def test_detected_check_catches_broken_code_and_the_task_is_redone(run_claude: RunClaude, calc: Path) -> None:
    d = Driver(calc)
    d.session = sd_in_process(calc, "status")["session"]
    ops = str(calc / "calc" / "ops.py")
    broken = ADD + "\n\ndef sub(a, b):\n    return a -\n"
    fixed = ADD + "\n\ndef sub(a, b):\n    return a - b\n"

    def caught(body: dict[str, Any]) -> Turn:
        answer = answer_of(body)
        assert answer["status"] == "fail" and answer["check"]["status"] == "FAIL", answer
        assert answer["check"]["command"].startswith("python3 -m compileall"), answer["check"]
        assert "SyntaxError" in answer["check"]["output_tail"]
        assert answer["rolled_back"] is True and answer["next"]["step"] == "resolve", answer
        assert answer["pending_decision"]["options"][0] == "Diagnose & Fix"
        return d.sd("resolve", "--choice", '"Diagnose & Fix"')

    script = Script(
        [
            d.sd("status"),
            d.expect("IMPLEMENTING", lambda: d.sd("task-start", "T-001", "--files", "calc/ops.py"), phase=5),
            d.expect("IMPLEMENTING", lambda: tool("Write", {"file_path": ops, "content": broken})),
            d.wrote(lambda: d.sd("task-done", "T-001", "--files", "calc/ops.py")),
            caught,
            d.expect(
                "IMPLEMENTING",
                lambda: d.sd("task-start", "T-001", "--files", "calc/ops.py"),
                choice="Diagnose & Fix",
            ),
            d.expect("IMPLEMENTING", lambda: tool("Write", {"file_path": ops, "content": fixed})),
            d.wrote(lambda: d.sd("task-done", "T-001", "--files", "calc/ops.py")),
            d.expect("IMPLEMENTING", lambda: d.sd("verify"), remaining=[]),
            d.expect(
                "VALIDATING", lambda: text("T-001 is implemented; the check caught a syntax error first.")
            ),
        ]
    )
    result = run_claude(
        "/workflow:spec-driven --resume",
        script,
        cwd=calc,
        allowed_tools=("Bash", "Read", "Write", "Edit", "Glob", "Grep"),
        extra_env={"SPECRAIL_BOOTSTRAP": "off"},
        timeout=240,
    )
    assert result.returncode == 0, result.describe()
    assert script.remaining == 0, result.describe()
    state = json.loads((calc / d.session / "workflow-session.json").read_text(encoding="utf-8"))
    assert state["state"] == "VALIDATING" and state["config"]["commands"] == {}
    [task] = state["tasks"]
    assert (task["status"], task["attempts"], task["check"]["status"]) == ("done", 2, "PASS")
    assert "check FAIL" in task["note"] and "Diagnose & Fix" in task["note"]
    assert [(r["name"], r["status"]) for r in state["verification"]] == [
        ("check", "PASS"),
        ("test", "PASS"),
        ("lint", "NOT_CONFIGURED"),
    ]
    assert (calc / "calc" / "ops.py").read_text(encoding="utf-8") == fixed
