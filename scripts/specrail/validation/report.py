"""Findings as values, and the reporters that print them (text or JSON).

Plain classes rather than dataclasses: this module is on the hooks' hot path, where importing
`dataclasses` (and with it `inspect`) would cost more than the validation itself.
"""

from __future__ import annotations

import json

TYPE_CHECKING = False  # `typing` itself costs a few ms on the hooks hot path

if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any, Literal, TextIO

    Severity = Literal["error", "warning"]


def pointer(*parts: object) -> str:
    """A JSON Pointer (RFC 6901) from path segments."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


class Issue:
    """One finding: where (file and JSON pointer or Markdown section) and what."""

    __slots__ = ("file", "hint", "location", "message", "severity")

    def __init__(
        self, file: str, location: str, message: str, severity: Severity = "error", hint: str = ""
    ) -> None:
        self.file = file
        self.location = location
        self.message = message
        self.severity: Severity = severity
        self.hint = hint

    def _key(self) -> tuple[str, str, str, str, str]:
        return (self.file, self.location, self.message, self.severity, self.hint)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Issue) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Issue({self.file!r}, {self.location!r}, {self.message!r}, {self.severity!r}, {self.hint!r})"

    def as_dict(self) -> dict[str, str]:
        return dict(zip(("file", "location", "message", "severity", "hint"), self._key(), strict=True))

    def line(self) -> str:
        where = f"{self.file}::{self.location}" if self.location else self.file
        tag = "" if self.severity == "error" else "warning: "
        return f"{where}: {tag}{self.message}"


class FileResult:
    """What validating one file found."""

    __slots__ = ("facts", "file", "io_error", "issues", "kind")

    def __init__(self, file: str, kind: str | None) -> None:
        self.file = file
        self.kind = kind
        self.issues: list[Issue] = []
        self.facts: dict[str, Any] = {}
        self.io_error = False

    def __repr__(self) -> str:
        return f"FileResult({self.file!r}, {self.kind!r}, issues={self.issues!r}, io_error={self.io_error})"

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


class Result:
    """The results of one validation run, file by file."""

    __slots__ = ("files",)

    def __init__(self, files: list[FileResult] | None = None) -> None:
        self.files = files if files is not None else []

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    def issues(self) -> Iterator[Issue]:
        for f in self.files:
            yield from f.issues


def write_text(result: Result, out: TextIO) -> None:
    for f in result.files:
        for issue in f.issues:
            out.write(issue.line() + "\n")
            if issue.hint:
                out.write(f"  fix: {issue.hint}\n")
        if f.ok:
            out.write(f"{f.file}: ok ({f.kind})\n")
    bad = sum(1 for f in result.files if not f.ok)
    out.write(f"{len(result.files)} file(s) checked, {bad} invalid\n")


def as_json(result: Result) -> dict[str, Any]:
    return {
        "status": "pass" if result.ok else "fail",
        "checked": len(result.files),
        "files": [
            {"file": f.file, "kind": f.kind, "valid": f.ok, **({"facts": f.facts} if f.facts else {})}
            for f in result.files
        ],
        "errors": [i.as_dict() for i in result.issues() if i.severity == "error"],
        "warnings": [i.as_dict() for i in result.issues() if i.severity == "warning"],
    }


def write_json(result: Result, out: TextIO) -> None:
    out.write(json.dumps(as_json(result), indent=2, ensure_ascii=False) + "\n")
