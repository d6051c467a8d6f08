"""The plugin's own Python environment: a venv under `${CLAUDE_PLUGIN_DATA}` holding this package.

Stdlib only: it runs from a bare interpreter (`python3 -I -S`) before anything is installed.
The venv is (re)built only when the plugin version differs from the stamp written after the
last complete install, and not at all when a `specrail` of this very version is already on PATH
(a user's own install, or a development checkout). It is built under a file lock, so that two
sessions starting together build it once.
The package is installed from a copy of the plugin's sources, so the plugin folder (possibly a
read-only cache) is never written to; its modules are byte-compiled into `${CLAUDE_PLUGIN_DATA}/pycache`,
the prefix the hook entry point reads them from.

Checking that there is nothing to do costs a few stat calls: the modules only an install needs
(`subprocess`, `shutil`, `venv`, ...) are imported inside the functions that install.
"""

from __future__ import annotations

import os
import sys

from specrail import __version__

MIN_PYTHON = (3, 11)
PIP_WITH_PYTHON_OPTION = (22, 3)
VENV = "venv"
STAMP = ".specrail-version"
PYCACHE = "pycache"
LOCK = "bootstrap.lock"
STEP_TIMEOUT_S = 400  # each install step; the SessionStart hook's own timeout is 600 s
_SOURCES = ("pyproject.toml", "README.md", "LICENSE", "scripts/specrail")


class Outcome:
    """What `ensure` did: `ready` means a `specrail` of this version is on the session's PATH."""

    __slots__ = ("installed", "message", "on_path", "ready")

    def __init__(self, ready: bool, installed: bool = False, message: str = "", on_path: str = "") -> None:
        self.ready = ready
        self.installed = installed
        self.message = message
        self.on_path = on_path


def venv_dir(data: str) -> str:
    return os.path.join(data, VENV)


def bin_dir(data: str) -> str:
    return os.path.join(data, VENV, "bin")


def stamp_path(data: str) -> str:
    return os.path.join(data, VENV, STAMP)


def pycache_prefix(data: str) -> str:
    return os.path.join(data, PYCACHE)


def installed_version(data: str) -> str | None:
    """The version the stamp records; None when there is no complete install."""
    try:
        with open(stamp_path(data), encoding="utf-8") as handle:
            version = handle.read().strip()
    except OSError:
        return None
    return version if os.access(os.path.join(bin_dir(data), "python"), os.X_OK) else None


def up_to_date(data: str) -> bool:
    return installed_version(data) == __version__


def export_line(data: str) -> str:
    """The line for `CLAUDE_ENV_FILE` that puts the venv's `bin` first on the session's PATH."""
    quoted = "'" + bin_dir(data).replace("'", "'\\''") + "'"
    return f'export PATH={quoted}:"$PATH"\n'


def add_to_path(data: str, env_file: str | None) -> None:
    """Append the PATH export to the session's env file, once."""
    if not env_file:
        return
    line = export_line(data)
    try:
        with open(env_file, encoding="utf-8") as handle:
            if line in handle.read():
                return
    except OSError:
        pass
    with open(env_file, "a", encoding="utf-8") as handle:
        handle.write(line)


def found_on_path(data: str, search_path: str | None) -> str | None:
    """A `specrail` of this version on `search_path` other than the venv's own, or None."""
    import subprocess

    own = os.path.realpath(bin_dir(data))
    for folder in (search_path or "").split(os.pathsep):
        exe = os.path.join(folder, "specrail")
        if not folder or os.path.realpath(folder) == own or not os.access(exe, os.X_OK):
            continue
        try:
            out = subprocess.run(
                [exe, "--version"], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL
            ).stdout
        except (OSError, subprocess.TimeoutExpired):
            continue
        return exe if out.split()[-1:] == [__version__] else None
    return None


def _copy_sources(root: str, dest: str) -> None:
    import shutil

    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    for rel in _SOURCES:
        src = os.path.join(root, rel)
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(dest, rel), ignore=ignore)
        elif os.path.isfile(src):
            os.makedirs(os.path.dirname(os.path.join(dest, rel)), exist_ok=True)
            shutil.copy2(src, os.path.join(dest, rel))


def _tail(text: str, lines: int = 6) -> str:
    kept = [line for line in text.strip().splitlines() if line.strip() and "WARNING: Location" not in line]
    return "\n".join("  " + line for line in kept[-lines:])


