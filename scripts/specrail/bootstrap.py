"""The plugin's own Python environment: a venv under `${CLAUDE_PLUGIN_DATA}` running this package.

Stdlib only: it runs from a bare interpreter (`python3 -I -S`) before anything is installed.
The venv is (re)built only when the plugin version differs from the stamp written after the
last complete install, and not at all when a `specrail` of this very version is already on PATH
(a user's own install, or a development checkout). It is built under a file lock, so that two
sessions starting together build it once.
The plugin's sources are already on disk: the venv gets the package's dependencies from the
package index, a `.pth` file naming the plugin's `scripts` folder and a small `specrail` launcher,
not a build of the package (no build backend to fetch, no wheel to build). The plugin folder
(possibly a read-only cache) is never written to: byte code goes to `${CLAUDE_PLUGIN_DATA}/pycache`,
the prefix the hook entry point and the launcher read it from. Nothing outside the data folder is
followed, cleared or written: a `venv` or `pycache` that is a link is replaced, its target untouched.

Checking that there is nothing to do costs a few stat calls: the modules only an install needs
(`subprocess`, `shutil`, `venv`, ...) are imported inside the functions that install.
"""

from __future__ import annotations

import os
import sys

from specrail import __version__
from specrail.pip_steps import dependencies, pip_host, run_step, waited

MIN_PYTHON = (3, 11)
VENV = "venv"
STAMP = ".specrail-version"
PYCACHE = "pycache"
LOCK = "bootstrap.lock"
PTH = "specrail-plugin.pth"
PATH_DIR = "path"  # holds only the `specrail` launcher: the folder the session's PATH gets
WINDOWS = os.name == "nt"
PIP_HELP = (
    "  to fix: check the network or proxy (HTTPS_PROXY), or set PIP_INDEX_URL to a reachable package "
    "index, or PIP_FIND_LINKS to a folder holding the wheels (`pip download pydantic jsonschema pyyaml "
    "click` on a connected machine); then start a new session."
)


class Outcome:
    """What `ensure` did: `ready` means a `specrail` of this version is on the session's PATH."""

    __slots__ = ("installed", "message", "on_path", "ready")

    def __init__(self, ready: bool, installed: bool = False, message: str = "", on_path: str = "") -> None:
        self.ready = ready
        self.installed = installed
        self.message = message  # why it failed, or a note on a slow install
        self.on_path = on_path


def venv_dir(data: str) -> str:
    return os.path.join(data, VENV)


def bin_dir(data: str, windows: bool = WINDOWS) -> str:
    """The venv's folder of executables: `Scripts` on Windows, `bin` elsewhere."""
    return os.path.join(data, VENV, "Scripts" if windows else "bin")


def path_dir(data: str) -> str:
    """The folder put on the session's PATH: the `specrail` launcher(s) and nothing else, so the
    venv's `python`, `pip` and the tools of its dependencies never shadow the project's own."""
    return os.path.join(data, PATH_DIR)


def venv_python(data: str, windows: bool = WINDOWS) -> str:
    return os.path.join(bin_dir(data, windows), "python.exe" if windows else "python")


def site_packages(data: str, windows: bool = WINDOWS) -> str:
    if windows:
        return os.path.join(data, VENV, "Lib", "site-packages")
    version = f"python{sys.version_info[0]}.{sys.version_info[1]}"
    return os.path.join(data, VENV, "lib", version, "site-packages")


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
    return version if os.access(venv_python(data), os.X_OK) else None


def up_to_date(data: str) -> bool:
    return installed_version(data) == __version__


def shell_path(path: str, windows: bool = WINDOWS) -> str:
    """`path` as the session's shell spells it: on Windows (Git Bash) `C:\\x\\y` is `/c/x/y`."""
    if not windows:
        return path
    path = path.replace("\\", "/")
    if len(path) >= 2 and path[1] == ":":
        path = "/" + path[0].lower() + path[2:]
    return path


