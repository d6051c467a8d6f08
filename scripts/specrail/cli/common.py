"""Options and output shared by every command."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def root_option(f: F) -> F:
    return click.option(
        "--root",
        type=click.Path(exists=True, file_okay=False, path_type=Path),  # a typo is not an empty project
        default=Path("."),
        show_default=True,
        help="Project root (default: the current directory).",
    )(f)


def json_option(f: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print one JSON object on stdout.")(f)


def common_options(f: F) -> F:
    return root_option(json_option(f))


def emit(answer: dict[str, Any], as_json: bool, text: str | Callable[[dict[str, Any]], str]) -> None:
    """Print `answer` as JSON, or its human form."""
    if as_json:
        sys.stdout.write(json.dumps(answer, indent=2, ensure_ascii=False) + "\n")
    else:
        body = text(answer) if callable(text) else text
        sys.stdout.write(body if body.endswith("\n") else body + "\n")
