"""The `specrail` command line: one click group; exit codes decided in `main` alone."""

from __future__ import annotations

import json
import sys
import traceback
from collections.abc import Sequence

import click

from specrail import __version__
from specrail.cli.core import demo, schema, validate
from specrail.cli.spec_driven import spec_driven
from specrail.cli.status import status
from specrail.cli.synthesis import synthesis
from specrail.errors import SpecrailError


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="specrail")
@click.option("--debug", is_flag=True, hidden=True, help="Show tracebacks of internal errors.")
def cli(debug: bool) -> None:
    """Mechanical steps of the `workflow` Claude Code plugin: validation, state, reports.

    \b
    Example:
      specrail validate .workflow/active/WFS-x/.brainstorming/feature-index.json
    """


cli.add_command(validate)
cli.add_command(schema)
cli.add_command(demo)
cli.add_command(synthesis)
cli.add_command(spec_driven)
cli.add_command(status)


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
