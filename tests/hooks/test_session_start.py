"""SessionStart: the venv bootstrap (built once per version, only when needed) and the resume context."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from specrail import __version__, bootstrap, pip_steps
from tests.core.samples import spec_driven_session, synthesis_session
from tests.support.cli import REPO, Result
from tests.support.hooks import Hook, payload, run_hook, write_session
from tests.support.interpreters import find_python

TS = "2026-11-21T10:00:00Z"
SOURCES = ("session-start-startup", "session-start-resume", "session-start-clear", "session-start-compact")


def stamp(data: Path) -> Path:
    """Mark the fake venv as holding this version, as a finished install does."""
    (data / "venv" / bootstrap.STAMP).write_text(__version__ + "\n", encoding="utf-8")
    return data


def context(run: Result) -> str:
    assert run.code == 0, run
    output = run.json["hookSpecificOutput"]
    assert output["hookEventName"] == "SessionStart"
    return str(output["additionalContext"])


def bin_with(tmp: Path, name: str, **links: str) -> str:
    """A PATH holding only the given commands (name -> target), plus the shell's own tools."""
    folder = tmp / name
    folder.mkdir()
    for command, target in links.items():
        (folder / command).symlink_to(target)
    return str(folder)


@pytest.mark.parametrize("source", SOURCES)
def test_resume_context_lists_active_sessions(hook: Hook, plugin_data: Path, work: Path, source: str) -> None:
    stamp(plugin_data)
    analyzed = synthesis_session()
    analyzed.update(session_id="WFS-notes", state="ANALYZED")
    analyzed["history"].append({"from": "DISCOVERED", "to": "ANALYZED", "at": TS, "reason": "analysis valid"})
    write_session(work / ".workflow/active/WFS-notes", analyzed)
    done = synthesis_session()
    done.update(session_id="WFS-old", state="COMPLETE")
    write_session(work / ".workflow/active/WFS-old", done)
    refining = spec_driven_session()
    blocked = {"from": "VALIDATING", "to": "BLOCKED", "at": TS, "reason": "tests fail"}
    refining.update(state="BLOCKED", history=[blocked])
    write_session(work / "specs/meta/sessions/dark-mode_2026-11-20", refining)
    (work / "specs/meta/sessions/broken_2026-11-20").mkdir(parents=True)
    (work / "specs/meta/sessions/broken_2026-11-20/workflow-session.json").write_text("{", encoding="utf-8")

    text = context(hook("SessionStart", source))
    lines = text.splitlines()
    assert lines[0].startswith("Active workflow sessions")
    assert (
        "- synthesis WFS-notes: ANALYZED (last: DISCOVERED -> ANALYZED at 2026-11-21T10:00:00Z: "
        "analysis valid); next: phase 4: `specrail synthesis questions --session WFS-notes --json`" in lines
    )
    assert any(
        line.startswith("- spec-driven specs/meta/sessions/dark-mode_2026-11-20: BLOCKED (last: VALIDATING")
        and "ask the user to decide" in line
        for line in lines
    )
    broken = "- specs/meta/sessions/broken_2026-11-20: unreadable workflow-session.json"
    assert any(line.startswith(broken) for line in lines)
    assert "WFS-old" not in text
    assert len(text.encode()) <= 1024


def test_resume_context_stays_under_one_kilobyte(hook: Hook, plugin_data: Path, work: Path) -> None:
    stamp(plugin_data)
    for i in range(20):
        data = synthesis_session()
        data["session_id"] = f"WFS-session-{i:02d}"
        write_session(work / f".workflow/active/WFS-session-{i:02d}", data)
    text = context(hook("SessionStart", "session-start-resume"))
    assert len(text.encode()) <= 1024
    assert text.splitlines()[-1].startswith("(+") and "more active sessions not shown" in text


