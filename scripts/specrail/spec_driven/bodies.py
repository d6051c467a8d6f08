"""What a command that hands over to a project file really runs: `make test` runs the Makefile's
recipe, `npm test` the package.json script, `tox -e py` the tox env's commands.

`body(root, run)` gives the lines to show the user and to put into the approval's digest (with a
hash of the whole defining file, since a prerequisite, an include or a variable changes what runs
too), so a changed recipe or script needs a new approval. None when the command runs nothing of
the project's files.
"""

from __future__ import annotations

import configparser
import hashlib
import json
import re
import shlex
from pathlib import Path

from specrail.errors import SpecrailError
from specrail.fileio import read_bytes

MAKEFILES = ("GNUmakefile", "makefile", "Makefile")
_RULE = re.compile(r"^([^\s:=#][^:=#]*?)\s*::?(?!=)(.*)$")
_MAX_RULES = 50


def _file(root: Path, name: str) -> tuple[str, str] | None:
    """(text, header line naming the file and its hash), or None when absent or unreadable."""
    path = root / name
    if not path.is_file():
        return None
    try:
        raw = read_bytes(path, str(path))
    except SpecrailError:
        return None
    return raw.decode("utf-8", errors="replace"), f"{name} (sha256 {hashlib.sha256(raw).hexdigest()[:16]}):"


def _rules(text: str) -> dict[str, list[str]]:
    """Each target's rule lines: the rule line itself and its recipe lines."""
    rules: dict[str, list[str]] = {}
    current: list[str] = []
    for line in text.splitlines():
        if line.startswith("\t"):
            for target in current:
                rules[target].append(line)
            continue
        match = _RULE.match(line)
        current = match.group(1).split() if match else []
        for target in current:
            rules.setdefault(target, []).append(line)
    return rules


def _make(root: Path, args: list[str]) -> list[str] | None:
    found = next((hit for name in MAKEFILES if (hit := _file(root, name))), None)
    if found is None:
        return None
    text, header = found
    rules = _rules(text)
    targets = [a for a in args if not a.startswith("-") and "=" not in a]
    if not targets:
        targets = [t for t in rules if not t.startswith(".")][:1]
    lines, queue = [header], list(targets)
    seen: set[str] = set()
    while queue and len(seen) < _MAX_RULES:
        target = queue.pop(0)
        if target in seen or target not in rules:
            continue
        seen.add(target)
        for line in rules[target]:
            lines.append(line.replace("\t", "    ", 1) if line.startswith("\t") else line)
            match = None if line.startswith("\t") else _RULE.match(line)
            if match:
                queue += match.group(2).split(";")[0].replace("|", " ").split()
    return lines


def _node(root: Path, tool: str, args: list[str]) -> list[str] | None:
    found = _file(root, "package.json")
    if found is None:
        return None
    text, header = found
    try:
        scripts = json.loads(text).get("scripts") or {}
    except (ValueError, AttributeError):
        scripts = {}
    if not isinstance(scripts, dict) or not args:
        return [header]
    name = args[1] if args[0] in ("run", "run-script") and len(args) > 1 else args[0]
    if args[0] in ("t", "tst"):
        name = "test"
    lines = [header]
    for script in (f"pre{name}", name, f"post{name}"):
        if isinstance(scripts.get(script), str):
            lines.append(f"scripts.{script}: {scripts[script]}")
    return lines


def _tox(root: Path, args: list[str]) -> list[str] | None:
    found = _file(root, "tox.ini")
    if found is None:
        return None
    text, header = found
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        parser.read_string(text)
    except configparser.Error:
        return [header]
    envs = [args[i + 1] for i, a in enumerate(args[:-1]) if a == "-e"]
    names = [f"testenv:{e}" for env in envs for e in env.split(",")] + ["testenv"]
    lines = [header]
    for section in names:
        if parser.has_section(section) and parser.has_option(section, "commands"):
            lines.append(f"[{section}] commands = {parser.get(section, 'commands').strip()}")
    return lines


def body(root: Path, run: str) -> list[str] | None:
    """The lines of the project's files that `run` hands over to, or None."""
    try:
        words = shlex.split(run)
    except ValueError:
        return None
    if not words:
        return None
    tool = Path(words[0]).name
    if tool in ("make", "gmake"):
        return _make(root, words[1:])
    if tool in ("npm", "yarn", "pnpm"):
        return _node(root, tool, words[1:])
    if tool == "tox":
        return _tox(root, words[1:])
    return None
