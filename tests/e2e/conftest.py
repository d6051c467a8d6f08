"""Fixtures that drive the pinned Claude Code CLI against the scripted API stand-in."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import sysconfig
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import pytest
from stand_in import (
    RecordedRequest,
    Script,
    StandIn,
    Step,
    feedback_text,
    messages_text,
    tool_results,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
NODE_MODULES = REPO_ROOT / "tests" / "tools" / "node_modules"
NATIVE_CLI = NODE_MODULES / "@anthropic-ai" / "claude-code-linux-x64" / "claude"
NODE_CLI = NODE_MODULES / ".bin" / "claude"

DEFAULT_ALLOWED_TOOLS: tuple[str, ...] = ("Bash", "Read", "Write", "Edit", "Glob", "Grep")

# Keep the client offline, quiet and fast: no update checks, telemetry, error reports, surveys,
# marketplace installs, memory extraction, agent summaries or auto-compaction side queries.
OFFLINE_ENV: dict[str, str] = {
    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1",
    "DISABLE_AUTOUPDATER": "1",
    "DISABLE_TELEMETRY": "1",
    "DISABLE_ERROR_REPORTING": "1",
    "DISABLE_INSTALLATION_CHECKS": "1",
    "DISABLE_AUTO_COMPACT": "1",
    "CLAUDE_CODE_DISABLE_OFFICIAL_MARKETPLACE_AUTOINSTALL": "1",
    "CLAUDE_CODE_DISABLE_FEEDBACK_SURVEY": "1",
    "CLAUDE_CODE_DISABLE_AUTO_MEMORY": "1",
    "CLAUDE_CODE_DISABLE_AGENT_PROGRESS_SUMMARIES": "1",
    "CLAUDE_CODE_DISABLE_TERMINAL_TITLE": "1",
    "NO_PROXY": "127.0.0.1,localhost",
    "no_proxy": "127.0.0.1,localhost",
}

# Variables of the calling environment that must not leak into the client under test.
_DROPPED_PREFIXES = ("ANTHROPIC_", "CLAUDE", "OTEL_", "AWS_BEARER_TOKEN", "VERTEX_", "MCP_")
_DROPPED_NAMES = {"HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"}


@dataclass
class RunResult:
    """Outcome of one ``claude -p`` run and what it sent to the stand-in."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str
    requests: list[RecordedRequest]
    home: Path
    cwd: Path
    script: Script
    duration: float = 0.0

    @property
    def json(self) -> dict[str, Any]:
        """The ``--output-format json`` result object printed on stdout."""
        return dict(json.loads(self.stdout))

    @property
    def main(self) -> list[RecordedRequest]:
        """Agent-loop requests of the main agent, in order."""
        return [r for r in self.requests if r.kind == "main"]

    @property
    def side(self) -> list[RecordedRequest]:
        """Side queries (did not consume the script)."""
        return [r for r in self.requests if r.kind == "side"]

    def body(self, n: int = 0) -> dict[str, Any]:
        """JSON body of main-loop request ``n`` (negative indexes count from the end)."""
        main = self.main
        assert main, f"no main-loop request was made\n{self.describe()}"
        assert -len(main) <= n < len(main), f"only {len(main)} main-loop requests\n{self.describe()}"
        return dict(main[n].body)

    def user_text(self, n: int = 0) -> str:
        """All user/system message text of main-loop request ``n`` (tool results included)."""
        return messages_text(self.body(n))

    def feedback(self, n: int = -1) -> str:
        """Text after the last assistant turn of main request ``n``: tool results, hook feedback."""
        return feedback_text(self.body(n))

    def tool_results(self, n: int = -1) -> list[dict[str, Any]]:
        """tool_result blocks (tool_use_id, text, is_error) after the last assistant turn."""
        return tool_results(self.body(n))

    def describe(self) -> str:
        """A diagnostic summary for assertion messages."""
        kinds = ", ".join(f"{r.method} {r.path} [{r.kind}]" for r in self.requests)
        return (
            f"returncode={self.returncode}\nrequests: {kinds or 'none'}\n"
            f"stdout: {self.stdout[-2000:]}\nstderr: {self.stderr[-2000:]}"
        )