def test_nothing_to_do_is_silent_and_puts_the_venv_on_path(
    hook: Hook, plugin_data: Path, work: Path, tmp_path: Path
) -> None:
    stamp(plugin_data)
    env_file = tmp_path / "session-env.sh"
    for _ in range(2):
        run = hook("SessionStart", "session-start-startup", CLAUDE_ENV_FILE=str(env_file))
        assert (run.code, run.out, run.err) == (0, "", "")
    assert env_file.read_text(encoding="utf-8") == f"export PATH='{plugin_data}/path':\"$PATH\"\n"


def test_this_version_on_path_means_no_venv(plugin_root: Path, tmp_path: Path, work: Path) -> None:
    data = tmp_path / "plugin-data"
    env_file = tmp_path / "session-env.sh"
    run = run_hook(
        "SessionStart",
        payload("session-start-startup", work),
        plugin_root,
        data,
        work,
        CLAUDE_ENV_FILE=str(env_file),
    )
    assert (run.code, run.out) == (0, "")
    assert not (data / "venv").exists()
    assert not env_file.exists()


def test_no_python_3_11_is_reported_without_failing(plugin_root: Path, tmp_path: Path, work: Path) -> None:
    old = find_python(lambda i: (3, 8) <= i.version < (3, 11))
    if old is None:
        pytest.skip("needs a Python 3.8 to 3.10 (none found on PATH or beside this one)")
    path = bin_with(tmp_path, "bin", python3=str(old.path), sh="/bin/sh")
    stdin = payload("session-start-startup", work)
    run = run_hook("SessionStart", stdin, plugin_root, tmp_path / "data", work, PATH=path)
    assert run.code == 0
    answer = run.json
    assert "no Python 3.11 or newer found on PATH" in answer["systemMessage"]
    assert "no Python 3.11 or newer" in answer["hookSpecificOutput"]["additionalContext"]


def test_no_package_index_is_reported_without_failing(plugin_root: Path, tmp_path: Path, work: Path) -> None:
    path = bin_with(tmp_path, "bin", python3=os.path.realpath(sys.executable))
    (tmp_path / "no-wheels").mkdir()
    offline = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(tmp_path / "no-wheels")}
    offline["PIP_CONFIG_FILE"] = os.devnull
    data = tmp_path / "data"
    run = run_hook(
        "SessionStart",
        payload("session-start-startup", work),
        plugin_root,
        data,
        work,
        PATH=f"{path}:/usr/bin:/bin",
        **offline,
    )
    assert run.code == 0, run
    answer = run.json
    assert answer["systemMessage"].startswith("workflow plugin: specrail could not be installed")
    message = answer["systemMessage"]
    assert "pip install failed" in message
    assert "ERROR: Could not find a version that satisfies the requirement" in message, message
    assert "See above" not in message
    assert all(hint in message for hint in ("HTTPS_PROXY", "PIP_INDEX_URL", "PIP_FIND_LINKS")), message
    assert "/workflow commands cannot run" in answer["hookSpecificOutput"]["additionalContext"]
    assert not (data / "venv" / bootstrap.STAMP).exists()


