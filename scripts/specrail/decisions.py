"""Steps that record a user's decision, and who may take them.

Inside a Claude Code session the client sets `CLAUDECODE=1` in the environment of its Bash tool
calls. There the commands' `allowed-tools` pre-allow only the steps that decide nothing, so the
client asks the user before a decision step runs (`resolve`, `answer-question`, `confirm-proposal`,
`commit`, synthesis `answer --answers`, ...). What a pre-allowed step could still decide through a
flag is refused here, with the step the user must take instead. Run by a person in a terminal, a
script or CI (no `CLAUDECODE`), every step works as it always did.
"""

from __future__ import annotations

import os

from specrail.errors import InvalidInput

CLIENT_ENV = "CLAUDECODE"


def in_client() -> bool:
    """Whether the command runs as a tool call of a Claude Code session."""
    return os.environ.get(CLIENT_ENV, "") not in ("", "0")


def users_only(what: str, instead: str, *, file: str | None = None, pointer: str | None = None) -> None:
    """Refuse, inside a Claude Code session, a step the model may not take for the user."""
    if in_client():
        raise InvalidInput(
            f"{what} is the user's decision, not the model's: {instead}", file=file, pointer=pointer
        )
