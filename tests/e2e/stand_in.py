"""A scripted stand-in for the Anthropic Messages API, for driving the real Claude Code CLI.

The server answers ``POST /v1/messages`` (the client adds ``?beta=true``) with streamed SSE replies
in the Anthropic streaming format, taken in order from a :class:`Script`::

    Script([
        tool("Bash", {"command": "specrail --version"}),
        lambda body: text("saw: " + tool_results(body)[-1]["text"]),
        turn("Writing two files", tool("Write", {...}), tool("Write", {...})),
        text("done"),
    ])

Every request is recorded, in arrival order, as a :class:`RecordedRequest` (method, path, query,
headers, parsed JSON body and a ``kind``). When the script is exhausted the reply is the text
``"end of script"``.

What the client (``@anthropic-ai/claude-code`` 2.1.328, ``claude -p``) sends, found by recording it:

* Agent-loop requests: ``POST /v1/messages?beta=true`` with ``"stream": true``, a non-empty ``tools``
  list and no structured output format. ``messages[0]`` is the user turn: a ``<system-reminder>``
  text block, then the prompt. For a plugin slash command such as ``/workflow:synthesis -y`` the
  prompt is two blocks: ``<command-message>workflow:synthesis</command-message>
  <command-name>/workflow:synthesis</command-name><command-args>-y</command-args>`` and the command
  body (front matter stripped, ``$ARGUMENTS`` replaced). ``messages[1]`` has ``"role": "system"``
  (environment, deferred tools, agent types). Message ``content`` is a string or a list of blocks.
* Subagent requests (Agent tool) look the same but carry an ``x-claude-code-agent-id`` header; they
  are recorded with kind ``"subagent"`` and also consume the script (the test scripts them).
* Side queries (prompt hooks, session titles, summaries, quota checks...) are made through a
  tool-free helper: ``tools`` is absent or empty, and often ``output_config.format`` holds a
  ``json_schema`` (e.g. a ``type: prompt`` Stop hook asks for ``{"ok": bool, "reason": str}``);
  they may be non-streaming. They are recorded with kind ``"side"``, do NOT consume the script, and
  are answered with a short text, or with a minimal JSON instance of the requested schema. With
  ``CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1`` a plain ``claude -p`` run makes no side query.
* Other traffic: without ``CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC`` the client first sends
  ``HEAD /api/hello``. Any other method/path (``count_tokens``, telemetry, config) gets a harmless
  ``200`` (``{"input_tokens": 10}`` for ``count_tokens``, ``{}`` otherwise) and kind ``"other"``.

Tool results come back in the next agent-loop request as a user message whose content is a list of
``{"type": "tool_result", "tool_use_id": ..., "content": <str or text blocks>, "is_error": ...}``.

A PostToolUse hook that exits 2 with stderr (blocking error) does NOT change the tool_result. The
client adds, right after that user message, a separate message with ``"role": "system"``::

    {"role": "system", "content": [{"type": "text", "text":
        "PostToolUse:Write hook blocking error from command: \\"<cmd>\\": [<cmd>]: <stderr>\\n\\n"
        "This hook comes from the <plugin>@inline plugin."}]}

``<cmd>`` is the hook command with ``${CLAUDE_PLUGIN_ROOT}`` expanded, ``<stderr>`` is the hook's
whole stderr (all lines, trailing newline stripped), ``<plugin>`` is the plugin name (``workflow``
for a ``--plugin-dir`` plugin named workflow); the hook's stdout is not shown. In later requests the
same message may have a plain string ``content``. Use :func:`feedback_text` (text of every message
after the last assistant turn) to assert on it.
"""

from __future__ import annotations

import itertools
import json
import sys
import threading
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

END_OF_SCRIPT = "end of script"
SIDE_REPLY = "stand-in side reply"


@dataclass(frozen=True)
class Block:
    """One content block of a scripted assistant reply."""

    type: str  # "text" or "tool_use"
    text: str = ""
    name: str = ""
    input: dict[str, Any] = field(default_factory=dict)
    id: str | None = None


@dataclass(frozen=True)
class Turn:
    """One scripted assistant reply: text and/or tool_use blocks."""

    blocks: tuple[Block, ...]

    @property
    def stop_reason(self) -> str:
        """``tool_use`` when the reply calls a tool, else ``end_turn``."""
        return "tool_use" if any(b.type == "tool_use" for b in self.blocks) else "end_turn"


def text(s: str) -> Turn:
    """A reply made of one text block (ends the agent loop)."""
    return Turn((Block("text", text=s),))


def tool(name: str, input: dict[str, Any], *, id: str | None = None) -> Turn:
    """A reply made of one tool_use block; the id is generated unless given."""
    return Turn((Block("tool_use", name=name, input=dict(input), id=id),))


def turn(*parts: Turn | str) -> Turn:
    """Join replies (or plain strings) into one reply, e.g. text plus parallel tool calls."""
    blocks: list[Block] = []
    for p in parts:
        blocks.extend(text(p).blocks if isinstance(p, str) else p.blocks)
    return Turn(tuple(blocks))


