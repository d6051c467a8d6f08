"""The `specrail` command line: one click group; exit codes decided in `main` alone."""

from __future__ import annotations

import importlib
import json
import sys
import traceback
from collections.abc import Iterator, MutableMapping, Sequence

import click

from specrail import __version__
from specrail.errors import SpecrailError

# Each top-level command is imported when it runs (or when help lists it): `validate` then starts
# without pydantic and the models, a third of a second on a small machine.
COMMANDS = {
    "validate": "specrail.cli.core:validate",
    "schema": "specrail.cli.core:schema",
    "demo": "specrail.cli.core:demo",
    "synthesis": "specrail.cli.synthesis:synthesis",
    "spec-driven": "specrail.cli.spec_driven:spec_driven",
    "status": "specrail.cli.status:status",
    "trace": "specrail.cli.trace:trace",
    "drift": "specrail.cli.trace:drift",
    "doctor": "specrail.cli.core:doctor",
    "trust": "specrail.cli.trust:trust",
    "evidence": "specrail.cli.evidence:evidence",
    "overlap": "specrail.cli.evidence:overlap",
}


class LazyCommands(MutableMapping[str, click.Command]):
    """The group's commands by name, each imported on first access."""

    def __init__(self, where: dict[str, str]) -> None:
        self._where = dict(where)
        self._loaded: dict[str, click.Command] = {}

    def __getitem__(self, name: str) -> click.Command:
        if name not in self._loaded:
            module, attr = self._where[name].split(":")
            self._loaded[name] = getattr(importlib.import_module(module), attr)
        return self._loaded[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._where.setdefault(name, "")
        self._loaded[name] = command

    def __delitem__(self, name: str) -> None:
        del self._where[name]
        self._loaded.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._where

    def __iter__(self) -> Iterator[str]:
        return iter(self._where)

    def __len__(self) -> int:
        return len(self._where)


@click.group(
    commands=LazyCommands(COMMANDS),
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.version_option(__version__, prog_name="specrail")
@click.option("--debug", is_flag=True, hidden=True, help="Show tracebacks of internal errors.")
def cli(debug: bool) -> None:
    """Mechanical steps of the `workflow` Claude Code plugin: validation, state, reports.

    \b
    Example:
      specrail validate .workflow/active/WFS-x/.brainstorming/feature-index.json
    """


def _fail(message: str, as_json: bool, code: int, error: SpecrailError | None = None) -> int:
    sys.stderr.write(f"specrail: {message}\n")
    if as_json:
        body = {"message": error.message if error else message}
        if error is not None and error.file:
            body["file"] = error.file
        if error is not None and error.pointer is not None:
            body["pointer"] = error.pointer
        sys.stdout.write(json.dumps({"status": "error", "exit_code": code, "error": body}) + "\n")
    return code


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    as_json = "--json" in args
    try:
        result = cli.main(args=args, prog_name="specrail", standalone_mode=False)
        return result if isinstance(result, int) else 0
    except SpecrailError as exc:
        return _fail(str(exc), as_json, exc.exit_code, exc)
    except click.UsageError as exc:
        hint = f"\n{exc.ctx.get_usage()}" if exc.ctx else ""
        return _fail(exc.format_message() + hint, as_json, 2)
    except click.ClickException as exc:
        return _fail(exc.format_message(), as_json, 2)
    except click.Abort:
        return _fail("aborted", as_json, 1)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the error boundary: one line, a traceback only with --debug
        if "--debug" in args:
            traceback.print_exc()
        return _fail(f"internal error: {type(exc).__name__}: {exc}", as_json, 2)
