"""The package layout: the validation engine imports no workflow, each workflow's rules are
registered with it under the kinds the engine looks up, no module imports back a module that imports
it when loaded, and no module is over 400 lines."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

from specrail.validation import registry
from tests.support.cli import REPO

PACKAGE = REPO / "scripts" / "specrail"
WORKFLOWS = ("specrail.spec_driven", "specrail.synthesis")


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every import in `path`, at any depth, `from x import y` read as x.y too."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def _is_workflow(module: str) -> bool:
    return any(module == w or module.startswith(w + ".") for w in WORKFLOWS)


def test_no_validation_module_imports_a_workflow() -> None:
    found = [
        f"{path.relative_to(REPO)}:{line} imports {module}"
        for path in sorted((PACKAGE / "validation").rglob("*.py"))
        for line, module in _imports(path)
        if _is_workflow(module)
    ]
    assert not found


def test_the_import_check_sees_a_nested_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from specrail.spec_driven.commands import detect\n", encoding="utf-8")
    assert any(_is_workflow(name) for _, name in _imports(module))


def test_every_kind_with_a_home_gets_rules_from_it_and_only_those() -> None:
    for home in set(registry.HOMES.values()):
        importlib.import_module(home)
    assert set(registry.RULES) | set(registry.DOCUMENTS) == set(registry.HOMES)


MAX_LINES = 400


def test_no_module_is_over_400_lines() -> None:
    """`_validators` is generated and `examples` are sample projects: neither is read as code."""
    skipped = (PACKAGE / "_validators", PACKAGE / "examples")
    long = {
        str(path.relative_to(REPO)): lines
        for path in sorted(PACKAGE.rglob("*.py"))
        if not path.is_relative_to(skipped[0]) and not path.is_relative_to(skipped[1])
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_import_circle_at_load_time() -> None:
    """Module-level imports form no cycle (an import inside a function, made when it runs, may)."""
    paths = [p for p in PACKAGE.rglob("*.py") if not {"_validators", "examples"} & set(p.parts)]
    known = {_module_name(p): p for p in paths}
    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        targets: set[str] = set()
        for node in tree.body:
            if isinstance(node, ast.Import):
                targets |= {a.name for a in node.names if a.name in known}
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    targets.add(full if full in known else node.module)
        graph[name] = {t for t in targets if t in known and t != name}
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def circle_from(name: str, path: list[str]) -> list[str] | None:
        state[name] = 1
        for target in sorted(graph[name]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target] if target in path else [name, target]
            if target not in state:
                found = circle_from(target, [*path, target])
                if found:
                    return found
        state[name] = 2
        return None

    for name in sorted(graph):
        if name not in state:
            circle = circle_from(name, [name])
            assert circle is None, " -> ".join(circle)