Step = Turn | str | Callable[[dict[str, Any]], "Turn | str"]


class Script:
    """An ordered list of replies; a step is a Turn, a plain string (text reply) or a callable
    receiving the request body and returning either. A callable that raises ends the run with a
    text reply and its traceback is kept in ``errors`` (the ``run_claude`` fixture fails on it)."""

    def __init__(self, steps: Iterable[Step] = ()) -> None:
        self._steps: list[Step] = list(steps)
        self._lock = threading.Lock()
        self.used = 0
        self.errors: list[str] = []

    def next_turn(self, body: dict[str, Any]) -> Turn:
        """Pop the next step and resolve it against ``body``; ``end of script`` when empty."""
        with self._lock:
            if not self._steps:
                return text(END_OF_SCRIPT)
            step = self._steps.pop(0)
            self.used += 1
        try:
            result = step(body) if callable(step) else step
        except Exception:
            self.errors.append(traceback.format_exc())
            return text(f"stand-in error in script step {self.used}")
        return text(result) if isinstance(result, str) else result

    @property
    def remaining(self) -> int:
        """Number of steps not yet consumed."""
        return len(self._steps)


@dataclass
class RecordedRequest:
    """One HTTP request the client made, in arrival order."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: Any
    kind: str = "other"  # "main", "subagent", "side" or "other"

    def header(self, name: str) -> str | None:
        """Case-insensitive header lookup."""
        low = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == low), None)


def classify(path: str, headers: dict[str, str], body: Any) -> str:
    """Tell agent-loop requests from side queries and other traffic (see module docstring)."""
    if not path.rstrip("/").endswith("/v1/messages") or not isinstance(body, dict):
        return "other"
    fmt = (body.get("output_config") or {}).get("format")
    if not body.get("tools") or not body.get("stream") or fmt:
        return "side"
    if any(k.lower() == "x-claude-code-agent-id" for k in headers):
        return "subagent"
    return "main"


def schema_instance(schema: Any) -> Any:
    """A minimal value satisfying a simple JSON schema (for structured side queries)."""
    if not isinstance(schema, dict):
        return SIDE_REPLY
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    for key in ("anyOf", "oneOf"):
        if schema.get(key):
            return schema_instance(schema[key][0])
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = kind[0]
    props = schema.get("properties") or {}
    if kind == "object" or props:
        return {k: schema_instance(props.get(k, {})) for k in schema.get("required", list(props))}
    return {
        "boolean": True,
        "integer": 0,
        "number": 0,
        "array": [],
        "null": None,
    }.get(str(kind), SIDE_REPLY)


def side_turn(body: dict[str, Any]) -> Turn:
    """The reply to a side query: short text, or JSON when a json_schema format is requested."""
    fmt = (body.get("output_config") or {}).get("format") or {}
    if fmt.get("type") == "json_schema":
        return text(json.dumps(schema_instance(fmt.get("schema"))))
    return text(SIDE_REPLY)


def _chunks(s: str, size: int = 48) -> Iterator[str]:
    for i in range(0, max(len(s), 1), size):
        yield s[i : i + size]


def sse_events(message: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The SSE events streaming ``message`` exactly as the Messages API does."""
    start = {**message, "content": [], "stop_reason": None, "stop_sequence": None}
    start["usage"] = {**message["usage"], "output_tokens": 1}
    yield "message_start", {"type": "message_start", "message": start}
    yield "ping", {"type": "ping"}
    for i, block in enumerate(message["content"]):
        if block["type"] == "text":
            yield (
                "content_block_start",
                {
                    "type": "content_block_start",
                    "index": i,
                    "content_block": {"type": "text", "text": ""},
                },
            )
            for part in _chunks(block["text"]):
                delta = {"type": "text_delta", "text": part}
                yield "content_block_delta", {"type": "content_block_delta", "index": i, "delta": delta}
        else:
            yield (
                "content_block_start",
                {
                    "type": "content_block_start",
                    "index": i,
                    "content_block": {**block, "input": {}},
                },
            )
            for part in _chunks(json.dumps(block["input"])):
                delta = {"type": "input_json_delta", "partial_json": part}
                yield "content_block_delta", {"type": "content_block_delta", "index": i, "delta": delta}
        yield "content_block_stop", {"type": "content_block_stop", "index": i}
    yield (
        "message_delta",
        {
            "type": "message_delta",
            "delta": {"stop_reason": message["stop_reason"], "stop_sequence": None},
            "usage": {"output_tokens": message["usage"]["output_tokens"]},
        },
    )
    yield "message_stop", {"type": "message_stop"}


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Ignore clients that hang up mid-reply (aborted streams); report anything else."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class StandIn:
    """The HTTP server: start(), load(script), read ``requests``, stop()."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self.script = Script()
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        """The bound port (after start())."""
        assert self._server is not None, "stand-in not started"
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        """Value for ANTHROPIC_BASE_URL."""
        return f"http://127.0.0.1:{self.port}"

    def load(self, script: Script | Iterable[Step]) -> None:
        """Replace the script and forget recorded requests."""
        with self._lock:
            self.script = script if isinstance(script, Script) else Script(script)
            self.requests = []

    def snapshot(self) -> list[RecordedRequest]:
        """A copy of the recorded requests so far."""
        with self._lock:
            return list(self.requests)

    def start(self) -> StandIn:
        """Bind 127.0.0.1 on a free port and serve in a daemon thread."""
        self._server = _Server(("127.0.0.1", 0), _make_handler(self))
        serve = self._server.serve_forever
        self._thread = threading.Thread(target=serve, args=(0.05,), name="stand-in", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Shut the server down."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> StandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- request handling -------------------------------------------------------------------

    def _record(self, rec: RecordedRequest) -> None:
        with self._lock:
            self.requests.append(rec)

    def _reply_for(self, rec: RecordedRequest) -> dict[str, Any]:
        body: dict[str, Any] = rec.body
        t = side_turn(body) if rec.kind == "side" else self.script.next_turn(body)
        content: list[dict[str, Any]] = []
        for b in t.blocks:
            if b.type == "text":
                content.append({"type": "text", "text": b.text})
            else:
                tid = b.id or f"toolu_standin_{next(self._ids):04d}"
                content.append({"type": "tool_use", "id": tid, "name": b.name, "input": b.input})
        return {
            "id": f"msg_standin_{next(self._ids):04d}",
            "type": "message",
            "role": "assistant",
            "model": body.get("model") or "claude-stand-in",
            "content": content,
            "stop_reason": t.stop_reason,
            "stop_sequence": None,
            "usage": {
                "input_tokens": 10,
                "output_tokens": 5,
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": 0,
            },
        }


def _make_handler(stand_in: StandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

        def _read(self) -> RecordedRequest:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            body: Any
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                body = raw.decode("utf-8", "replace")
            parts = urlsplit(self.path)
            headers = dict(self.headers.items())
            rec = RecordedRequest(self.command, parts.path, parts.query, headers, body)
            rec.kind = classify(rec.path, headers, body) if self.command == "POST" else "other"
            stand_in._record(rec)
            return rec

        def _send_json(self, obj: Any, code: int = 200) -> None:
            data = json.dumps(obj).encode()
            self.send_response(code)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(data)

        def _send_stream(self, message: dict[str, Any]) -> None:
            self.send_response(200)
            self.send_header("content-type", "text/event-stream")
            self.send_header("cache-control", "no-cache")
            self.send_header("connection", "close")
            self.end_headers()
            for name, data in sse_events(message):
                self.wfile.write(f"event: {name}\ndata: {json.dumps(data)}\n\n".encode())
            self.wfile.flush()
            self.close_connection = True

        def _other(self) -> None:
            self._read()
            self._send_json({})

        do_GET = do_HEAD = do_PUT = do_PATCH = do_DELETE = _other

        def do_POST(self) -> None:
            rec = self._read()
            if rec.path.rstrip("/").endswith("/count_tokens"):
                self._send_json({"input_tokens": 10})
            elif rec.kind in ("main", "subagent", "side"):
                message = stand_in._reply_for(rec)
                if rec.body.get("stream"):
                    self._send_stream(message)
                else:
                    self._send_json(message)
            else:
                self._send_json({})

    return Handler


# -- helpers to read recorded request bodies ------------------------------------------------------


def block_text(content: Any) -> str:
    """All text in a message ``content`` (string or blocks, tool_result content included)."""
    if isinstance(content, str):
        return content
    out: list[str] = []
    for block in content or []:
        if isinstance(block, str):
            out.append(block)
        elif block.get("type") == "text":
            out.append(block.get("text", ""))
        elif block.get("type") == "tool_result":
            out.append(block_text(block.get("content")))
    return "\n".join(out)


def messages_text(body: dict[str, Any], roles: Iterable[str] = ("user", "system")) -> str:
    """Text of every message of ``body`` whose role is in ``roles``."""
    wanted = set(roles)
    return "\n".join(
        block_text(m.get("content")) for m in body.get("messages", []) if m.get("role") in wanted
    )


def feedback_text(body: dict[str, Any]) -> str:
    """Text of the messages after the last assistant turn: tool results and hook feedback."""
    msgs = body.get("messages", [])
    last = max((i for i, m in enumerate(msgs) if m.get("role") == "assistant"), default=-1)
    return "\n".join(block_text(m.get("content")) for m in msgs[last + 1 :])


def tool_results(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The tool_result blocks after the last assistant turn: tool_use_id, text, is_error."""
    msgs = body.get("messages", [])
    last = max((i for i, m in enumerate(msgs) if m.get("role") == "assistant"), default=-1)
    out: list[dict[str, Any]] = []
    for m in msgs[last + 1 :]:
        content = m.get("content")
        if isinstance(content, list):
            for block in content:
                if isinstance(block, dict) and block.get("type") == "tool_result":
                    out.append(
                        {
                            "tool_use_id": block.get("tool_use_id"),
                            "text": block_text(block.get("content")),
                            "is_error": bool(block.get("is_error")),
                        }
                    )
    return out


def system_text(body: dict[str, Any]) -> str:
    """The request's top-level system prompt as text."""
    return block_text(body.get("system"))
