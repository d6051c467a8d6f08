"""The verdict on an artifact, and how the hooks tell it: each problem with its location and fix.

The same `check_file` as `specrail validate`, on the file or on the content a call would leave in
it; without jsonschema (a bare `python3`, when the plugin's venv is missing), the first schema error
from the stdlib-only compiled validator. Whatever comes from a file (paths, values, headings)
reaches the model as data: control characters escaped, each line capped.
"""

from __future__ import annotations

from specrail import model_text
from specrail.validation import kinds

MAX_LINES = 20
LINE_LIMIT = 300
TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

    from specrail.validation.report import FileResult


def label(path: str, cwd: str | None) -> str:
    """`path` relative to the project when inside it, as data."""
    base = (cwd or "").rstrip("/") + "/"
    if cwd and path.startswith(base):
        path = path[len(base) :]
    return model_text.data(path, LINE_LIMIT // 2)


def name(given: str, real: str, cwd: str | None) -> str:
    """How a message names the file: as the call named it, and where it really is when that differs."""
    shown = label(given, cwd)
    absolute = given if given.startswith("/") else (cwd or "").rstrip("/") + "/" + given
    return shown if absolute == real else f"{shown} (really {label(real, cwd)})"


def issue_lines(result: FileResult, budget: int) -> list[str]:
    """`- location: message` per error, with its `fix:` hint while the budget allows, in `budget` lines."""
    errors = result.errors
    lines: list[str] = []
    for i, issue in enumerate(errors):
        left = len(errors) - i
        room = budget - len(lines) - (1 if left > 1 else 0)
        if room < 1:
            lines.append(f"(+{left} more errors: run `specrail validate {result.file}` for all of them)")
            break
        location = model_text.data(issue.location or "(whole file)", LINE_LIMIT // 3)
        lines.append(f"- {location}: {model_text.data(issue.message, LINE_LIMIT)}")
        if issue.hint and room >= 2 + (left > 1):
            lines.append(f"  fix: {model_text.data(issue.hint, LINE_LIMIT)}")
    return lines


def check(path: str, kind: str, cwd: str | None, file: str, content: str | None = None) -> FileResult:
    """`specrail validate`'s verdict on the file at `path`, or on `content` as that file."""
    from pathlib import Path

    from specrail.validation.check import check_file

    if kind in kinds.YAML_KINDS:
        import site

        site.main()  # PyYAML lives in site-packages, which the hooks start without
    try:
        return check_file(Path(path), kind, Path(cwd) if cwd else None, file, content=content)
    except ImportError:  # no jsonschema: not the plugin's venv (its bootstrap failed)
        return _first_error(Path(path), kind, file, content)


def _first_error(path: Path, kind: str, file: str, content: str | None) -> FileResult:
    """The first schema violation only, from the stdlib-only compiled validator."""
    from specrail.errors import SpecrailError
    from specrail.fileio import read_text
    from specrail.validation import check
    from specrail.validation.report import FileResult, Issue

    result = FileResult(file, kind)
    module = check.compiled(kind)
    try:
        text = read_text(path, file) if content is None else content
        module.validate(check.parse_json(text, file))
    except SpecrailError as exc:
        result.issues.append(Issue(file, exc.pointer or "", exc.message))
    except module.JsonSchemaValueException as exc:
        hint = "the full list needs jsonschema: run `specrail validate` where specrail is installed"
        result.issues.append(Issue(file, _pointer(exc.name or ""), exc.message, hint=hint))
    return result


def _pointer(name: str) -> str:
    """The JSON pointer of a compiled validator's dotted name: `data.features[0].id` -> /features/0/id."""
    rest = name.removeprefix("data").replace("[", ".").replace("]", "")
    return "/".join(rest.split(".")) or "/"