class RunClaude(Protocol):
    """Signature of the ``run_claude`` fixture."""

    def __call__(
        self,
        prompt: str,
        script: Script | Iterable[Step] = (),
        *,
        cwd: Path | str | None = None,
        allowed_tools: Sequence[str] = DEFAULT_ALLOWED_TOOLS,
        plugin_dir: Path | str | None = REPO_ROOT,
        extra_env: dict[str, str] | None = None,
        extra_args: Sequence[str] = (),
        timeout: float = 45,
    ) -> RunResult: ...


def python_scripts_dir() -> str:
    """Directory holding the current interpreter's console scripts (``specrail``)."""
    return sysconfig.get_path("scripts")


def client_env(base_url: str, home: Path, extra_env: dict[str, str] | None = None) -> dict[str, str]:
    """Environment for the client: caller's env minus API/client settings, plus offline settings."""
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(_DROPPED_PREFIXES) and k not in _DROPPED_NAMES
    }
    path_dirs = [python_scripts_dir(), str(Path(sys.executable).parent)]
    env["PATH"] = os.pathsep.join([*dict.fromkeys(path_dirs), env.get("PATH", os.defpath)])
    env.update(OFFLINE_ENV)
    env.update(
        {
            "HOME": str(home),
            "ANTHROPIC_BASE_URL": base_url,
            "ANTHROPIC_API_KEY": "test",
        }
    )
    env.update(extra_env or {})
    return env


@pytest.fixture(scope="session")
def claude_bin() -> Path:
    """The pinned Claude Code CLI from node_modules (made executable if needed)."""
    for candidate in (NATIVE_CLI, NODE_CLI):
        if candidate.exists():
            mode = candidate.stat().st_mode
            if not mode & stat.S_IXUSR:
                candidate.chmod(mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
            return candidate
    pytest.fail(
        f"the pinned Claude Code CLI is missing ({NATIVE_CLI.relative_to(REPO_ROOT)}); "
        "run `npm ci --prefix tests/tools`",
        pytrace=False,
    )


@pytest.fixture
def stand_in() -> Iterator[StandIn]:
    """A running API stand-in on 127.0.0.1 for the duration of one test."""
    server = StandIn().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def run_claude(claude_bin: Path, stand_in: StandIn, tmp_path_factory: pytest.TempPathFactory) -> RunClaude:
    """Run ``claude -p PROMPT`` with the plugin loaded against ``stand_in`` playing ``script``."""

    def run(
        prompt: str,
        script: Script | Iterable[Step] = (),
        *,
        cwd: Path | str | None = None,
        allowed_tools: Sequence[str] = DEFAULT_ALLOWED_TOOLS,
        plugin_dir: Path | str | None = REPO_ROOT,
        extra_env: dict[str, str] | None = None,
        extra_args: Sequence[str] = (),
        timeout: float = 45,
    ) -> RunResult:
        home = tmp_path_factory.mktemp("home")
        work = Path(cwd) if cwd is not None else tmp_path_factory.mktemp("work")
        loaded = script if isinstance(script, Script) else Script(script)
        stand_in.load(loaded)
        args = [str(claude_bin), "-p", prompt, "--output-format", "json"]
        if plugin_dir is not None:
            args += ["--plugin-dir", str(plugin_dir)]
        if allowed_tools:
            args += ["--allowedTools", ",".join(allowed_tools)]
        args += ["--permission-mode", "acceptEdits", *extra_args]
        started = time.monotonic()
        try:
            proc = subprocess.run(
                args,
                cwd=work,
                env=client_env(stand_in.base_url, home, extra_env),
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as exc:
            seen = ", ".join(f"{r.method} {r.path} [{r.kind}]" for r in stand_in.snapshot())
            pytest.fail(f"claude -p timed out after {timeout}s; requests: {seen or 'none'}\n{exc.stderr!r}")
        if loaded.errors:
            pytest.fail("a script step raised:\n" + "\n".join(loaded.errors), pytrace=False)
        return RunResult(
            args=args,
            returncode=proc.returncode,
            stdout=proc.stdout,
            stderr=proc.stderr,
            requests=stand_in.snapshot(),
            home=home,
            cwd=work,
            script=loaded,
            duration=time.monotonic() - started,
        )

    return run
