"""Fixtures that drive the pinned Claude Code CLI against the scripted API stand-in."""

from __future__ import annotations

import stat
import subprocess
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pytest

from tests.e2e.stand_in import Script, StandIn, Step
from tests.support.claude import (
    DEFAULT_ALLOWED_TOOLS,
    NATIVE_CLI,
    NODE_CLI,
    REPO_ROOT,
    RunClaude,
    RunResult,
    client_env,
)


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
