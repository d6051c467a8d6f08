"""Run a configured command (never the model's): shell, time limit, output captured, result recorded."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
from pathlib import Path

from specrail import trust
from specrail.models.spec_driven import CommandResult
from specrail.spec_driven.commands import ProjectCommands

TAIL_CHARS = 4000
SUMMARY = re.compile(
    r"\b[0-9]+ (?:passed|failed|errors?|tests?|warnings?|skipped)\b.*|\bRan [0-9]+ tests?\b.*", re.IGNORECASE
)


def summarize(output: str) -> str:
    """One line that says what happened: a test-runner tally if there is one, else the last line."""
    lines = [ln.strip(" =-") for ln in output.splitlines() if ln.strip(" =-")]
    if not lines:
        return ""
    tally = next((ln for ln in reversed(lines) if SUMMARY.search(ln)), "")
    last = lines[-1]
    if tally and tally != last and len(last) <= 60:
        return f"{tally}: {last}"[:160]  # unittest: "Ran 7 tests in 0.01s: FAILED (failures=1)"
    return (tally or last)[:160]


def run(
    name: str,
    command: str | None,
    cwd: Path,
    *,
    timeout: int = 600,
    critical: bool = True,
    reason: str = "",
) -> CommandResult:
    """Run `command` with `/bin/sh -c` in `cwd`; the whole process group is killed on timeout."""
    if not command:
        return CommandResult(
            name=name,
            command=None,
            status="NOT_CONFIGURED",
            duration_s=0.0,
            critical=critical,
            reason=reason,
            summary=f"no command detected; set spec_driven_feature.commands.{name}.run in .specrail.yaml",
        )
    started = time.monotonic()
    proc = subprocess.Popen(
        ["/bin/sh", "-c", command],
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        raw, _ = proc.communicate(timeout=timeout)
        status = "PASS" if proc.returncode == 0 else "FAIL"
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        raw, _ = proc.communicate()
        status = "TIMEOUT"
    output = raw.decode("utf-8", errors="replace")
    summary = summarize(output) if status != "TIMEOUT" else f"no result within {timeout} s"
    return CommandResult(
        name=name,
        command=command,
        status=status,  # type: ignore[arg-type]
        exit_code=proc.returncode if status != "TIMEOUT" else None,
        duration_s=round(time.monotonic() - started, 3),
        critical=critical,
        reason=reason,
        summary=summary,
        output_tail=output[-TAIL_CHARS:],
    )


def listed(commands: ProjectCommands) -> list[trust.Command]:
    """What the user approves: each command as it will run (its body included), bound to its name,
    and which names run when (`policy ...`: command names never hold a space)."""
    shown = [(c.name, c.shown) for c in commands.commands]
    return shown + [(f"policy {key}", value) for key, value in commands.policy] if shown else []


def approved(root: Path, commands: ProjectCommands) -> ProjectCommands:
    """`commands`, once the user approved them for the project at `root` (`specrail trust`);
    refused with the list and the way to approve it otherwise. Every run goes through here."""
    origins = list(dict.fromkeys(c.origin.split(" ")[0] for c in commands.commands))
    source = str(root / origins[0]) if len(origins) == 1 else None
    trust.require_approved(root, listed(commands), source=source)
    return commands


def run_named(commands: ProjectCommands, name: str, cwd: Path, *, reason: str = "") -> CommandResult:
    """Run the project's command `name` (NOT_CONFIGURED when it has none), once approved."""
    approved(cwd, commands)
    command = commands.get(name)
    if command is None:
        return run(name, None, cwd, reason=reason)
    return run(name, command.run, cwd, timeout=command.timeout, reason=reason)