def test_bootstrap_builds_the_venv_once(plugin_root: Path, tmp_path: Path, work: Path) -> None:
    """The one test that installs from the package index: the venv, then a second start that skips it."""
    path = bin_with(tmp_path, "bin", python3=os.path.realpath(sys.executable))
    data, env_file = tmp_path / "data", tmp_path / "session-env.sh"
    env = {"PATH": f"{path}:/usr/bin:/bin", "CLAUDE_ENV_FILE": str(env_file)}
    run = run_hook("SessionStart", payload("session-start-startup", work), plugin_root, data, work, **env)
    assert run.code == 0, run
    installed = f"workflow plugin: installed specrail {__version__} in {data}/path."
    assert run.json["systemMessage"] == installed
    launchers = data / bootstrap.PATH_DIR
    assert env_file.read_text(encoding="utf-8") == f"export PATH='{launchers}':\"$PATH\"\n"
    version = subprocess.run([str(launchers / "specrail"), "--version"], capture_output=True, text=True)
    assert version.stdout.strip() == f"specrail, version {__version__}"
    assert not list(plugin_root.rglob("__pycache__")), "nothing may be written into the plugin folder"
    cached = data / "pycache" / str(plugin_root / "scripts/specrail/_validators").lstrip("/")
    assert list(cached.rglob("workflow_session.*.pyc"))

    stamp_time = (data / "venv" / bootstrap.STAMP).stat().st_mtime_ns
    started = time.monotonic()
    again = run_hook("SessionStart", payload("session-start-resume", work), plugin_root, data, work, **env)
    assert (again.code, again.out) == (0, "")
    assert time.monotonic() - started < 5
    assert (data / "venv" / bootstrap.STAMP).stat().st_mtime_ns == stamp_time

    index = work / ".workflow/active/WFS-cap/.brainstorming/feature-index.json"
    index.parent.mkdir(parents=True)
    (index.parent.parent / "workflow-session.json").write_text("{}", encoding="utf-8")
    index.write_text('{"version": "2.0"}', encoding="utf-8")
    post = run_hook("PostToolUse", payload("post-write-feature-index", work), plugin_root, data, work, **env)
    assert post.code == 0
    assert "- /version: '1.0' was expected" in post.json["reason"]


def test_pip_failure_names_its_first_error_and_the_network_cause() -> None:
    """pip's own words behind a proxy that refuses: the first ERROR line and what broke the connection."""
    not_found = "ERROR: Could not find a version that satisfies the requirement pydantic<3,>=2.6"
    output = (
        "WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after "
        "connection broken by 'ProxyError('Cannot connect to proxy.', OSError('Tunnel connection failed: "
        "403 Forbidden'))': /simple/pydantic/\n"
        f"{not_found} (from versions: none)\n"
        "ERROR: No matching distribution found for pydantic<3,>=2.6\n"
    )
    lines = pip_steps.first_error(output).splitlines()
    assert lines[0] == f"  {not_found} (from versions: none)"
    assert lines[1].startswith("  cause: ProxyError('Cannot connect to proxy.'")
    assert len(lines) == 2
    quiet = "error: subprocess-exited-with-error\nSee above for output.\nnote: from a subprocess\n"
    assert pip_steps.first_error(quiet) == "  error: subprocess-exited-with-error"


def test_every_hook_shows_a_status_message_while_it_runs() -> None:
    hooks = json.loads((REPO / "hooks" / "hooks.json").read_text(encoding="utf-8"))["hooks"]
    handlers = [h for groups in hooks.values() for group in groups for h in group["hooks"]]
    assert handlers and all(h.get("statusMessage", "").startswith("workflow: ") for h in handlers), handlers
    [start] = hooks["SessionStart"][0]["hooks"]
    assert "first start installs it" in start["statusMessage"]


def test_a_slow_package_index_is_named_after_the_install() -> None:
    """pip that retried, or an install that took long, is told to the user with the offline set-up."""
    retried = (
        "WARNING: Retrying (Retry(total=4, ...)) after connection broken by 'ReadTimeoutError(...)'\n" * 2
    )
    note = pip_steps.waited(retried, 42.0)
    assert note.startswith("the package index was slow (42 s, pip retried 2 times)")
    assert "PIP_INDEX_URL" in note and "PIP_FIND_LINKS" in note and "environment `claude` starts from" in note
    assert pip_steps.waited("Successfully installed pydantic\n", 61.0).startswith(
        "the package index was slow (61 s"
    )
    assert pip_steps.waited("Successfully installed pydantic\n", 9.0) == ""


def test_the_first_start_says_it_may_wait_on_the_package_index() -> None:
    hooks = json.loads((REPO / "hooks" / "hooks.json").read_text(encoding="utf-8"))["hooks"]
    [start] = hooks["SessionStart"][0]["hooks"]
    assert "waits for the package index" in start["statusMessage"]
