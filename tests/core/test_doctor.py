"""`specrail doctor` on a real plugin copy, data folder and project: what works, and each problem's fix."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from specrail import __version__, bootstrap
from tests.support.cli import REPO
from tests.support.hooks import copy_plugin, fake_venv

EXAMPLE = REPO / "scripts" / "specrail" / "examples" / "synthesis"


def doctor(root: Path, data: Path, project: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUDE")}
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    args = ["--plugin-root", str(root), "--plugin-data", str(data), "--root", str(project), *extra]
    return subprocess.run(
        [sys.executable, "-m", "specrail", "doctor", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def checks(proc: subprocess.CompletedProcess[str]) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in json.loads(proc.stdout)["checks"]}


def setup(tmp_path: Path, stamp: str) -> tuple[Path, Path, Path]:
    root = copy_plugin(tmp_path / "cache" / "9c1e")
    data = fake_venv(tmp_path / "data")
    (data / "venv" / bootstrap.STAMP).write_text(stamp + "\n", encoding="utf-8")
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project)
    return root, data, project


def test_a_working_install_passes_every_check(tmp_path: Path) -> None:
    root, data, project = setup(tmp_path, __version__)
    proc = doctor(root, data, project, "--json")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    found = checks(proc)
    assert all(c["ok"] for c in found.values()), found
    for event in ("SessionStart", "PreToolUse", "PostToolUse"):
        hook = found[f"hook {event}"]
        assert hook["detail"].startswith("ran in ") and hook["seconds"] > 0, hook
    assert found["venv"]["detail"] == f"specrail {__version__} in {data / 'venv' / 'bin'}"
    assert found["session .workflow/active/WFS-team-notes"]["detail"].startswith("synthesis ")
    assert not (root / "scripts" / "specrail" / "__pycache__").exists()


def test_each_problem_is_reported_with_its_fix(tmp_path: Path) -> None:
    root, data, project = setup(tmp_path, "0.0.1")
    handler = root / "scripts" / "specrail" / "hooks" / "pre_tool_use.py"
    handler.write_text("raise RuntimeError('broken install')\n", encoding="utf-8")
    session = project / ".workflow/active/WFS-team-notes/workflow-session.json"
    session.write_text("{", encoding="utf-8")
    proc = doctor(root, data, project, "--json")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    found = checks(proc)
    assert found["venv"]["detail"] == f"built for 0.0.1, the plugin is {__version__}"
    assert "new Claude Code session" in found["venv"]["fix"]
    assert found["hook SessionStart"]["detail"].startswith("not run")  # it would rebuild the venv
    assert not found["hook PreToolUse"]["ok"]
    assert "broken install" in found["hook PreToolUse"]["detail"]
    assert "rebuild the venv" in found["hook PreToolUse"]["fix"]
    assert found["hook PostToolUse"]["ok"]
    bad = found["session .workflow/active/WFS-team-notes"]
    assert not bad["ok"] and "unreadable" in bad["detail"] and "specrail validate" in bad["fix"]
    assert json.loads(proc.stdout)["problems"] == 3

    text = doctor(root, data, project)
    assert text.returncode == 1
    lines = text.stdout.splitlines()
    assert lines[-1] == "3 problems"
    assert f"[FAIL] venv: built for 0.0.1, the plugin is {__version__}" in lines
    assert any(line.strip().startswith("fix: start a new Claude Code session") for line in lines)


def test_no_data_folder_is_a_problem(tmp_path: Path) -> None:
    root, _, project = setup(tmp_path, __version__)
    proc = doctor(root, tmp_path / "nowhere", project, "--json")
    assert proc.returncode == 1
    found = checks(proc)
    assert found["venv"]["detail"].endswith("nowhere does not exist")


def test_relative_folders_and_a_hook_that_blocks_the_valid_sample(tmp_path: Path) -> None:
    root, data, project = setup(tmp_path / "a folder", __version__)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUDE")}
    args = ["--plugin-root", "a folder/cache/9c1e", "--plugin-data", "a folder/data"]
    args += ["--root", "a folder/project"]
    proc = subprocess.run(
        [sys.executable, "-m", "specrail", "doctor", *args, "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=300,
    )
    found = checks(proc)
    for event in ("SessionStart", "PreToolUse", "PostToolUse"):
        assert found[f"hook {event}"]["detail"].startswith("ran in "), found[f"hook {event}"]
    handler = root / "scripts" / "specrail" / "hooks" / "pre_tool_use.py"
    refuse = "import sys\nprint('refused for no reason', file=sys.stderr)\nsys.exit(2)\n"
    handler.write_text(refuse, encoding="utf-8")
    blocked = checks(doctor(root, data, project, "--json"))["hook PreToolUse"]
    assert not blocked["ok"] and "refused for no reason" in blocked["detail"], blocked


def test_a_damaged_plugin_is_reported_not_crashed_on(tmp_path: Path) -> None:
    root, data, project = setup(tmp_path, __version__)
    (root / "hooks" / "hooks.json").write_text('{"hooks": {"PreToolUse": "x"}}', encoding="utf-8")
    (root / ".claude-plugin" / "plugin.json").unlink()
    proc = doctor(root, data, project, "--json")
    assert proc.returncode == 1 and "internal error" not in proc.stderr, proc.stdout + proc.stderr
    found = checks(proc)
    assert found["plugin"]["detail"].endswith("plugin.json is missing or names no version")
    assert found["venv"]["ok"], found["venv"]  # built for this version: not blamed
    assert "hooks.json cannot be read" in found["hooks"]["detail"]
    assert "claude plugin install workflow@specrail" in found["hooks"]["fix"]
    (root / "hooks" / "hooks.json").write_text("{", encoding="utf-8")
    assert "JSONDecodeError" in checks(doctor(root, data, project, "--json"))["hooks"]["detail"]
