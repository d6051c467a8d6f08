"""The pinned Claude Code CLI driven against the scripted API stand-in: its environment and its results."""

from __future__ import annotations

import json
import os
import sys
import sysconfig
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from tests.e2e.stand_in import (
    RecordedRequest,
    Script,
    Step,
    feedback_text,
    messages_text,
    tool_results,
)
from tests.support.cli import REPO as REPO_ROOT

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