def _run(args: list[str], what: str) -> str | None:
    """Run one step of the install; None on success, else what failed with the end of its output."""
    import subprocess

    try:
        proc = subprocess.run(
            args, capture_output=True, text=True, timeout=STEP_TIMEOUT_S, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        return f"{what} took longer than {STEP_TIMEOUT_S} s"
    except OSError as exc:
        return f"{what} could not start: {exc.strerror or exc}"
    if proc.returncode != 0:
        return f"{what} failed (exit {proc.returncode}):\n{_tail(proc.stderr + proc.stdout)}"
    return None


def _pip_host() -> str | None:
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


# Run by the venv's python: byte-compile into the hooks' pycache prefix everything a hook imports
# (the package, the stdlib modules it uses and, for the full error listing, jsonschema and PyYAML),
# so that no hook pays for compiling: with a prefix set, Python looks for every module's byte code there.
_WARM_UP = """
import compileall, site, sys
sys.pycache_prefix = sys.argv[1]
sys.path.insert(0, sys.argv[2])
compileall.compile_dir(sys.argv[2] + "/specrail", quiet=1)
site.main()
import specrail.hooks.post_tool_use, specrail.hooks.pre_tool_use, specrail.hooks.session_start
import specrail.hooks.resume, specrail.validation.check, specrail.validation.md_rules
import specrail.validation.decomposition
import jsonschema, yaml
"""


def warm_up(root: str, data: str) -> str | None:
    """Fill the hooks' byte-code cache; None on success, else what failed (only slower hooks)."""
    python = os.path.join(bin_dir(data), "python")
    scripts = os.path.join(root, "scripts")
    return _run([python, "-I", "-S", "-c", _WARM_UP, pycache_prefix(data), scripts], "byte-compiling")


def install(root: str, data: str) -> str | None:
    """Build the venv and install the package into it; None on success, else what went wrong."""
    import shutil
    import subprocess
    import tempfile
    import venv

    host = _pip_host()
    target = venv_dir(data)
    try:
        shutil.rmtree(pycache_prefix(data), ignore_errors=True)  # compiled for the previous version
        venv.EnvBuilder(clear=True, with_pip=host is None, symlinks=True).create(target)
    except (OSError, subprocess.CalledProcessError) as exc:
        hint = "" if host else " (on Debian or Ubuntu, install the python3-venv package)"
        return f"could not create the virtual environment {target}: {exc}{hint}"
    python = os.path.join(bin_dir(data), "python")
    pip = [host, "-I", "-m", "pip", "--python", python] if host else [python, "-m", "pip"]
    with tempfile.TemporaryDirectory(prefix="specrail-src-") as src:
        _copy_sources(root, src)
        failure = _run(
            [*pip, "install", "--disable-pip-version-check", "--no-input", "--quiet", src], "pip install"
        )
    if failure:
        return failure + "\n  (no network? pip needs the package index, or PIP_FIND_LINKS with the wheels)"
    warm_up(root, data)  # a failure costs speed only: the hooks compile what they miss
    tmp = stamp_path(data) + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(__version__ + "\n")
    os.replace(tmp, stamp_path(data))
    return None


def ensure(root: str, data: str, env_file: str | None = None, search_path: str | None = None) -> Outcome:
    """Make sure a `specrail` of this version is on the session's PATH: `data`'s venv, built if needed.

    `search_path` is the session's PATH: when it already holds this version, nothing is built.
    """
    if up_to_date(data):
        add_to_path(data, env_file)
        return Outcome(True)
    exe = found_on_path(data, search_path)
    if exe:
        return Outcome(True, on_path=exe)
    if sys.version_info < MIN_PYTHON:
        need = ".".join(map(str, MIN_PYTHON))
        return Outcome(False, message=f"Python {need} or newer is needed; this is {sys.version.split()[0]}")
    import fcntl

    os.makedirs(data, exist_ok=True)
    with open(os.path.join(data, LOCK), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # another session may be installing: wait for it
        if up_to_date(data):
            failure, installed = None, False
        else:
            failure, installed = install(root, data), True
    if failure:
        return Outcome(False, message=failure)
    add_to_path(data, env_file)
    return Outcome(True, installed=installed)