def export_line(data: str, windows: bool = WINDOWS) -> str:
    """The line for `CLAUDE_ENV_FILE` that puts the `specrail` launcher first on the session's PATH."""
    quoted = "'" + shell_path(path_dir(data), windows).replace("'", "'\\''") + "'"
    return f'export PATH={quoted}:"$PATH"\n'


def write_launchers(data: str, windows: bool = WINDOWS) -> None:
    """(Re)write the launcher folder when a launcher is missing or stale; a link there is replaced."""
    folder = path_dir(data)
    if os.path.islink(folder):
        os.unlink(folder)
    os.makedirs(folder, exist_ok=True)
    for name, text in launcher(data, windows).items():
        path = os.path.join(folder, name)
        try:
            with open(path, encoding="utf-8", newline="") as handle:
                if handle.read() == text and os.access(path, os.X_OK):
                    continue
        except OSError:
            pass
        tmp = path + ".tmp"
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        os.chmod(tmp, 0o755)
        os.replace(tmp, path)


def add_to_path(data: str, env_file: str | None) -> None:
    """Make sure the launcher folder holds `specrail`; append its PATH export to the env file, once."""
    if not env_file:
        return
    write_launchers(data)
    line = export_line(data)
    try:
        with open(env_file, encoding="utf-8") as handle:
            if line in handle.read():
                return
    except OSError:
        pass
    with open(env_file, "a", encoding="utf-8") as handle:
        handle.write(line)


def safe_path_entries(search_path: str | None, project: str | None) -> list[str]:
    """The PATH folders a `specrail` may be taken from: absolute ones outside the project. `.`, an
    empty entry (the current folder) or a folder inside the project would run the project's file."""
    top = os.path.realpath(project) if project else None
    out = []
    for folder in (search_path or "").split(os.pathsep):
        if not folder or not os.path.isabs(folder):
            continue
        real = os.path.realpath(folder)
        if top and (real == top or real.startswith(top.rstrip(os.sep) + os.sep)):
            continue
        out.append(folder)
    return out


def find_specrail(search_path: str | None, project: str | None) -> str | None:
    """The first executable `specrail` in the safe PATH folders, or None."""
    names = ("specrail.exe", "specrail") if WINDOWS else ("specrail",)
    for folder in safe_path_entries(search_path, project):
        for name in names:
            exe = os.path.join(folder, name)
            if os.path.isfile(exe) and os.access(exe, os.X_OK):
                return exe
    return None


