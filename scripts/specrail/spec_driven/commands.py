"""The project's commands: configured in `.specrail.yaml`, else detected from the project's own files.

`project_commands` is the one source of every command the workflow runs (the incremental check,
the full verification, the validations). It reads the configuration afresh each time: the session
file records command names only, never the commands themselves.

Detection (the first manifest found at the root wins; a Makefile target only fills a gap):

- pyproject.toml / setup.cfg / setup.py, run with the project's interpreter (`environments.python`):
  check `compileall` over the project's files; test `pytest -q --color=no` when the project uses
  pytest, else `unittest discover`; lint `ruff check --no-fix` and typecheck `mypy` when configured.
- package.json: its `typecheck` script (as check and typecheck), `test` script (not npm's
  placeholder) and `lint` script (a `--fix` in it dropped), run with the package manager of the
  lock file; else eslint and tsc from `node_modules/.bin` when the project configures them.
- Cargo.toml: `cargo check`, `cargo test`, `cargo clippy`.
- go.mod: `go vet ./...` (check), `go test ./...`.
- Makefile: its `check`, `test` and `lint` targets.

Each detected command also answers to an ecosystem name (`cargo_test`, `pytest`, `npm_test`,
`go_vet`, `make_test`, ...), so a configuration naming validations that way resolves.
"""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from specrail.errors import SpecrailError
from specrail.fileio import read_text
from specrail.models.config import SpecDrivenConfig
from specrail.spec_driven import environments
from specrail.spec_driven.environments import Launch

Source = Literal["configured", "detected"]
DEFAULT_TIMEOUT = 600
NPM_PLACEHOLDER = "no test specified"
# compileall skips hidden folders, virtual environments, dependencies and build output.
COMPILE_EXCLUDE = r"(^|/)(\.[^/]+|venv|env|node_modules|build|dist|site-packages|__pycache__)(/|$)"
FIX_OPTION = re.compile(r"\s--fix(?:-dry-run|-type(?:=|\s+)\S+)?(?=\s|$)")
ESLINT_CONFIGS = (
    "eslint.config.js",
    "eslint.config.mjs",
    "eslint.config.cjs",
    ".eslintrc.js",
    ".eslintrc.json",
)
Found = dict[str, tuple[str, str]]
Probe = tuple[str, Found, Launch | None]


@dataclass(frozen=True)
class ProjectCommand:
    name: str
    run: str
    source: Source
    origin: str  # where it comes from: ".specrail.yaml", "pyproject.toml", "package.json scripts.test"
    required: bool = False
    timeout: int = DEFAULT_TIMEOUT
    report: str | None = None  # a JUnit XML file the command writes (`commands.NAME.report`)
    body: tuple[str, ...] = ()  # what `run` hands over to: a Makefile recipe, a package.json script

    @property
    def shown(self) -> str:
        """The command as it will run: its text, then the body it hands over to, line by line."""
        from specrail.trust import BODY_SEP

        return BODY_SEP.join((self.run, *self.body))


@dataclass
class ProjectCommands:
    """The effective commands, and the names the configuration uses that have none."""

    commands: list[ProjectCommand]
    missing: list[str] = field(default_factory=list)
    ecosystem: str | None = None
    runner: Launch | None = None
    # Which names run when, from `.specrail.yaml`: part of what the user approves.
    policy: list[tuple[str, str]] = field(default_factory=list)

    def get(self, name: str) -> ProjectCommand | None:
        return next((c for c in self.commands if c.name == name), None)

    def as_json(self) -> dict[str, Any]:
        return {
            "ecosystem": self.ecosystem,
            "runner": self.runner.as_json() if self.runner else None,
            "commands": [
                {
                    "name": c.name,
                    "run": c.run,
                    "source": c.source,
                    "origin": c.origin,
                    "required": c.required,
                    "timeout": c.timeout,
                    "body": list(c.body),
                }
                for c in self.commands
            ],
            "missing": self.missing,
            "policy": dict(self.policy),
        }


# --- detection -------------------------------------------------------------------------------


def _read(path: Path) -> str:
    try:
        return read_text(path, str(path), errors="replace")
    except SpecrailError:
        return ""


