"""The pip steps of building the plugin's venv: the package's requirements, one step run with a time
limit, pip's own error, the note on a slow package index, and the interpreter whose pip can install
into the venv. Stdlib only, like `bootstrap`, which runs them.
"""

from __future__ import annotations

import os
import sys

PIP_WITH_PYTHON_OPTION = (22, 3)
SLOW_S = 30  # an install slower than this is reported, with the offline set-up
STEP_TIMEOUT_S = 400  # each install step; the SessionStart hook's own timeout is 600 s


def dependencies(root: str) -> list[str]:
    """The package's runtime requirements, as `pyproject.toml` in the plugin folder lists them."""
    import tomllib

    with open(os.path.join(root, "pyproject.toml"), "rb") as handle:
        return [str(r) for r in tomllib.load(handle)["project"]["dependencies"]]


def first_error(output: str) -> str:
    """pip's first real error line (not "See above"), with the network failure behind it if any."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.lower().startswith("error") and "see above" not in line.lower()]
    causes = [line for line in lines if "Retrying" in line and "after connection broken by" in line]
    found = errors[:1] or [line for line in lines if "WARNING: Location" not in line][-1:]
    if causes:
        found.append("cause: " + causes[-1].split("after connection broken by", 1)[1].strip(" '\""))
    return "\n".join("  " + line[:400] for line in found)


def waited(output: str, seconds: float) -> str:
    """A note for the user when pip retried or the install took long; "" otherwise."""
    retries = sum(1 for line in output.splitlines() if "Retrying" in line)
    if not retries and seconds < SLOW_S:
        return ""
    tried = f", pip retried {retries} times" if retries else ""
    return (
        f"the package index was slow ({seconds:.0f} s{tried}). To start without waiting, set PIP_INDEX_URL "
        "(a nearer index) or PIP_FIND_LINKS (a folder of wheels for this Python and platform) in the "
        "environment `claude` starts from."
    )


def run_step(args: list[str], what: str, log: list[str] | None = None) -> str | None:
    """Run one step of the install; None on success, else what failed and pip's own words. `log`
    receives the step's output."""
    import subprocess

    try:
        proc = subprocess.run(
            args, capture_output=True, text=True, timeout=STEP_TIMEOUT_S, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        return f"{what} took longer than {STEP_TIMEOUT_S} s"
    except OSError as exc:
        return f"{what} could not start: {exc.strerror or exc}"
    if log is not None:
        log.append(proc.stderr + proc.stdout)
    if proc.returncode != 0:
        return f"{what} failed (exit {proc.returncode}):\n{first_error(proc.stderr + proc.stdout)}"
    return None


def pip_host() -> str | None:
    """An interpreter whose pip can install into another environment (`pip --python`), if any.

    Using it spares the new venv a pip of its own (`ensurepip` is the slowest step of a venv).
    """
    import subprocess

    base = getattr(sys, "_base_executable", "") or sys.executable
    try:
        out = subprocess.run(
            [base, "-I", "-m", "pip", "--version"], capture_output=True, text=True, timeout=60
        ).stdout
        version = tuple(int(x) for x in out.split()[1].split(".")[:2])
    except (OSError, IndexError, ValueError, subprocess.TimeoutExpired):
        return None
    return base if version >= PIP_WITH_PYTHON_OPTION else None
