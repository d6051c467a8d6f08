"""The incremental check when the project has none: a syntax check of the task's changed files.

Python files are compiled in memory (nothing is written, no byte code lands in the project);
JavaScript files go through `node --check`, when `node` is installed. Neither runs the project's
code, so neither needs the user's approval. Files of other languages are not checked.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

from specrail.models.spec_driven import CommandResult

JS = (".js", ".mjs", ".cjs")


def _python_errors(root: Path, files: list[str]) -> list[str]:
    errors = []
    for name in files:
        try:
            compile((root / name).read_bytes(), name, "exec", dont_inherit=True)
        except SyntaxError as exc:
            errors.append(f"{name}:{exc.lineno}: SyntaxError: {exc.msg}")
        except (OSError, ValueError) as exc:
            errors.append(f"{name}: {exc}")
    return errors


def _node_errors(root: Path, node: str, files: list[str]) -> list[str]:
    errors = []
    for name in files:
        proc = subprocess.run(
            [node, "--check", name],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        if proc.returncode != 0:
            errors.append(proc.stderr.strip() or f"{name}: node --check failed")
    return errors


def syntax_check(root: Path, changed: list[str], why: str) -> tuple[CommandResult, str]:
    """The fallback check over `changed` (paths relative to `root`), and the note that says the
    project's own incremental check did not run, why, and what ran instead."""
    started = time.monotonic()
    present = [f for f in changed if (root / f).is_file()]
    python = [f for f in present if f.endswith(".py")]
    scripts = [f for f in present if f.endswith(JS)]
    node = shutil.which("node")
    ran, errors = [], []
    if python:
        ran.append(f"Python syntax of {len(python)} file(s)")
        errors += _python_errors(root, python)
    if scripts and node:
        ran.append(f"`node --check` on {len(scripts)} file(s)")
        errors += _node_errors(root, node, scripts)
    note = f"the incremental check did not run: {why}"
    if not ran:
        missing = " (node is not installed)" if scripts else ""
        note += f"; no fallback applies to the changed files{missing}"
        result = CommandResult(
            name="check", command=None, status="NOT_CONFIGURED", duration_s=0.0, reason=note, summary=why
        )
        return result, note
    note += "; ran instead: " + ", ".join(ran)
    result = CommandResult(
        name="check",
        command="fallback syntax check: " + " ".join([*python, *scripts]),
        status="FAIL" if errors else "PASS",
        exit_code=1 if errors else 0,
        duration_s=round(time.monotonic() - started, 3),
        reason=note,
        summary=errors[0][:160] if errors else f"syntax OK ({len(python) + len(scripts)} file(s))",
        output_tail="\n".join(errors)[-4000:],
    )
    return result, note
