"""The hook payload on stdin: a scan for one string member without `json`, the full parse when needed.

Importing `json` pulls in `re`, `enum` and `functools`, which doubles an interpreter's start-up;
`string_member` finds `tool_input.file_path` in the raw bytes instead, and gives up (returns None)
whenever the answer would not be exact, so the caller falls back to `parse`.
"""

from __future__ import annotations

import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

_WHITESPACE = b" \t\r\n"


def read_stdin() -> bytes:
    return sys.stdin.buffer.read()


def _skip(raw: bytes, i: int) -> int:
    while i < len(raw) and raw[i] in _WHITESPACE:
        i += 1
    return i


def string_member(raw: bytes, key: str, within: str = "tool_input") -> str | None:
    """The string value of the first `"key": "..."` after the `"within"` key, or None.

    None when either key is missing, the value is not a plain string, or it holds an escape
    sequence. A JSON string cannot contain an unescaped quote, so `"key"` followed by a colon is
    always a member name, never text inside another value; the client writes `tool_input` before
    `tool_response`, and `file_path` is the first member of the tool's own input.
    """
    start = raw.find(b'"' + within.encode() + b'"')
    if start < 0:
        return None
    needle = b'"' + key.encode() + b'"'
    i = raw.find(needle, start + len(within) + 2)
    if i < 0:
        return None
    i = _skip(raw, i + len(needle))
    if raw[i : i + 1] != b":":
        return None
    i = _skip(raw, i + 1)
    if raw[i : i + 1] != b'"':
        return None
    end = raw.find(b'"', i + 1)
    value = raw[i + 1 : end]
    if end < 0 or b"\\" in value:
        return None
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return None


class MalformedPayload(ValueError):
    """Stdin was not the JSON object the client sends."""


def parse(raw: bytes) -> dict[str, Any]:
    """The whole payload as a dict; MalformedPayload when it is not a JSON object."""
    import json

    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise MalformedPayload(f"stdin is not JSON: {exc}") from None
    if not isinstance(data, dict):
        raise MalformedPayload(f"stdin is JSON but not an object (got {type(data).__name__})")
    return data


def file_path(data: dict[str, Any]) -> str | None:
    """`tool_input.file_path` of a parsed payload, as the call gave it."""
    tool_input = data.get("tool_input")
    path = tool_input.get("file_path") if isinstance(tool_input, dict) else None
    return path if isinstance(path, str) and path else None


def cwd(data: dict[str, Any]) -> str | None:
    value = data.get("cwd")
    return value if isinstance(value, str) and value else None


def outside_workflow(raw: bytes) -> bool:
    """True when the raw payload's file is surely outside every workflow tree (decided without json)."""
    from specrail.hooks import scope

    path = string_member(raw, "file_path")
    if path is None:
        return False
    base = None
    if not path.startswith("/"):
        base = string_member(raw, "cwd", within="session_id")
        if base is None:
            return False
    if scope.locate(path, base) is not None:
        return False
    real = scope.real_path(path, base)
    return real is None or not scope.new_session_file(real)  # a Write that would start a session
