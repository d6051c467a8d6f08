"""Whole sessions on realistic projects, run as a user's session runs them: `specrail` from the PATH
the real SessionStart hook gives (the plugin's venv built by the hook, only its launcher on PATH),
the project's own environment for its commands.

- Python: its own `.venv` (pytest and a test-only dependency, nowhere else on the machine),
  `--color=yes` in pytest's addopts, a long report printed after the tests, the README as the spec.
- Node: package.json with a real `node --test` script, npm's lock file, the README as the spec.
- uv: detection and, without `uv` on the machine, the environment failure and its fix.

A wrong change fails `verify` with the assertion in the answer; the fixed change verifies; the session
completes; its reports carry no escape code; every record validates; a hand edit of the README
section the session implemented is reported by `drift`.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from specrail import bootstrap
from tests.support.hooks import bin_with_python, command, copy_plugin, payload

README = """\
# calc

A small calculator library.

## Usage

### Adding

`add(a, b)` returns the sum of `a` and `b`, in `{module}`.

## License

MIT
"""
SUBTRACT = (
    "### Subtracting\n\n`subtract(a, b)` returns `a` minus `b`, in `{module}`.\n\n"
    "**Tests:** `{test}`\n\n## License"
)
PROPOSAL = """\
## Proposal Summary

**Request:** Add subtraction to the calculator
**Intent:** Users can subtract two numbers.
**Affected Specs:**
- README.md - Section Usage/Subtracting

**Key Changes:**
1. A `subtract(a, b)` function

**Open Questions:**
- None
"""
CONFTEST = """\
import freezegun  # a test-only dependency: in the project's .venv, nowhere else


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line("---------- coverage: platform linux ----------")
    for i in range(300):
        terminalreporter.write_line(f"calc/module_{i:03d}.py    {i + 10:4d}    0   100%")
    terminalreporter.write_line("TOTAL    3000    0   100%")
"""
PY_TEST = """\
import datetime

import freezegun

from calc.ops import add


def test_add():
    assert add(2, 3) == 5


@freezegun.freeze_time("2026-01-01")
def test_today():
    assert datetime.date.today().year == 2026
"""
ESC = "\x1b"


class Session:
    """`specrail` run as the model runs it in a session: a Bash call with the session's PATH."""

    def __init__(self, root: Path, env: dict[str, str]) -> None:
        self.root, self.env = root, env

    def run(self, *args: str) -> tuple[int, dict[str, Any]]:
        proc = subprocess.run(
            ["specrail", *args, "--json"],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert "Traceback" not in proc.stderr, proc.stderr
        return proc.returncode, json.loads(proc.stdout)

    def ok(self, *args: str) -> dict[str, Any]:
        code, answer = self.run(*args)
        assert code == 0, answer
        return answer

    def approve(self) -> None:
        shown = self.ok("trust", "--show")
        subprocess.run(
            ["specrail", "trust", "--approve", shown["digest"]],
            cwd=self.root,
            env=self.env,
            check=True,
            capture_output=True,
        )


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, text=True).stdout


def commit_all(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "-c", "user.email=dev@example.com", "-c", "user.name=Dev", "commit", "-qm", message)


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")


