"""`specrail doctor`: is everything installed, and do the plugin's hooks really run?

Checks the Python version, the plugin and its venv (built for the plugin's version), `specrail` on
PATH, runs each hook of `hooks/hooks.json` once on a sample payload (a copy of the packaged
synthesis example, in a temporary folder) and reads the project's sessions. Every problem comes
with its fix.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from specrail import __version__, bootstrap

HOOK_TIMEOUT_S = 60
NEW_SESSION = "start a new Claude Code session: its SessionStart hook builds the venv"
EXAMPLE_SESSION = ".workflow/active/WFS-team-notes"
REINSTALL = "`claude plugin marketplace add <repo>`, `claude plugin install workflow@specrail`"
SAMPLE_ARTIFACT = f"{EXAMPLE_SESSION}/.brainstorming/feature-conflict-map.json"


@dataclass
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""
    seconds: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def claude_home() -> Path:
    return Path(os.environ.get("CLAUDE_CONFIG_DIR") or Path.home() / ".claude")


def find_plugin_root(given: Path | None) -> Path | None:
    """The plugin folder: given, `CLAUDE_PLUGIN_ROOT`, the one holding this package, or the installed one."""
    candidates = [
        given,
        Path(os.environ["CLAUDE_PLUGIN_ROOT"]) if os.environ.get("CLAUDE_PLUGIN_ROOT") else None,
    ]
    candidates.append(Path(__file__).resolve().parents[2])
    try:
        installed = json.loads(
            (claude_home() / "plugins" / "installed_plugins.json").read_text(encoding="utf-8")
        )
        for key, entries in installed.get("plugins", {}).items():
            if key.startswith("workflow@"):
                candidates += [
                    Path(e["installPath"]) for e in entries if isinstance(e, dict) and "installPath" in e
                ]
    except (OSError, ValueError, AttributeError, TypeError):
        pass
    for candidate in candidates:
        if (
            candidate
            and (candidate / "hooks" / "hooks.json").is_file()
            and (candidate / ".claude-plugin").is_dir()
        ):
            return candidate
    return None


def find_plugin_data(given: Path | None) -> Path | None:
    """The plugin's data folder: given, `CLAUDE_PLUGIN_DATA`, the one whose venv runs this, or the
    only one under the client's plugin data."""
    if given:
        return given
    if os.environ.get("CLAUDE_PLUGIN_DATA"):
        return Path(os.environ["CLAUDE_PLUGIN_DATA"])
    prefix = Path(sys.prefix)
    if (prefix / bootstrap.STAMP).is_file():
        return prefix.parent
    found = sorted((claude_home() / "plugins" / "data").glob(f"*/{bootstrap.VENV}/{bootstrap.STAMP}"))
    return found[0].parent.parent if len(found) == 1 else None


def plugin_version(root: Path) -> str:
    try:
        return str(
            json.loads((root / ".claude-plugin" / "plugin.json").read_text(encoding="utf-8"))["version"]
        )
    except (OSError, ValueError, KeyError, TypeError):
        return "?"


def check_python() -> Check:
    version = ".".join(map(str, sys.version_info[:3]))
    ok = sys.version_info >= bootstrap.MIN_PYTHON
    fix = "" if ok else "install Python 3.11 or newer (python.org; on Windows not the Microsoft Store stub)"
    return Check("python", ok, f"{version} at {sys.executable}", fix)


def check_plugin(root: Path | None) -> Check:
    if root is None:
        return Check(
            "plugin",
            False,
            "the workflow plugin was not found",
            f"install it: {REINSTALL}; or pass --plugin-root",
        )
    version = plugin_version(root)
    if version == "?":
        detail = f"{root / '.claude-plugin' / 'plugin.json'} is missing or names no version"
        return Check("plugin", False, detail, f"reinstall the plugin: {REINSTALL}")
    return Check(
        "plugin", True, f"workflow {version} at {root}", extra={"version": version, "root": str(root)}
    )