def _python(root: Path) -> Probe | None:
    manifests = [n for n in ("pyproject.toml", "setup.cfg", "setup.py") if (root / n).is_file()]
    if not manifests:
        return None
    origin = manifests[0]
    texts = "\n".join(
        _read(root / n) for n in (*manifests, "tox.ini", "requirements-dev.txt", "requirements.txt")
    )
    pyproject: dict[str, Any] = {}
    if (root / "pyproject.toml").is_file():
        try:
            pyproject = tomllib.loads(_read(root / "pyproject.toml"))
        except tomllib.TOMLDecodeError:
            pyproject = {}
    tool = pyproject.get("tool", {}) if isinstance(pyproject.get("tool"), dict) else {}
    launch = environments.python(root, pyproject)
    py = launch.run
    # checked-hash: the byte code the check writes is validated against the source's hash, so an
    # edit of the same size in the same second is never run from a stale copy by the tests.
    found = {
        "check": (f"{py} -m compileall -q --invalidation-mode checked-hash -x '{COMPILE_EXCLUDE}' .", origin)
    }
    uses_pytest = (
        "pytest" in tool
        or (root / "pytest.ini").is_file()
        or (root / "conftest.py").is_file()
        or (root / "tests" / "conftest.py").is_file()
        or re.search(r"\bpytest\b", texts) is not None
    )
    if uses_pytest:
        found["test"] = (f"{py} -m pytest -q --color=no", origin)
    elif (root / "tests").is_dir():
        top = " -t ." if (root / "tests" / "__init__.py").is_file() else ""
        found["test"] = (f"{py} -m unittest discover -q -s tests{top}", origin)
    else:
        found["test"] = (f"{py} -m unittest discover -q", origin)
    if "ruff" in tool or (root / "ruff.toml").is_file() or (root / ".ruff.toml").is_file():
        found["lint"] = (f"{py} -m ruff check --no-fix .", origin)
    if "mypy" in tool or (root / "mypy.ini").is_file():
        found["typecheck"] = (f"{py} -m mypy .", origin)
    return "python", found, launch


def _node(root: Path) -> Probe | None:
    path = root / "package.json"
    if not path.is_file():
        return None
    try:
        package = json.loads(_read(path))
    except ValueError:
        package = {}
    package = package if isinstance(package, dict) else {}
    listed = package.get("scripts")
    scripts: dict[str, Any] = listed if isinstance(listed, dict) else {}
    launch = environments.node(root, package)
    tool = launch.run
    found = {}
    for name, script in (
        ("check", "typecheck"),
        ("test", "test"),
        ("lint", "lint"),
        ("typecheck", "typecheck"),
    ):
        body = scripts.get(script)
        if isinstance(body, str) and body.strip() and NPM_PLACEHOLDER not in body:
            run = f"{tool} test" if script == "test" and tool != "bun" else f"{tool} run {script}"
            origin = f"package.json scripts.{script}"
            if FIX_OPTION.search(f" {body}"):  # lint never rewrites the project's files
                run = 'PATH="$PWD/node_modules/.bin:$PATH" ' + FIX_OPTION.sub("", f" {body}").strip()
                origin += " without --fix"
            found[name] = (run, origin)
    eslint = environments.node_tool(root, "eslint")
    if "lint" not in found and eslint and any((root / n).is_file() for n in ESLINT_CONFIGS):
        found["lint"] = (f"{eslint} .", "eslint in node_modules/.bin")
    tsc = environments.node_tool(root, "tsc")
    if "typecheck" not in found and tsc and (root / "tsconfig.json").is_file():
        found["typecheck"] = (f"{tsc} --noEmit", "tsc in node_modules/.bin, tsconfig.json")
        found.setdefault("check", found["typecheck"])
    return "node", found, launch


def _rust(root: Path) -> Probe | None:
    if not (root / "Cargo.toml").is_file():
        return None
    found = {
        "check": ("cargo check", "Cargo.toml"),
        "test": ("cargo test", "Cargo.toml"),
        "lint": ("cargo clippy", "Cargo.toml"),
    }
    return "rust", found, Launch("rust", "cargo", "Cargo.toml at the root")


def _go(root: Path) -> Probe | None:
    if not (root / "go.mod").is_file():
        return None
    found = {"check": ("go vet ./...", "go.mod"), "test": ("go test ./...", "go.mod")}
    return "go", found, Launch("go", "go", "go.mod at the root")


def make_targets(root: Path) -> set[str]:
    for name in ("GNUmakefile", "makefile", "Makefile"):
        if (root / name).is_file():
            return set(re.findall(r"^([A-Za-z0-9_.-]+)\s*:(?!=)", _read(root / name), re.MULTILINE))
    return set()


