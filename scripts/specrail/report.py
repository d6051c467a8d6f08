"""Findings as values, and the reporters that print them (text or JSON)."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal, TextIO

Severity = Literal["error", "warning"]


def pointer(*parts: object) -> str:
    """A JSON Pointer (RFC 6901) from path segments."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


@dataclass(frozen=True)
class Issue:
    """One finding: where (file and JSON pointer or Markdown section) and what."""

    file: str
    location: str
    message: str
    severity: Severity = "error"
    hint: str = ""

    def line(self) -> str:
        where = f"{self.file}::{self.location}" if self.location else self.file
        tag = "" if self.severity == "error" else "warning: "
        return f"{where}: {tag}{self.message}"


@dataclass
class FileResult:
    """What validating one file found."""

    file: str
    kind: str | None
    issues: list[Issue] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    io_error: bool = False

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Result:
    files: list[FileResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.files)

    def issues(self) -> Iterable[Issue]:
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
        "files": [
            {"file": f.file, "kind": f.kind, "valid": f.ok, **({"facts": f.facts} if f.facts else {})}
            for f in result.files
        ],
        "errors": [asdict(i) for i in result.issues() if i.severity == "error"],
        "warnings": [asdict(i) for i in result.issues() if i.severity == "warning"],
    }


def write_json(result: Result, out: TextIO) -> None:
    out.write(json.dumps(as_json(result), indent=2, ensure_ascii=False) + "\n")
