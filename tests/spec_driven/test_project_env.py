"""The project's commands start in the project's environment: its interpreter or runner, chosen from
its own files, shown by `init` with the reason; lint never rewrites files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from specrail.spec_driven.commands import project_commands
from tests.support.cli import run_cli

PYPROJECT = "[project]\nname = 'calc'\n[tool.pytest.ini_options]\n[tool.ruff]\nfix = true\n[tool.mypy]\n"


@pytest.fixture(autouse=True)
def no_active_venv(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VIRTUAL_ENV", raising=False)


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def runs(root: Path) -> dict[str, str]:
    return {c.name: c.run for c in project_commands(root).commands}


def runner(root: Path) -> tuple[str, str]:
    found = project_commands(root).runner
    assert found is not None
    return found.run, found.why


@pytest.mark.parametrize(
    ("files", "python", "why"),
    [
        ({".venv/bin/python": ""}, ".venv/bin/python", "virtual environment .venv/"),
        ({"venv/Scripts/python.exe": ""}, "venv/Scripts/python.exe", "virtual environment venv/"),
        ({"uv.lock": ""}, "uv run --frozen python", "uv.lock"),
        ({"poetry.lock": ""}, "poetry run python", "poetry.lock"),
        ({"pdm.lock": ""}, "pdm run python", "pdm.lock"),
        ({"hatch.toml": "[envs.default]\n"}, "hatch run python", "hatch"),
        ({}, "python3", "no virtual environment"),
        ({".venv/bin/python": "", "uv.lock": ""}, ".venv/bin/python", ".venv/"),
    ],
)
def test_python_commands_use_the_projects_interpreter(
    tmp_path: Path, files: dict[str, str], python: str, why: str
) -> None:
    write(tmp_path, {"pyproject.toml": PYPROJECT, **files})
    assert runner(tmp_path)[0] == python and why in runner(tmp_path)[1]
    found = runs(tmp_path)
    assert found["test"] == f"{python} -m pytest -q --color=no"
    assert found["lint"] == f"{python} -m ruff check --no-fix ."  # whatever `fix = true` says
    assert found["typecheck"] == f"{python} -m mypy ."
    assert found["check"].startswith(f"{python} -m compileall -q")


def test_hatch_environments_in_pyproject(tmp_path: Path) -> None:
    write(tmp_path, {"pyproject.toml": PYPROJECT + "[tool.hatch.envs.default]\n"})
    assert runner(tmp_path)[0] == "hatch run python"


def test_an_active_virtual_environment_comes_first(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = write(tmp_path / "project", {"pyproject.toml": PYPROJECT, ".venv/bin/python": ""})
    active = write(tmp_path / "envs" / "calc env", {"bin/python": ""})
    monkeypatch.setenv("VIRTUAL_ENV", str(active))
    python, why = runner(project)
    assert python == f"'{active}/bin/python'" and "$VIRTUAL_ENV" in why
    assert runs(project)["test"] == f"'{active}/bin/python' -m pytest -q --color=no"


@pytest.mark.parametrize(
    ("files", "manager", "test"),
    [
        ({"pnpm-lock.yaml": ""}, "pnpm", "pnpm test"),
        ({"yarn.lock": ""}, "yarn", "yarn test"),
        ({"bun.lockb": ""}, "bun", "bun run test"),
        ({"package-lock.json": "{}"}, "npm", "npm test"),
        ({}, "npm", "npm test"),
    ],
)
def test_node_package_manager_from_the_lock_file(
    tmp_path: Path, files: dict[str, str], manager: str, test: str
) -> None:
    package = {"scripts": {"test": "node --test", "lint": "eslint ."}}
    write(tmp_path, {"package.json": json.dumps(package), **files})
    assert runner(tmp_path)[0] == manager
    assert runs(tmp_path)["test"] == test
    assert runs(tmp_path)["lint"] == f"{manager} run lint"


def test_package_manager_field_wins(tmp_path: Path) -> None:
    package = {"packageManager": "pnpm@9.1.0", "scripts": {"test": "node --test"}}
    write(tmp_path, {"package.json": json.dumps(package), "package-lock.json": "{}"})
    assert runner(tmp_path) == ("pnpm", "package.json packageManager 'pnpm@9.1.0'")


def test_eslint_fix_in_the_lint_script_is_dropped(tmp_path: Path) -> None:
    package = {"scripts": {"lint": "eslint --fix src --ext .js", "test": "node --test"}}
    write(tmp_path, {"package.json": json.dumps(package)})
    lint = runs(tmp_path)["lint"]
    assert "--fix" not in lint and lint.endswith("eslint src --ext .js")
    assert lint.startswith('PATH="$PWD/node_modules/.bin:$PATH" ')


def test_node_tools_from_node_modules_bin(tmp_path: Path) -> None:
    files = {
        "package.json": json.dumps({"scripts": {"test": "node --test"}}),
        "eslint.config.js": "export default [];\n",
        "tsconfig.json": "{}",
        "node_modules/.bin/eslint": "",
        "node_modules/.bin/tsc": "",
    }
    write(tmp_path, files)
    found = runs(tmp_path)
    assert found["lint"] == "node_modules/.bin/eslint ."
    assert found["typecheck"] == found["check"] == "node_modules/.bin/tsc --noEmit"


@pytest.mark.parametrize("as_json", [True, False])
def test_init_shows_the_interpreter_and_why(tmp_path: Path, as_json: bool) -> None:
    write(tmp_path, {"pyproject.toml": PYPROJECT, ".venv/bin/python": "", "README.md": "# Calc\n"})
    answer = run_cli("spec-driven", "init", "Add subtraction", "--root", str(tmp_path), *["--json"][:as_json])
    assert answer.code == 0, answer
    if as_json:
        shown = json.loads(answer.out)["commands"]["runner"]
        why = "the project's virtual environment .venv/"
        assert shown == {"ecosystem": "python", "run": ".venv/bin/python", "why": why}
        return
    text = answer
    assert "runs with: .venv/bin/python (the project's virtual environment .venv/)" in text.out, text.out