ECOSYSTEMS = (_python, _node, _rust, _go)
# The ecosystem name of each detected command, for configurations that name validations that way.
ALIASES = {
    ("python", "check"): "compileall",
    ("node", "test"): "npm_test",
    ("node", "lint"): "npm_lint",
    ("node", "typecheck"): "npm_typecheck",
    ("rust", "check"): "cargo_check",
    ("rust", "test"): "cargo_test",
    ("rust", "lint"): "cargo_clippy",
    ("go", "check"): "go_vet",
    ("go", "test"): "go_test",
}


def detect(root: Path) -> tuple[str | None, list[ProjectCommand], Launch | None]:
    """The commands the project's own files imply (see the table above), and how they start."""
    ecosystem: str | None = None
    found: Found = {}
    launch: Launch | None = None
    for probe in ECOSYSTEMS:
        hit = probe(root)
        if hit:
            ecosystem, found, launch = hit
            break
    targets = make_targets(root)
    for target in ("check", "test", "lint"):
        if target in targets and target not in found:
            found[target] = (f"make {target}", f"Makefile target {target}")
    out = []
    for name, (run, origin) in found.items():
        out.append(ProjectCommand(name, run, "detected", origin))
        alias = ALIASES.get((ecosystem or "", name))
        if name == "test" and ecosystem == "python":
            alias = "pytest" if "pytest" in run else "unittest"
        if run.startswith("make "):
            alias = f"make_{name}"
        if alias:
            out.append(ProjectCommand(alias, run, "detected", origin))
    return (ecosystem, out, launch) if found else (None, out, None)


# --- resolution ------------------------------------------------------------------------------


def used_names(config: SpecDrivenConfig) -> list[str]:
    """Every command name the workflow will run: the check, the verification, the validations."""
    names = ["check", *config.implementation.verify, *config.validation.required]
    names += [c.name for c in config.validation.conditions]
    return list(dict.fromkeys(names))


def policy(config: SpecDrivenConfig) -> list[tuple[str, str]]:
    """Which command names the workflow runs when: shown with the commands and approved with them."""
    return [
        ("verify", ", ".join(config.implementation.verify) or "(none)"),
        ("required", ", ".join(config.validation.required) or "(none)"),
        ("conditional", ", ".join(c.name for c in config.validation.conditions) or "(none)"),
    ]


def project_commands(root: Path, config: SpecDrivenConfig | None = None) -> ProjectCommands:
    """The project's effective commands: `.specrail.yaml`'s, then detected ones for the names it
    leaves open. Which names are used and required comes from `.specrail.yaml` as well, never from
    a session record's copy (`config` is accepted for the callers' convenience and not trusted)."""
    from specrail.spec_driven.bodies import body
    from specrail.spec_driven.session import CONFIG_FILE, load_config

    del config
    configured = load_config(root)
    names_from = configured
    required = set(names_from.validation.required)
    commands: dict[str, ProjectCommand] = {}
    for name, entry in configured.commands.items():
        commands[name] = ProjectCommand(
            name, entry.run, "configured", CONFIG_FILE, timeout=entry.timeout, report=entry.report
        )
    for cond in configured.validation.conditions:
        if cond.run and cond.name not in commands:
            commands[cond.name] = ProjectCommand(
                cond.name, cond.run, "configured", f"{CONFIG_FILE} validation.conditional"
            )
    ecosystem, detected, launch = detect(root)
    for command in detected:
        commands.setdefault(command.name, command)
    used = used_names(names_from)
    ordered = [commands[n] for n in used if n in commands]
    ordered += [c for n, c in commands.items() if n not in used and c.source == "configured"]
    aliases = set(ALIASES.values()) | {"pytest", "unittest", "make_check", "make_test", "make_lint"}
    ordered += [
        c for n, c in commands.items() if n not in used and c.source == "detected" and n not in aliases
    ]
    result = [
        ProjectCommand(
            c.name,
            c.run,
            c.source,
            c.origin,
            c.name in required,
            c.timeout,
            c.report,
            tuple(body(root, c.run) or ()),
        )
        for c in ordered
    ]
    missing = [n for n in used if n not in commands]
    return ProjectCommands(result, missing, ecosystem, launch, policy(names_from))