def _runs(python: Path) -> bool:
    """True when the venv's interpreter starts (a venv outlives a removed or moved base Python)."""
    try:
        return subprocess.run([str(python), "-c", "pass"], capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def check_venv(data: Path | None, version: str) -> Check:
    if data is None:
        return Check("venv", False, "no plugin data folder found", f"{NEW_SESSION}, or pass --plugin-data")
    venv = data / bootstrap.VENV
    if not data.is_dir():
        return Check("venv", False, f"the plugin data folder {data} does not exist", NEW_SESSION)
    if not venv.is_dir():
        return Check("venv", False, f"the plugin data folder {data} exists but holds no venv", NEW_SESSION)
    python = Path(bootstrap.venv_python(str(data)))
    if not _runs(python):
        detail = f"the venv's python {python} does not run (its interpreter was removed or moved)"
        fix = f"delete {venv}, then start a new Claude Code session: its SessionStart hook builds the venv "
        fix += "again"
        return Check("venv", False, detail, fix, extra={"python_broken": True})
    installed = bootstrap.installed_version(str(data))
    if installed is None:
        detail = f"the venv in {venv} is incomplete (no version stamp: its install did not finish)"
        return Check("venv", False, detail, NEW_SESSION)
    if installed != version:
        fix = f"{NEW_SESSION} again (it rebuilds when the version differs)"
        return Check("venv", False, f"built for {installed}, the plugin is {version}", fix)
    return Check("venv", True, f"specrail {installed} in {python.parent}", extra={"data": str(data)})


def check_path(
    version: str, data: Path | None, project: Path | None = None, python_broken: bool = False
) -> Check:
    """The `specrail` on PATH: never one reached through `.`, an empty entry or a project folder."""
    exe = bootstrap.find_specrail(os.environ.get("PATH"), str(project) if project else None)
    where = bootstrap.path_dir(str(data)) if data else "the plugin data folder's `path` folder"
    own = (
        {Path(bootstrap.path_dir(str(data))).resolve(), Path(bootstrap.bin_dir(str(data))).resolve()}
        if data
        else set()
    )
    if exe and python_broken and Path(exe).parent.resolve() in own:
        return Check("path", True, f"{exe}: not run, it is the venv's (see venv)")
    if exe is None:
        fix = f"inside Claude Code the SessionStart hook adds it; elsewhere add {where} to PATH"
        return Check("path", False, "no `specrail` on PATH", fix)
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.TimeoutExpired) as exc:
        return Check("path", False, f"{exe} does not run: {exc}", f"reinstall, or put {where} first on PATH")
    found = out.split()[-1] if out.split() else "?"
    if version != "?" and found != version:
        return Check(
            "path", False, f"{exe} is specrail {found}, the plugin is {version}", f"put {where} first on PATH"
        )
    return Check("path", True, f"{exe} (specrail {found})")


def sample_payloads(work: Path) -> dict[str, dict[str, Any]]:
    artifact = work / SAMPLE_ARTIFACT
    write = {"file_path": str(artifact), "content": artifact.read_text(encoding="utf-8")}
    common = {"session_id": "specrail-doctor", "transcript_path": "", "cwd": str(work)}
    return {
        "SessionStart": {**common, "hook_event_name": "SessionStart", "source": "startup"},
        "PreToolUse": {**common, "hook_event_name": "PreToolUse", "tool_name": "Write", "tool_input": write},
        "PostToolUse": {
            **common,
            "hook_event_name": "PostToolUse",
            "tool_name": "Write",
            "tool_input": write,
            "tool_response": {"type": "update", "filePath": str(artifact), "content": write["content"]},
        },
    }


