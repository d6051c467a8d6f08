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
from specrail.spec_driven import output as shown
from specrail.spec_driven import testreports
from specrail.spec_driven.commands import ProjectCommands
from specrail.spec_driven.session import CONFIG_FILE

TAIL_CHARS = 4000
ANSWER_CHARS = 1500
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
    report: str | None = None,
) -> CommandResult:
    """Run `command` with `/bin/sh -c` in `cwd`, colour off; the whole process group is killed on
    timeout. The output kept is plain text: the first error lines and the tail. A test runner is
    asked for its machine-readable report (`testreports`), read into `tests`."""
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
    wall = time.time()
    prepared = testreports.prepare(command, cwd, report)
    proc = subprocess.Popen(
        ["/bin/sh", "-c", prepared.command],
        cwd=cwd,
        env={**os.environ, **shown.COLOUR_OFF, **prepared.env},
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
    output = shown.plain(raw.decode("utf-8", errors="replace"))
    try:
        tests = prepared.read(output, wall) if status != "TIMEOUT" else None
    finally:
        prepared.cleanup()
    summary = summarize(output) if status != "TIMEOUT" else f"no result within {timeout} s"
    problem = shown.environment_problem(output, proc.returncode, cwd) if status == "FAIL" else None
    if problem:
        summary = f"could not run: {problem}"[:160]
    return CommandResult(
        name=name,
        command=command,
        status=status,  # type: ignore[arg-type]
        exit_code=proc.returncode if status != "TIMEOUT" else None,
        duration_s=round(time.monotonic() - started, 3),
        critical=critical,
        reason=reason,
        summary=summary,
        output_tail=shown.excerpt(output, TAIL_CHARS),
        environment=problem or "",
        tests=tests,
    )


def failure_output(results: list[CommandResult]) -> dict[str, str]:
    """What each failed command printed, for an answer: its first error lines and its tail."""
    return {
        r.name: shown.excerpt(r.output_tail, ANSWER_CHARS) for r in results if r.status in ("FAIL", "TIMEOUT")
    }


def environment_failures(
    results: list[CommandResult], commands: ProjectCommands, options: list[str]
) -> list[dict[str, object]]:
    """The commands that could not run in the project's environment, each with its fix: these are
    not failures of the code, and no change to the code fixes them."""
    runner = commands.runner
    where = f" ({runner.run}: {runner.why})" if runner else ""
    return [
        {
            "name": r.name,
            "command": r.command,
            "problem": r.environment,
            "fix": (
                f"not a failure of the code: install what is missing in the project's environment{where}, "
                f"or set spec_driven_feature.commands.{r.name}.run in {CONFIG_FILE} to the command that "
                "works in this project (then the user approves it with `specrail trust`); then retry"
            ),
            "options": options,
        }
        for r in results
        if r.environment
    ]


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
    return run(name, command.run, cwd, timeout=command.timeout, reason=reason, report=command.report)