def found_on_path(data: str, search_path: str | None, project: str | None = None) -> str | None:
    """A `specrail` of this version on `search_path` other than the venv's own, or None (never
    one found through a relative or empty entry, or inside `project`)."""
    import subprocess

    own = {os.path.realpath(bin_dir(data)), os.path.realpath(path_dir(data))}
    folders = [f for f in safe_path_entries(search_path, project) if os.path.realpath(f) not in own]
    exe = find_specrail(os.pathsep.join(folders), project)
    if not exe:
        return None
    try:
        out = subprocess.run(
            [exe, "--version"], capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return None
    return exe if out.split()[-1:] == [__version__] else None


def remove(path: str) -> None:
    """Remove `path` without following links: a link goes, its target stays as it was."""
    import shutil

    if os.path.islink(path) or (os.path.exists(path) and not os.path.isdir(path)):
        os.unlink(path)
    elif os.path.isdir(path):
        shutil.rmtree(path)


def launcher(data: str, windows: bool = WINDOWS) -> dict[str, str]:
    """The `specrail` command(s) of the venv: its python running the package, byte code in the prefix."""
    python, prefix = venv_python(data, windows), pycache_prefix(data)
    if windows:
        sh_python, sh_prefix = shell_path(python, windows), prefix
        cmd = f'@"{python}" -X "pycache_prefix={prefix}" -m specrail %*\r\n'
        scripts = {"specrail.cmd": cmd}
    else:
        sh_python, sh_prefix, scripts = python, prefix, {}

    def quoted(text: str) -> str:
        return "'" + text.replace("'", "'\\''") + "'"

    scripts["specrail"] = (
        f'#!/bin/sh\nexec {quoted(sh_python)} -X pycache_prefix={quoted(sh_prefix)} -m specrail "$@"\n'
    )
    return scripts


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
import specrail.validation.decomposition, specrail.spec_driven.rules, specrail.synthesis.rules
import jsonschema, yaml
"""


def warm_up(root: str, data: str) -> str | None:
    """Fill the hooks' byte-code cache; None on success, else what failed (only slower hooks)."""
    scripts = os.path.join(root, "scripts")
    return run_step(
        [venv_python(data), "-I", "-S", "-c", _WARM_UP, pycache_prefix(data), scripts], "byte-compiling"
    )


def install(root: str, data: str, notes: list[str] | None = None) -> str | None:
    """Build the venv: the package's dependencies, the plugin's sources on its path; None on success.
    `notes` receives a note when the package index was slow."""
    import subprocess
    import time
    import venv

    host = pip_host()
    target = venv_dir(data)
    try:
        remove(pycache_prefix(data))  # compiled for the previous version
        remove(target)
        venv.EnvBuilder(with_pip=host is None, symlinks=not WINDOWS).create(target)
    except (OSError, subprocess.CalledProcessError) as exc:
        hint = "" if host else " (on Debian or Ubuntu, install the python3-venv package)"
        return f"could not create the virtual environment {target}: {exc}{hint}"
    python = venv_python(data)
    pip = [host, "-I", "-m", "pip", "--python", python] if host else [python, "-I", "-m", "pip"]
    quiet = ["--disable-pip-version-check", "--no-input", "--no-compile"]
    log: list[str] = []
    started = time.monotonic()
    failure = run_step([*pip, "install", *quiet, *dependencies(root)], "pip install", log)
    if failure:
        return f"{failure}\n{PIP_HELP}"
    note = waited("".join(log), time.monotonic() - started)
    if note and notes is not None:
        notes.append(note)
    # `site` reads .pth files in the locale's encoding (a user name with an accent, on Windows)
    with open(os.path.join(site_packages(data), PTH), "w", encoding="locale") as handle:
        handle.write(os.path.join(os.path.abspath(root), "scripts") + "\n")
    write_launchers(data)
    warm_up(root, data)  # a failure costs speed only: the hooks compile what they miss
    tmp = stamp_path(data) + ".tmp"
    with open(tmp, "w", encoding="utf-8") as handle:
        handle.write(__version__ + "\n")
    os.replace(tmp, stamp_path(data))
    return None


def ensure(
    root: str,
    data: str,
    env_file: str | None = None,
    search_path: str | None = None,
    project: str | None = None,
) -> Outcome:
    """Make sure a `specrail` of this version is on the session's PATH: `data`'s venv, built if needed.

    `search_path` is the session's PATH: when it already holds this version, nothing is built.
    """
    if up_to_date(data):
        add_to_path(data, env_file)
        return Outcome(True)
    exe = found_on_path(data, search_path, project)
    if exe:
        return Outcome(True, on_path=exe)
    if sys.version_info < MIN_PYTHON:
        need = ".".join(map(str, MIN_PYTHON))
        return Outcome(False, message=f"Python {need} or newer is needed; this is {sys.version.split()[0]}")
    from specrail.locking import lock

    os.makedirs(data, exist_ok=True)
    lock_path = os.path.join(data, LOCK)
    if os.path.islink(lock_path):
        os.unlink(lock_path)  # never open a file outside the data folder
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(lock_path, flags, 0o644)
    try:
        lock(fd)  # another session may be installing: wait for it
        notes: list[str] = []
        if up_to_date(data):
            failure, installed = None, False
        else:
            failure, installed = install(root, data, notes), True
    finally:
        os.close(fd)
    if failure:
        return Outcome(False, message=failure)
    add_to_path(data, env_file)
    return Outcome(True, installed=installed, message="".join(notes))
