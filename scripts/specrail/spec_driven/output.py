"""What a project command printed, made fit for a report and an answer.

- `plain`: terminal escape codes (colour, cursor, titles) removed, whatever the tool did with
  `NO_COLOR`; carriage-return progress lines reduced to their last state.
- `excerpt`: within a size bound, the first error (pytest's first failure, a traceback head, an
  assertion, a compiler error, TAP's `not ok`) as well as the tail, so a long report printed after
  the tests never hides why they failed.
- `environment_problem`: a command that could not run in the project's environment (not found,
  `No module named X` for a module the project does not own) as opposed to code that fails.
"""

from __future__ import annotations

import re
from pathlib import Path

# The variables colour-aware tools read; set for every project command.
COLOUR_OFF = {
    "NO_COLOR": "1",
    "FORCE_COLOR": "0",
    "PY_COLORS": "0",
    "CLICOLOR": "0",
    "CLICOLOR_FORCE": "0",
    "MYPY_FORCE_COLOR": "0",
    "CARGO_TERM_COLOR": "never",
    "TERM": "dumb",
}
ESCAPE = re.compile(
    r"\x1b(?:\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, erasing
    r"|\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlinks
    r"|[PX^_][^\x1b]*\x1b\\"  # DCS, SOS, PM, APC strings
    r"|[()*+#%][\x20-\x7e]"  # character sets
    r"|[@-Z\\-_=>78])"
)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Where the first error starts, in the tools the workflow runs.
FIRST_ERROR = re.compile(
    r"^(?:_{3,} .+ _{3,}$"  # pytest: the first failure's section
    r"|Traceback \(most recent call last\)"
    r"|E {2,}\S"  # pytest's explanation lines
    r"|not ok \d"  # TAP (node --test)
    r"|--- FAIL|FAIL:|ERROR:"  # go test, unittest
    r"|error(?:\[E\d+\])?:|.*\berror(?: TS\d+)?:"  # compilers: rustc, tsc, gcc, mypy
    r"|.*panicked at"
    r"|\s*\w*(?:Error|Exception)\b.*:)",
    re.MULTILINE,
)
OMITTED = "\n[... {n} lines omitted ...]\n"
NOT_FOUND = re.compile(
    r"^(?:\S*sh: )?(?:(?:line )?\d+: )?(?P<what>[^\s:]+): (?:command )?not found$", re.MULTILINE
)
NO_MODULE = re.compile(r"No module named '?(?P<what>[\w.]+)'?", re.MULTILINE)


def plain(text: str) -> str:
    """`text` without terminal escape codes or stray control characters."""
    text = ESCAPE.sub("", text.replace("\r\n", "\n"))
    text = "\n".join(line.rsplit("\r", 1)[-1] for line in text.split("\n"))
    return CONTROL.sub("", text)


def excerpt(text: str, limit: int) -> str:
    """At most about `limit` characters of `text`: its first error lines and its tail."""
    if len(text) <= limit:
        return text
    lines = text.splitlines()
    match = FIRST_ERROR.search(text)
    if match is None:
        return text[-limit:]
    first = text.count("\n", 0, match.start())
    head_budget = limit // 2
    head: list[str] = []
    used = 0
    for line in lines[first:]:
        if used + len(line) + 1 > head_budget:
            break
        head.append(line)
        used += len(line) + 1
    if not head:
        head, used = [lines[first][: head_budget - 4] + " ..."], head_budget
    tail_budget = limit - used - len(OMITTED) - 8
    tail: list[str] = []
    size = 0
    for line in reversed(lines[first + len(head) :]):
        if size + len(line) + 1 > tail_budget:
            break
        tail.insert(0, line)
        size += len(line) + 1
    skipped = len(lines) - first - len(head) - len(tail)
    middle = OMITTED.format(n=skipped) if skipped else "\n"
    before = f"[... {first} lines omitted ...]\n" if first else ""
    return before + "\n".join(head) + middle + "\n".join(tail)


def _project_owns(root: Path, module: str) -> bool:
    top = module.split(".")[0]
    return any(
        (base / top).is_dir() or (base / f"{top}.py").is_file() for base in (root, root / "src", root / "lib")
    )


def environment_problem(output: str, exit_code: int | None, root: Path) -> str | None:
    """Why the command could not run in the project's environment, or None when it ran."""
    if exit_code in (None, 0):
        return None
    found = NOT_FOUND.search(output)
    if found or exit_code == 127:
        what = found.group("what") if found else "a program"
        return f"command not found: {what} is not installed or not on PATH"
    if exit_code == 126:
        return "the command is not executable here (permission denied)"
    for hit in NO_MODULE.finditer(output):
        if not _project_owns(root, hit.group("what")):
            return (
                f"No module named {hit.group('what')}: it is not installed in the interpreter this "
                "command uses"
            )
    return None