def run_hook(event: str, command: str, payload: dict[str, Any], env: dict[str, str], cwd: Path) -> Check:
    started = time.monotonic()
    try:
        proc = subprocess.run(
            ["sh", "-c", command],
            input=json.dumps(payload),
            capture_output=True,
            text=True,
            env=env,
            cwd=cwd,
            timeout=HOOK_TIMEOUT_S,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        seconds = time.monotonic() - started
        return Check(
            f"hook {event}",
            False,
            f"did not finish: {exc}",
            "run `specrail doctor` again; if it persists, reinstall the plugin",
            seconds,
        )
    seconds = time.monotonic() - started
    problem = ""
    if proc.returncode == 2:  # the sample is a valid write in a valid session: nothing to block
        problem = "blocked the valid sample"
    elif proc.returncode != 0:
        problem = f"exit {proc.returncode}"
    elif "Traceback" in proc.stderr:
        problem = "a Python error"
    elif proc.stdout.strip():
        try:
            json.loads(proc.stdout)
        except ValueError:
            problem = "an answer that is not JSON"
    if problem:
        last = (proc.stderr.strip().splitlines() or proc.stdout.strip().splitlines() or [""])[-1]
        fix = "rebuild the venv (delete its folder, start a new session); if it persists, report this output"
        return Check(f"hook {event}", False, f"{problem}: {last[:300]}", fix, seconds)
    return Check(f"hook {event}", True, f"ran in {seconds * 1000:.0f} ms", seconds=seconds)


def hook_commands(path: Path) -> dict[str, list[str]]:
    """Per event of `hooks.json`, its distinct commands (handlers differ by their `if` only)."""
    hooks = json.loads(path.read_text(encoding="utf-8"))["hooks"]
    found: dict[str, list[str]] = {}
    for event, groups in hooks.items():
        handlers = [h for group in groups for h in group.get("hooks", [])]
        commands = [h["command"] for h in handlers if h.get("type") == "command"]
        found[event] = list(dict.fromkeys(commands))
    return found


def check_hooks(root: Path | None, data: Path | None, venv_ok: bool) -> list[Check]:
    if root is None or data is None:
        return [Check("hooks", False, "not run: the plugin or its data folder was not found", "see above")]
    try:
        hooks = hook_commands(root / "hooks" / "hooks.json")
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        detail = f"{root / 'hooks' / 'hooks.json'} cannot be read: {type(exc).__name__}: {exc}"
        return [Check("hooks", False, detail, f"reinstall the plugin: {REINSTALL}")]
    checks = []
    with tempfile.TemporaryDirectory(prefix="specrail-doctor-") as tmp:
        work = Path(tmp) / "project"
        shutil.copytree(Path(__file__).resolve().parent / "examples" / "synthesis", work)
        payloads = sample_payloads(work)
        env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUDE_")}
        env.update(CLAUDE_PLUGIN_ROOT=str(root), CLAUDE_PLUGIN_DATA=str(data))
        env["CLAUDE_ENV_FILE"] = str(Path(tmp) / "session-env.sh")
        for event, groups in hooks.items():
            if event not in payloads:
                continue
            if event == "SessionStart" and not venv_ok:
                checks.append(Check(f"hook {event}", True, "not run: it would build the venv (see venv)"))
                continue
            for command in groups:
                checks.append(run_hook(event, command, payloads[event], env, work))
    return checks


def check_sessions(project: Path) -> list[Check]:
    from specrail.overview import overview

    checks = []
    for row in overview(project):
        bad = [p for p in row["problems"] if not p.startswith("missing ")]
        detail = f"{row['workflow']} {row['state']}" + (
            f"; {'; '.join(row['problems'])}" if row["problems"] else ""
        )
        fix = f"`specrail validate` the files named, or `specrail status {row['session']}`" if bad else ""
        checks.append(Check(f"session {row['path']}", not bad, detail, fix))
    if not checks:
        checks.append(Check("sessions", True, f"no workflow session under {project}"))
    return checks


def diagnose(
    project: Path, plugin_root: Path | None = None, plugin_data: Path | None = None
) -> dict[str, Any]:
    root = find_plugin_root(plugin_root)
    data = find_plugin_data(plugin_data)
    root, data = (p.absolute() if p else None for p in (root, data))  # the hooks run in another folder
    plugin = check_plugin(root)
    version = plugin.extra.get("version", __version__)
    venv = check_venv(data, version)
    broken = bool(venv.extra.get("python_broken"))
    checks = [check_python(), plugin, venv, check_path(version, data, project, broken)]
    checks += check_hooks(root, data, venv.ok)
    checks += check_sessions(project)
    problems = sum(not c.ok for c in checks)
    return {"ok": problems == 0, "problems": problems, "checks": [asdict(c) for c in checks]}


def render(answer: dict[str, Any]) -> str:
    lines = []
    for check in answer["checks"]:
        lines.append(f"[{'ok ' if check['ok'] else 'FAIL'}] {check['name']}: {check['detail']}")
        if check["fix"]:
            lines.append(f"       fix: {check['fix']}")
    count = answer["problems"]
    lines.append("everything works" if not count else f"{count} problem{'s' if count > 1 else ''}")
    return "\n".join(lines)
