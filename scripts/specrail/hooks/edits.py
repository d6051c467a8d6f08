"""The content a Write, Edit or MultiEdit would leave in a file, computed as the client computes it.

Claude Code (2.1.x) applies the edits of one call in order to the file's text (line endings
read as LF): an `old_string` is looked up as is, then with curly quotes read as straight ones (the
new text then takes the file's quote style); it must occur once unless `replace_all`; an empty
`new_string` takes the line break after `old_string` with it; an empty `old_string` gives the whole
file; the replacement is literal. When neither form is found, the client swaps `\\uXXXX` escapes
and the characters they stand for (a JSON file may spell `é` as `\\u00e9`, and `old_string` the
other way): each character of `old_string` then matches itself or its escape, and each escape
itself or its character. Whenever the client would refuse the call (text not found, not
unique, nothing changed), `proposed` returns None and the client's own error reaches the model.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

LEFT_DOUBLE, RIGHT_DOUBLE, LEFT_SINGLE, RIGHT_SINGLE = "\u201c", "\u201d", "\u2018", "\u2019"
_OPENERS = frozenset(" \t\n\r([{\u2014\u2013")


def _straight(text: str) -> str:
    for curly, plain in ((LEFT_SINGLE, "'"), (RIGHT_SINGLE, "'"), (LEFT_DOUBLE, '"'), (RIGHT_DOUBLE, '"')):
        text = text.replace(curly, plain)
    return text


def _escapes(ch: str) -> str:
    """The pattern of `ch` written as JSON `\\uXXXX` escapes (a surrogate pair above U+FFFF)."""
    code = ord(ch)
    high, low = 0xD800 + ((code - 0x10000) >> 10), 0xDC00 + ((code - 0x10000) & 0x3FF)
    units = [code] if code < 0x10000 else [high, low]
    return "".join(f"\\\\u(?i:{u:04x})" for u in units)


def _swapped(old: str) -> str:
    """A pattern matching `old` with any escape or character in either form."""
    import re

    out = []
    i = 0
    while i < len(old):
        hit = re.match(r"\\u([0-9a-fA-F]{4})", old[i:])
        ch = chr(int(hit.group(1), 16)) if hit else old[i]
        if hit and not 0xD800 <= ord(ch) <= 0xDFFF:
            i += 6
        else:
            ch, i = old[i], i + 1
        out.append(f"(?:{re.escape(ch)}|{_escapes(ch)})")
    return "".join(out)


def _actual(content: str, old: str) -> str | None:
    """The text of `content` that `old` designates: itself, the same with the file's curly quotes,
    or the same with `\\uXXXX` escapes and characters swapped (the first match)."""
    if old in content:
        return old
    at = _straight(content).find(_straight(old))
    if at >= 0:
        return content[at : at + len(old)]
    if "\\u" not in old and "\\u" not in content:
        return None
    import re

    try:
        found = re.search(_swapped(old), content)
    except (re.error, RecursionError):
        return None
    return found.group(0) if found else None


def _opens(chars: list[str], i: int) -> bool:
    return i == 0 or chars[i - 1] in _OPENERS


def _curly(old: str, actual: str, new: str) -> str:
    """`new` in the quote style of the file, when `old` matched only once its quotes were straightened."""
    if old == actual:
        return new
    chars = list(new)
    if LEFT_DOUBLE in actual or RIGHT_DOUBLE in actual:
        chars = [
            (LEFT_DOUBLE if _opens(chars, i) else RIGHT_DOUBLE) if c == '"' else c
            for i, c in enumerate(chars)
        ]
    if LEFT_SINGLE in actual or RIGHT_SINGLE in actual:
        out = []
        for i, c in enumerate(chars):
            if c != "'":
                out.append(c)
            elif 0 < i < len(chars) - 1 and chars[i - 1].isalpha() and chars[i + 1].isalpha():
                out.append(RIGHT_SINGLE)  # an apostrophe
            else:
                out.append(LEFT_SINGLE if _opens(chars, i) else RIGHT_SINGLE)
        chars = out
    return "".join(chars)


def apply(content: str, edits: list[Any]) -> str | None:
    """`content` with `edits` (dicts of old_string, new_string, replace_all) applied; None when refused."""
    if not content and len(edits) == 1 and edits[0].get("old_string") == edits[0].get("new_string") == "":
        return ""
    text = content
    written: list[str] = []
    for edit in edits:
        old, new, every = edit.get("old_string"), edit.get("new_string"), edit.get("replace_all") is True
        if not isinstance(old, str) or not isinstance(new, str):
            return None
        trimmed = old.rstrip("\n")
        if trimmed and any(trimmed in earlier for earlier in written):
            return None  # old_string is a substring of a new_string from a previous edit
        before = text
        if old == "":
            if text.strip():
                return None  # the client creates a file this way, never overwrites one
            text = new
        else:
            actual = _actual(text, old)
            if actual is None:
                return None
            new = _curly(old, actual, new)
            if new == "" and not actual.endswith("\n") and actual + "\n" in text:
                actual += "\n"
            if not every and text.count(actual) > 1:
                return None  # several matches and replace_all is false
            text = text.replace(actual, new) if every else text.replace(actual, new, 1)
        if text == before:
            return None
        written.append(new)
    return None if text == content else text


def proposed(tool: str, tool_input: dict[str, Any], current: str | None) -> str | None:
    """What the file holds after the call; `current` is its text now (None when it does not exist)."""
    if tool == "Write":
        content = tool_input.get("content")
        return content if isinstance(content, str) else None
    edits = [tool_input] if tool == "Edit" else tool_input.get("edits")
    if not isinstance(edits, list) or not edits or not all(isinstance(e, dict) for e in edits):
        return None
    if current is None:
        return apply("", edits) if edits[0].get("old_string") == "" else None
    return apply(current.replace("\r\n", "\n"), edits)
