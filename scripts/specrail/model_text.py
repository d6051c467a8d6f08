"""Text read from files, made into data before it reaches the model.

A committed file can hold anything: newlines that start a line of their own in the model's context,
terminal escapes, bidirectional overrides that hide what a line says. `data` escapes every control
and format character and caps the length; `valid_id` lets an identifier through only when it has
the identifier's shape, so an invalid one is reported as invalid, never echoed.
Imports nothing: the hooks use it.
"""

from __future__ import annotations

# Line and paragraph separators, bidirectional embeddings, overrides and isolates, zero-width marks.
_FORMAT = frozenset("\u2028\u2029\u200b\u200c\u200d\u200e\u200f\u2060\ufeff") | frozenset(
    chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))
)


def _escaped(ch: str) -> str:
    code = ord(ch)
    if code < 0x20 or 0x7F <= code < 0xA0 or ch in _FORMAT:
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    return ch


def data(value: object, limit: int = 120) -> str:
    """`value` as one line of at most `limit` characters, control and format characters escaped."""
    text = str(value)[: limit + 1]
    out = "".join(map(_escaped, text))
    return out if len(out) <= limit else out[: limit - 3] + "..."


def valid_id(value: object, prefix: str = "") -> str | None:
    """`value` when it is an identifier (`prefix` then ASCII letters, digits, `-`, `_`, `.`), else None."""
    if not isinstance(value, str) or not value.startswith(prefix) or not 0 < len(value) <= 100:
        return None
    body = value[len(prefix) :]
    if not body or body[0] in "-_." or not all(c.isascii() and (c.isalnum() or c in "-_.") for c in body):
        return None
    return value
