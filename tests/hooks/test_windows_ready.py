"""What can be checked of Windows here: the store's lock without `fcntl`, the venv's `Scripts` layout,
interpreter probing (`python3`, `python`, `py -3`, not the Microsoft Store stub), backslash paths."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from specrail import bootstrap
from tests.support.cli import REPO
from tests.support.hooks import Hook, payload, run_hook

# A stand-in for Windows' `msvcrt.locking` (byte-range, non-blocking), built on POSIX byte-range
# locks, then `fcntl` blocked: the store must take the Windows path.
NO_FCNTL = """
import fcntl, os, sys, time, types
import pydantic, subprocess  # before the stand-in: the stdlib itself would take it for Windows
msvcrt = types.ModuleType("msvcrt")
msvcrt.LK_NBLCK = 2
def locking(fd, mode, nbytes, _lockf=fcntl.lockf, _flags=fcntl.LOCK_EX | fcntl.LOCK_NB):
    assert mode == msvcrt.LK_NBLCK
    try:
        _lockf(fd, _flags, nbytes, os.lseek(fd, 0, os.SEEK_CUR))
    except BlockingIOError:
        raise OSError(36, "Resource deadlock avoided") from None
msvcrt.locking = locking
sys.modules["msvcrt"] = msvcrt
sys.modules["fcntl"] = None
del os.pread, os.pwrite
from pathlib import Path
import specrail.locking
from specrail.store import SessionStore
assert specrail.locking.fcntl is None
counter = Path(sys.argv[1])
store = SessionStore(counter.with_name("workflow-session.json"))
for _ in range(int(sys.argv[2])):
    with store.locked(timeout=60):
        value = int(counter.read_text())
        time.sleep(0.001)  # widen the window a missing lock would lose an increment in
        counter.write_text(str(value + 1))
"""


def test_the_store_lock_works_without_fcntl(tmp_path: Path) -> None:
    counter = tmp_path / "counter"
    counter.write_text("0")
    env = {**os.environ, "PYTHONPATH": str(REPO / "scripts")}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", NO_FCNTL, str(counter), "40"], env=env, stderr=subprocess.PIPE
        )
        for _ in range(4)
    ]
    for worker in workers:
        _, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err.decode()
    assert counter.read_text() == "160"  # no increment lost: the lock excluded every other worker


def test_windows_venv_layout_and_session_path(tmp_path: Path) -> None:
    data = r"C:\Users\Ada Lovelace\.claude\plugins\data\workflow-specrail"
    assert bootstrap.bin_dir(data, windows=True).endswith(os.path.join("venv", "Scripts"))
    assert bootstrap.venv_python(data, windows=True).endswith(os.path.join("Scripts", "python.exe"))
    assert bootstrap.site_packages(data, windows=True).endswith(os.path.join("Lib", "site-packages"))
    line = bootstrap.export_line(data, windows=True)
    assert line.startswith("export PATH='/c/Users/Ada Lovelace/.claude/plugins/data/workflow-specrail/path")
    assert "\\" not in line
    scripts = bootstrap.launcher(data, windows=True)
    assert set(scripts) == {"specrail", "specrail.cmd"}
    assert scripts["specrail.cmd"].startswith(f'@"{bootstrap.venv_python(data, windows=True)}" -X "pycache_')
    assert scripts["specrail"].startswith("#!/bin/sh\nexec '/c/Users/Ada Lovelace/")


def recorder(path: Path, log: Path) -> Path:
    """An executable that records how it was called, standing for an interpreter."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f'#!/bin/sh\necho "$0 $*" >> "{log}"\n', encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.mark.parametrize("event", ["SessionStart", "PreToolUse", "PostToolUse"])
def test_hooks_run_the_venv_in_the_windows_layout(
    plugin_root: Path, tmp_path: Path, work: Path, event: str
) -> None:
    log = tmp_path / "calls.log"
    data = tmp_path / "data"
    recorder(data / "venv" / "Scripts" / "python.exe", log)
    run = run_hook(event, "{}", plugin_root, data, work)
    assert run.code == 0, run
    called = log.read_text(encoding="utf-8").split()
    assert called[0] == str(data / "venv" / "Scripts" / "python.exe")
    assert called[1:3] == ["-I", "-S"] and called[3].endswith("/hooks/run.py")


def test_probing_skips_the_store_stub_and_finds_py_launcher(
    plugin_root: Path, tmp_path: Path, work: Path
) -> None:
    stub_log, py_log = tmp_path / "stub.log", tmp_path / "py.log"
    apps = tmp_path / "AppData" / "Local" / "Microsoft" / "WindowsApps"
    recorder(apps / "python3", stub_log)
    recorder(apps / "python", stub_log)
    launcher = tmp_path / "Windows" / "py"
    launcher.parent.mkdir()
    real = os.path.realpath(sys.executable)
    launcher.write_text(
        f'#!/bin/sh\necho "$*" >> "{py_log}"\n[ "$1" = -3 ] && shift\nexec "{real}" "$@"\n', encoding="utf-8"
    )
    launcher.chmod(0o755)
    on_path = tmp_path / "specrail-bin"  # this very version on PATH: no venv to build
    on_path.mkdir()
    (on_path / "specrail").symlink_to(Path(sys.executable).parent / "specrail")
    path = f"{apps}:{launcher.parent}:{on_path}:/bin"
    run = run_hook(
        "SessionStart", payload("session-start-startup", work), plugin_root, tmp_path / "d", work, PATH=path
    )
    assert (run.code, run.out) == (0, ""), run
    assert not stub_log.exists(), "the Microsoft Store stub was run"
    assert py_log.read_text(encoding="utf-8").splitlines()[-1].startswith("-3 -I -S ")


def load_entry() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hook_entry", REPO / "hooks" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_plugin_root_with_backslashes() -> None:
    entry = load_entry()
    cache = r"C:\Users\Ada\.claude\plugins\cache\specrail\workflow\0.1.0"
    assert entry.plugin_root(cache + r"\hooks\run.py", r"D:\work", windows=True) == cache.replace("\\", "/")
    assert entry.plugin_root(r"hooks\run.py", "C:\\plugin\\", windows=True) == "C:/plugin"
    assert entry.plugin_root("//server/share/p/hooks/run.py", "C:/", windows=True) == "//server/share/p"
    assert entry.pycache_prefix(r"C:\data", windows=True) == r"C:\data/pycache"
    assert entry.pycache_prefix(r"data\x", windows=True) is None
    assert entry.pycache_prefix("/data", windows=False) == "/data/pycache"
    assert entry.pycache_prefix("data", windows=False) is None


def test_a_backslash_in_a_posix_plugin_path_is_a_plain_character(hook: Hook, tmp_path: Path) -> None:
    """On POSIX `\\` is a file name character: a plugin folder named with one still runs its hooks."""
    from tests.support.hooks import copy_plugin, fake_venv

    root = copy_plugin(tmp_path / "cache\\workflow" / "1.0")
    data = fake_venv(tmp_path / "data")
    work = tmp_path / "w"
    work.mkdir()
    index = work / ".workflow/active/WFS-cap/.brainstorming/feature-index.json"
    index.parent.mkdir(parents=True)
    (index.parent.parent / "workflow-session.json").write_text("{}", encoding="utf-8")
    index.write_text('{"version": "2.0"}', encoding="utf-8")
    run = run_hook("PostToolUse", payload("post-write-feature-index", work), root, data, work)
    assert run.code == 0 and "- /version: '1.0' was expected" in run.json["reason"], run
