"""The sample spec-driven project under git, driven through `specrail spec-driven ...` in-process."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

from specrail import trust
from specrail.cli import main
from specrail.errors import SpecrailError
from specrail.spec_driven.commands import project_commands
from specrail.spec_driven.runner import listed
from tests.support.cli import REPO, Result

EXAMPLE = REPO / "scripts" / "specrail" / "examples" / "spec-driven"
SESSIONS = Path("specs/meta/sessions")

# The happy path of the scenario, one step per state the session leaves.
HAPPY_PATH = ("PENDING", "SPEC_UPDATE", "REFINING", "ALIGNING", "IMPLEMENTING", "VALIDATING", "COMMITTING")


class Project:
    """A copy of examples/spec-driven under git, driven through `specrail spec-driven ...`.

    `advance(state)` on an untouched project copies a cached project already in that state
    (built once per test run), so tests start where they need to without replaying the scenario.
    """

    def __init__(self, root: Path, cache: dict[str, Path] | None = None) -> None:
        self.root = root
        self.cache = cache
        self.pristine = True
        self.trusted = True  # the user approved the project's commands (`specrail trust`)

    # --- running ---------------------------------------------------------------------------

    def run(self, *args: str, as_json: bool = True) -> Result:
        self.pristine = False
        if self.trusted:
            with contextlib.suppress(SpecrailError):  # a test of a bad configuration
                trust.approve(self.root, listed(project_commands(self.root)))
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["spec-driven", *args, "--root", str(self.root), *(["--json"] if as_json else [])])
        assert "Traceback" not in err.getvalue(), err.getvalue()
        return Result(code, out.getvalue(), err.getvalue())

    def ok(self, *args: str) -> dict[str, Any]:
        answer = self.run(*args)
        assert answer.code == 0, answer.out + answer.err
        return answer.json

    def fails(self, *args: str, code: int = 1) -> Result:
        answer = self.run(*args)
        assert answer.code == code, answer.out + answer.err
        return answer

    # --- files -----------------------------------------------------------------------------

    @property
    def session_dir(self) -> Path:
        found = sorted((self.root / SESSIONS).glob("*/workflow-session.json"))
        assert found, "no session yet"
        return found[-1].parent

    def session(self) -> dict[str, Any]:
        return dict(json.loads((self.session_dir / "workflow-session.json").read_text(encoding="utf-8")))

    @property
    def state(self) -> str:
        return str(self.session()["state"])

    def scenario(self, path: str, target: str | None = None) -> None:
        """Copy scenario/PATH over the project's file (or to TARGET)."""
        self.pristine = False
        destination = self.root / (target or path)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.root / "scenario" / path, destination)

    def write(self, path: str, text: str) -> Path:
        self.pristine = False
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return target

    def edit(self, path: str, old: str, new: str) -> None:
        self.pristine = False
        target = self.root / path
        text = target.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {path}"
        target.write_text(text.replace(old, new), encoding="utf-8")

    def snapshot_files(self) -> dict[str, bytes]:
        """Every file under the project (but .git and the session lock, which a refused step
        takes too), to prove a refused step wrote nothing."""
        return {
            p.relative_to(self.root).as_posix(): p.read_bytes()
            for p in sorted(self.root.rglob("*"))
            if p.is_file()
            and ".git" not in p.relative_to(self.root).parts
            and "__pycache__" not in p.parts
            and p.suffix != ".lock"
        }

    # --- the scenario, step by step --------------------------------------------------------

    def advance(self, until: str) -> None:
        """Drive the scenario's happy path until the session is in state `until`."""
        steps = {
            "PENDING": self._to_spec_update,
            "SPEC_UPDATE": self._to_refining,
            "REFINING": self._to_aligning,
            "ALIGNING": lambda: self.ok("align-check"),
            "IMPLEMENTING": self._to_validating,
            "VALIDATING": lambda: self.ok("run-validations"),
            "COMMITTING": lambda: self.ok("commit", "--confirm"),
        }
        if self.pristine and self.cache is not None:
            cached = self.cached(until)
            shutil.rmtree(self.root)
            shutil.copytree(cached, self.root, symlinks=True)
            self.pristine = False
            return
        if not (self.root / SESSIONS).exists():
            self.ok("init", "Add tags to notes", "--feature", "note-tags")
        while self.state != until:
            state = self.state
            assert state in steps, f"cannot advance from {state} to {until}"
            steps[state]()
            assert self.state != state, f"stuck in {state}"

    def cached(self, state: str) -> Path:
        """A project in `state` along the happy path, built once from the previous state's copy."""
        assert self.cache is not None
        if state not in self.cache:
            base = self.cache["_pristine"].parent
            target = base / state
            index = HAPPY_PATH.index(state) if state in HAPPY_PATH else len(HAPPY_PATH)
            source = self.cached(HAPPY_PATH[index - 1]) if index > 0 else self.cache["_pristine"]
            shutil.copytree(source, target, symlinks=True)
            builder = Project(target)
            if index > 0:
                builder.pristine = False
                builder.advance(state)
            else:
                builder.ok("init", "Add tags to notes", "--feature", "note-tags")
            self.cache[state] = target
        return self.cache[state]

    def _to_spec_update(self) -> None:
        self.scenario("proposal.md", f"{self.session_dir.relative_to(self.root)}/proposal.md")
        self.ok("proposal")
        self.ok("answer-question", "--number", "1", "--answer", "Yes, tags are stored lowercase")
        self.ok("proposal", "--confirm")
        self.ok("start-update")

    def _to_refining(self) -> None:
        self.scenario("specs/notes.md")
        self.ok("diff")

    def _to_aligning(self) -> None:
        self.ok(
            "refine-round", "--spec", "notes.md", "--found", "2", "--resolved", "2", "--open-critical", "0"
        )

    def _to_validating(self) -> None:
        self.ok("tasks")
        self.ok("task-start", "T-001", "--files", "notes/core.py")
        self.scenario("notes/core.py")
        self.ok("task-done", "T-001")
        for task in ("T-002", "T-004", "T-003"):
            self.ok("task-start", task)
            if task == "T-004":
                self.scenario("tests/test_core.py")
                self.ok("task-done", task)
            else:  # T-001's change covered it: nothing changed, so the user says whether that is right
                self.no_change(task, "implemented with T-001")
        # The MEDIUM alignment finding queued for phase 5 (the demo and the real-client test fix it
        # with scenario/specs/storage.md; here it is closed without a change).
        self.ok("task-start", "T-005")
        self.no_change("T-005", "reference left for the storage spec's next revision")
        self.ok("verify")

    def no_change(self, task: str, why: str) -> None:
        """`task-done` of a task that changed nothing, then the user's "No change needed"."""
        asked = self.fails("task-done", task).json
        assert asked["pending_decision"]["options"][0] == "No change needed", asked
        self.ok("resolve", "--choice", "No change needed", "--note", why)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def copy_project(target: Path) -> Path:
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("__pycache__", "meta"))
    git(target, "init", "-q")
    git(target, "config", "user.email", "dev@example.com")
    git(target, "config", "user.name", "Dev")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "baseline")
    return target


def approve_shown(root: Path) -> str:
    """Approve the list `trust --show` gives, by its digest, as a user who read it would."""
    from tests.support.cli import run_cli

    digest = str(run_cli("trust", "--show", "--root", str(root), "--json").json["digest"])
    done = run_cli("trust", "--root", str(root), "--approve", digest, "--json")
    assert done.code == 0, done.out + done.err
    return digest
