"""The plugin's data folder: nothing outside it is followed, cleared or written; no byte code in the
project when it is missing or relative; atomic writes keep a file's mode."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from specrail.fileio import atomic_write_json, atomic_write_text
from tests.support.hooks import bin_with_python, copy_plugin, payload, run_hook

OFFLINE = {"PIP_NO_INDEX": "1", "PIP_CONFIG_FILE": os.devnull}


def tree(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def plugin_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_plugin(tmp_path_factory.mktemp("cache") / "workflow" / "0a1b2c3d")


@pytest.fixture
def work(tmp_path: Path) -> Path:
    (tmp_path / "work").mkdir()
    return tmp_path / "work"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder of the user's, outside the plugin's data folder, that links will point at."""
    folder = tmp_path / "users-own"
    (folder / "venv-target").mkdir(parents=True)
    (folder / "venv-target" / "thesis.tex").write_text("years of work\n", encoding="utf-8")
    (folder / "pycache-target").mkdir()
    (folder / "pycache-target" / "notes.txt").write_text("keep me\n", encoding="utf-8")
    (folder / "lock-target.txt").write_text("not a lock\n", encoding="utf-8")
    return folder


def test_linked_venv_pycache_and_lock_are_replaced_not_followed(
    plugin_root: Path, tmp_path: Path, work: Path, outside: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "venv").symlink_to(outside / "venv-target")
    (data / "pycache").symlink_to(outside / "pycache-target")
    (data / "bootstrap.lock").symlink_to(outside / "lock-target.txt")
    before = tree(outside)
    (tmp_path / "no-wheels").mkdir()
    run = run_hook(
        "SessionStart",
        payload("session-start-startup", work),
        plugin_root,
        data,
        work,
        PATH=bin_with_python(tmp_path),
        PIP_FIND_LINKS=str(tmp_path / "no-wheels"),
        **OFFLINE,
    )
    assert run.code == 0, run
    assert "pip install failed" in run.json["systemMessage"]  # the rebuild ran up to the download
    assert tree(outside) == before
    assert not (data / "venv").is_symlink() and (data / "venv").is_dir()
    assert not (data / "pycache").is_symlink()
    assert not (data / "bootstrap.lock").is_symlink()


@pytest.mark.parametrize(
    "setting", ["relative-data", "x:data", ""], ids=["relative", "drive-letter-without-slash", "missing"]
)
def test_no_byte_code_in_the_project_without_an_absolute_data_folder(
    plugin_root: Path, tmp_path: Path, work: Path, setting: str
) -> None:
    """A project cannot plant the interpreter either: `relative-data/venv/bin/python` is never run."""
    planted = work / (setting or "relative-data") / "venv" / "bin" / "python"
    planted.parent.mkdir(parents=True)
    planted.write_text(f"#!/bin/sh\ntouch '{work}/planted-ran'\n", encoding="utf-8")
    planted.chmod(0o755)
    index = work / ".workflow/active/WFS-cap/.brainstorming/feature-index.json"
    index.parent.mkdir(parents=True)
    index.write_text('{"version": "2.0"}', encoding="utf-8")
    for event, name in (
        ("PreToolUse", "pre-write-feature-index"),
        ("PostToolUse", "post-write-feature-index"),
    ):
        run = run_hook(event, payload(name, work), plugin_root, Path(setting), work)
        assert run.code in (0, 2), run
    assert not (work / "planted-ran").exists()
    assert not [p for p in work.rglob("*.pyc")], "byte code written into the project"
    assert not [p for p in plugin_root.rglob("*.pyc")], "byte code written into the plugin folder"


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_atomic_write_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path, umask: None) -> None:
    shared = tmp_path / "feature-index.json"
    shared.write_text("{}", encoding="utf-8")
    shared.chmod(0o644)
    atomic_write_json(shared, {"version": "1.0"})
    assert oct(shared.stat().st_mode & 0o777) == oct(0o644)
    private = tmp_path / "private.md"
    private.write_text("x", encoding="utf-8")
    private.chmod(0o600)
    atomic_write_text(private, "y")
    assert oct(private.stat().st_mode & 0o777) == oct(0o600)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
def test_a_new_file_gets_the_umask_mode(tmp_path: Path, umask: None) -> None:
    atomic_write_text(tmp_path / "a.md", "a")
    assert oct((tmp_path / "a.md").stat().st_mode & 0o777) == oct(0o644)
    os.umask(0o027)
    atomic_write_text(tmp_path / "b.md", "b")
    assert oct((tmp_path / "b.md").stat().st_mode & 0o777) == oct(0o640)