@pytest.fixture(scope="session")
def session_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The environment of a session's Bash calls after the real SessionStart hook: the plugin copied
    to a cache folder, its venv built by the hook, the hook's CLAUDE_ENV_FILE applied."""
    base = tmp_path_factory.mktemp("session")
    root = copy_plugin(base / "cache" / "workflow" / "0a1b2c3d4e5f")
    data, env_file, work = base / "data", base / "session-env.sh", base / "work"
    work.mkdir()
    machine_path = bin_with_python(base)  # python3, /usr/bin, /bin: no specrail, no project tool
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("CLAUDE") and k not in ("PYTHONPATH", "VIRTUAL_ENV")
    }
    env.update(PATH=machine_path, CLAUDE_PLUGIN_ROOT=str(root), CLAUDE_PLUGIN_DATA=str(data))
    hook = subprocess.run(
        ["/bin/sh", "-c", command("SessionStart")],
        input=json.dumps(payload("session-start-startup", work)).encode(),
        env={**env, "CLAUDE_ENV_FILE": str(env_file)},
        cwd=work,
        capture_output=True,
        timeout=600,
    )
    assert hook.returncode == 0 and bootstrap.up_to_date(str(data)), hook.stderr.decode()
    shell = subprocess.run(
        ["/bin/sh", "-c", f'. "{env_file}"; printf %s "$PATH"'],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    env["PATH"] = shell.stdout
    env["GIT_CONFIG_GLOBAL"] = os.devnull
    return env


@pytest.fixture(scope="session")
def python_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A Python project with its own .venv (pytest, freezegun), built once per test run."""
    root = tmp_path_factory.mktemp("calc-py") / "calc"
    write(
        root,
        {
            "pyproject.toml": '[project]\nname = "calc"\nversion = "0.1.0"\n\n'
            '[tool.pytest.ini_options]\naddopts = "--color=yes -ra"\ntestpaths = ["tests"]\n',
            "calc/__init__.py": '"""A small calculator."""\n',
            "calc/ops.py": "def add(a, b):\n    return a + b\n",
            "tests/conftest.py": CONFTEST,
            "tests/test_ops.py": PY_TEST,
            "README.md": README.format(module="calc/ops.py"),
            ".gitignore": ".venv/\n__pycache__/\n.pytest_cache/\n",
        },
    )
    subprocess.run([sys.executable, "-m", "venv", str(root / ".venv")], check=True)
    pip = [str(root / ".venv" / "bin" / "python"), "-m", "pip", "install", "-q", "pytest", "freezegun"]
    installed = subprocess.run(pip, capture_output=True, text=True, timeout=300)
    if installed.returncode != 0:
        pytest.skip(f"pytest and freezegun cannot be installed here: {installed.stderr[-300:]}")
    git(root, "init", "-q")
    commit_all(root, "baseline")
    return root


def drive(
    s: Session, module: str, wrong: Callable[[], None], fix: Callable[[], None]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The session from init to the verification of a wrong change: (task-done answer, failed verify)."""
    started = s.ok("spec-driven", "init", "Add subtraction to the calculator", "--feature", "subtract")
    folder = s.root / started["session"]
    (folder / "proposal.md").write_text(PROPOSAL, encoding="utf-8")
    s.ok("spec-driven", "proposal")
    s.ok("spec-driven", "proposal", "--confirm")
    s.ok("spec-driven", "start-update")
    readme = s.root / "README.md"
    # The section names its test (node's report names no file: the test's name alone).
    linked = "tests/test_ops.py::test_subtract" if module.endswith(".py") else "subtracts"
    readme.write_text(
        readme.read_text().replace("## License", SUBTRACT.format(module=module, test=linked)),
        encoding="utf-8",
    )
    s.ok("spec-driven", "diff")
    s.ok("spec-driven", "refine-round", "--spec", "README.md", "--found", "0", "--resolved", "0", "--open=")
    s.ok("spec-driven", "align-check")
    s.ok("spec-driven", "tasks")
    s.approve()
    tests = "tests/test_ops.py" if module.endswith(".py") else "test/calc.test.js"
    s.ok("spec-driven", "task-start", "T-001", "--files", f"{module},{tests}")
    wrong()
    done = s.ok("spec-driven", "task-done", "T-001", "--files", f"{module},{tests}")
    code, failed = s.run("spec-driven", "verify")
    assert code == 1 and failed["failed"] == ["test"], failed
    fix()
    return done, failed


def finish(s: Session, module: str) -> Path:
    """Verify the fixed change, validate, commit: the session COMPLETE; its folder."""
    assert s.ok("spec-driven", "verify")["state"] == "VALIDATING"
    s.ok("spec-driven", "validate-plan")
    assert s.ok("spec-driven", "run-validations")["state"] == "COMMITTING"
    s.ok("spec-driven", "commit-plan")
    git(s.root, "config", "user.email", "dev@example.com")
    git(s.root, "config", "user.name", "Dev")
    done = s.ok("spec-driven", "commit", "--confirm")
    assert done["state"] == "COMPLETE"
    folder = next((s.root / "specs" / "meta" / "sessions").iterdir())
    records = [p for p in git(s.root, "ls-files", str(folder)).split() if not p.endswith(".gitignore")]
    for record in records:
        assert ESC not in (s.root / record).read_text(encoding="utf-8"), record
    records = [p for p in records if "/snapshots/" not in p]
    checked = subprocess.run(
        ["specrail", "validate", *records], cwd=s.root, env=s.env, capture_output=True, text=True
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "v(new)" not in (folder / "SUMMARY.md").read_text(encoding="utf-8")
    # A hand edit of the README section the session implemented is drift.
    readme = s.root / "README.md"
    readme.write_text(readme.read_text().replace("returns `a` minus `b`", "returns `b` minus `a`"))
    commit_all(s.root, "reword the subtraction")
    code, drift = s.run("drift")
    assert code == 1 and [hit["file"] for hit in drift["specs"]] == ["README.md"], drift
    return folder


def test_python_project_in_its_own_venv(session_env: dict[str, str], python_project: Path) -> None:
    env = {**session_env}
    which = subprocess.run(["/bin/sh", "-c", "command -v python3"], env=env, capture_output=True, text=True)
    assert not which.stdout.startswith(env["CLAUDE_PLUGIN_DATA"]), "the plugin's python is not the project's"
    s = Session(python_project, env)
    ops, tests = python_project / "calc/ops.py", python_project / "tests/test_ops.py"

    def wrong() -> None:
        ops.write_text(ops.read_text() + "\n\ndef subtract(a, b):\n    return b - a\n")
        tests.write_text(
            tests.read_text() + "\n\ndef test_subtract():\n    from calc.ops import subtract\n\n"
            "    assert subtract(5, 3) == 2\n"
        )

    def fix() -> None:
        ops.write_text(ops.read_text().replace("return b - a", "return a - b"))

    done, failed = drive(s, "calc/ops.py", wrong, fix)
    assert done["check"]["command"].startswith(".venv/bin/python -m compileall")
    shown = failed["output"]["test"]
    assert ">       assert subtract(5, 3) == 2" in shown and "E       assert -2 == 2" in shown, shown
    assert "TOTAL    3000" in shown and ESC not in shown and len(shown) <= 1600
    assert failed["environment"] == []
    finish(s, "calc/ops.py")
    collected = subprocess.run(
        [".venv/bin/python", "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=python_project,
        capture_output=True,
        text=True,
    )
    assert collected.stdout.count("::") == 3, collected.stdout  # the project's tests, nothing else


NODE_TEST = """\
const test = require("node:test");
const assert = require("node:assert");
const { add } = require("../src/calc.js");

test("adds", () => {
  assert.strictEqual(add(2, 3), 5);
});
"""


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_node_project_with_node_test(session_env: dict[str, str], tmp_path: Path) -> None:
    root = tmp_path / "calc"
    package = {"name": "calc", "version": "0.1.0", "scripts": {"test": "node --test"}}
    write(
        root,
        {
            "package.json": json.dumps(package, indent=2) + "\n",
            "package-lock.json": json.dumps({"name": "calc", "lockfileVersion": 3, "packages": {}}) + "\n",
            "src/calc.js": "function add(a, b) {\n  return a + b;\n}\n\nmodule.exports = { add };\n",
            "test/calc.test.js": NODE_TEST,
            "README.md": README.format(module="src/calc.js"),
        },
    )
    git(root, "init", "-q")
    commit_all(root, "baseline")
    s = Session(root, {**session_env})
    src, tests = root / "src/calc.js", root / "test/calc.test.js"

    def wrong() -> None:
        src.write_text(
            src.read_text().replace(
                "module.exports = { add };",
                "function subtract(a, b) {\n  return b - a;\n}\n\nmodule.exports = { add, subtract };",
            )
        )
        tests.write_text(
            tests.read_text().replace("{ add }", "{ add, subtract }")
            + '\ntest("subtracts", () => {\n  assert.strictEqual(subtract(5, 3), 2);\n});\n'
        )

    def fix() -> None:
        src.write_text(src.read_text().replace("return b - a", "return a - b"))

    done, failed = drive(s, "src/calc.js", wrong, fix)
    assert done["check"]["command"] == "fallback syntax check: src/calc.js test/calc.test.js"
    assert done["check_note"].startswith("the incremental check did not run: no `check` command detected")
    assert done["check_note"].endswith("ran instead: `node --check` on 2 file(s)")
    assert [c["run"] for c in s.ok("trust", "--show")["commands"] if c["name"] == "test"] == ["npm test"]
    shown = failed["output"]["test"]
    assert "-2 !== 2" in shown and ESC not in shown, shown  # the assertion, as plain text
    finish(s, "src/calc.js")


def test_uv_project_detection_and_missing_uv(session_env: dict[str, str], tmp_path: Path) -> None:
    """`uv run` for a project with uv.lock; without uv on the machine, the failure says so."""
    root = tmp_path / "calc"
    write(
        root,
        {
            "pyproject.toml": '[project]\nname = "calc"\nversion = "0.1.0"\n[tool.pytest.ini_options]\n',
            "uv.lock": "version = 1\n",
            "calc/__init__.py": "",
            "README.md": README.format(module="calc/ops.py"),
        },
    )
    git(root, "init", "-q")
    commit_all(root, "baseline")
    s = Session(root, {**session_env})
    shown = s.ok("spec-driven", "init", "Add subtraction to the calculator")["commands"]
    assert shown["runner"] == {
        "ecosystem": "python",
        "run": "uv run --frozen python",
        "why": "uv.lock at the root: uv runs the project",
    }
    test = next(c for c in shown["commands"] if c["name"] == "test")
    assert test["run"] == "uv run --frozen python -m pytest -q --color=no"
    if shutil.which("uv", path=session_env["PATH"]):
        pytest.skip("uv is installed here: its whole session is not covered by this test")
    s.approve()
    from specrail.spec_driven.commands import project_commands
    from specrail.spec_driven.runner import environment_failures, run

    result = run("test", test["run"], root)
    assert result.environment == "command not found: uv is not installed or not on PATH"
    [failure] = environment_failures([result], project_commands(root), ["Fix & Retry"])
    assert "uv run --frozen python: uv.lock at the root" in str(failure["fix"])
