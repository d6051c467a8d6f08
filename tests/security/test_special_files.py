"""Bounded reads: a FIFO, a device, an oversized file or YAML never hangs a hook or the CLI."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from specrail import __version__, bootstrap
from tests.security.hook_runs import BRAINSTORM, GUIDANCE, INDEX, SESSION, call, start_synthesis
from tests.support.cli import Result
from tests.support.hooks import command, hook_env

LIMIT_S = 8  # far below the hooks' timeouts: nothing here may wait on a read


def quick_hook(event: str, stdin: dict[str, Any], root: Path, data: Path, cwd: Path) -> Result:
    """The hook as the client runs it, failing the test instead of hanging."""
    started = time.monotonic()
    proc = subprocess.run(
        ["/bin/sh", "-c", command(event)],
        input=json.dumps(stdin).encode(),
        capture_output=True,
        env=hook_env(root, data),
        cwd=cwd,
        timeout=LIMIT_S * 4,
    )
    assert time.monotonic() - started < LIMIT_S, f"{event} took too long"
    return Result(proc.returncode, proc.stdout.decode(), proc.stderr.decode())


def quick_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "specrail", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=LIMIT_S * 4,
    )
    assert time.monotonic() - started < LIMIT_S, f"specrail {' '.join(args)} took too long"
    return proc


def plant_session_file(work: Path, kind: str) -> None:
    """WFS-cap's session file replaced by a FIFO or a link to /dev/zero."""
    start_synthesis(work)
    session = work / SESSION / "workflow-session.json"
    session.unlink()
    if kind == "fifo":
        os.mkfifo(session)
    else:
        session.symlink_to("/dev/zero")


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_special_session_file_hangs_no_hook(
    plugin_root: Path, plugin_data: Path, work: Path, kind: str
) -> None:
    plant_session_file(work, kind)
    edit = call("PreToolUse", work, "Edit", str(work / GUIDANCE), old_string="offline", new_string="online")
    run = quick_hook("PreToolUse", edit, plugin_root, plugin_data, work)
    assert (run.code, run.out) == (0, "")  # no readable session: nothing declares the guidance read-only
    write = call("PreToolUse", work, "Write", str(work / SESSION / "workflow-session.json"), content="{}")
    answer = quick_hook("PreToolUse", write, plugin_root, plugin_data, work).out
    if kind == "fifo":
        assert (
            "is written only by specrail"
            in json.loads(answer)["hookSpecificOutput"]["permissionDecisionReason"]
        )
    else:
        assert answer == ""  # really /dev/zero: outside every workflow tree
    (plugin_data / "venv" / bootstrap.STAMP).write_text(__version__ + "\n", encoding="utf-8")
    start = quick_hook("SessionStart", {"session_id": "s", "cwd": str(work)}, plugin_root, plugin_data, work)
    context = json.loads(start.out).get("hookSpecificOutput", {}).get("additionalContext", "")
    refused = "is not a regular file (a FIFO, socket or device); not read"
    assert f"- {SESSION}: unreadable workflow-session.json ({refused})" in context
    assert quick_cli("status", cwd=work).returncode in (0, 1)


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_special_artifact_is_refused_before_any_read(
    plugin_root: Path, plugin_data: Path, work: Path, kind: str
) -> None:
    start_synthesis(work)
    index = work / INDEX
    if kind == "fifo":
        os.mkfifo(index)
    else:
        index.symlink_to("/dev/zero")
    post = quick_hook(
        "PostToolUse", call("PostToolUse", work, "Write", str(index)), plugin_root, plugin_data, work
    )
    if kind == "fifo":
        refused = "is not a regular file (a FIFO, socket or device); not read"
        assert refused in json.loads(post.out)["systemMessage"]
    else:
        assert post.out == ""  # really /dev/zero: outside every workflow tree, nothing to judge
    edit = call("PreToolUse", work, "Edit", str(index), old_string="a", new_string="b")
    assert quick_hook("PreToolUse", edit, plugin_root, plugin_data, work).out == ""  # the client refuses it
    cli = quick_cli("validate", INDEX, cwd=work)
    if kind == "fifo":
        assert cli.returncode == 2 and "is not a regular file" in cli.stdout + cli.stderr
    else:
        assert cli.returncode == 1 and "is a symlink to a file outside the project" in cli.stdout
        device = quick_cli("validate", "/dev/zero", "--kind", "feature-index", cwd=work)
        assert device.returncode == 2 and "is not a regular file" in device.stdout + device.stderr


def test_a_fifo_guidance_hangs_no_context_check(work: Path) -> None:
    start_synthesis(work)
    (work / GUIDANCE).unlink()
    os.mkfifo(work / GUIDANCE)
    (work / BRAINSTORM / "feature-conflict-map.json").write_text("{}", encoding="utf-8")
    cli = quick_cli("validate", f"{BRAINSTORM}/feature-conflict-map.json", cwd=work)
    assert "Traceback" not in cli.stderr


def test_an_oversized_artifact_is_refused_by_its_size(work: Path) -> None:
    start_synthesis(work)
    with open(work / INDEX, "wb") as handle:
        handle.truncate(11 * 1024 * 1024)  # sparse: no disk used
    cli = quick_cli("validate", INDEX, cwd=work)
    assert cli.returncode == 1
    assert f"file is {11 * 1024 * 1024} bytes; the limit is {10 * 1024 * 1024}" in cli.stdout + cli.stderr


def test_a_large_yaml_is_refused_before_parsing(work: Path) -> None:
    (work / ".specrail.yaml").write_text("spec_driven_feature:\n" + "  - 1\n" * 420_000, encoding="utf-8")
    cli = quick_cli("validate", ".specrail.yaml", cwd=work)
    assert cli.returncode == 1
    out = cli.stdout + cli.stderr
    assert "YAML is 2520021 bytes; the limit is 65536 (not parsed)" in out
    assert "alias" not in out


def test_the_alias_bomb_message_needs_aliases(work: Path) -> None:
    bomb = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for level in "bcdefg":
        previous = chr(ord(level) - 1)
        bomb.append(f"{level}: &{level} [" + ", ".join(f"*{previous}" for _ in range(10)) + "]")
    (work / ".specrail.yaml").write_text("\n".join(bomb) + "\n", encoding="utf-8")
    cli = quick_cli("validate", ".specrail.yaml", cwd=work)
    assert cli.returncode == 1
    assert (
        "YAML expands to more than 100000 nodes through its aliases (an alias bomb)"
        in cli.stdout + cli.stderr
    )


def test_a_fifo_beside_a_feature_spec_hangs_no_check(
    plugin_root: Path, plugin_data: Path, work: Path
) -> None:
    start_synthesis(work)
    os.mkfifo(work / BRAINSTORM / "feature-conflict-map.json")  # read by the feature spec's rules
    spec = work / BRAINSTORM / "feature-specs" / "F-001-offline-sync.md"
    spec.parent.mkdir()
    spec.write_text("# Feature Spec: F-001 - Offline sync\n", encoding="utf-8")
    post = quick_hook(
        "PostToolUse", call("PostToolUse", work, "Write", str(spec)), plugin_root, plugin_data, work
    )
    assert json.loads(post.out)["decision"] == "block"  # judged on its own, the FIFO left unread
    cli = quick_cli("validate", f"{BRAINSTORM}/feature-specs/F-001-offline-sync.md", cwd=work)
    assert cli.returncode == 1 and "Traceback" not in cli.stderr
