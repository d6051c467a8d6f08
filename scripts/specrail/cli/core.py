"""`validate`, `schema` and `demo`."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from specrail.cli.common import common_options, emit, json_option, root_option
from specrail.errors import UsageFailure
from specrail.validation import kinds
from specrail.validation.check import check_file
from specrail.validation.report import FileResult, Issue, Result, write_json, write_text


def artifacts_in(folder: Path) -> list[Path]:
    """Every workflow artifact below `folder` (a session or .brainstorming folder), in path order;
    symlinked folders are not entered."""
    found = []
    for base, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not (Path(base) / d).is_symlink())
        found += [Path(base) / n for n in sorted(names) if kinds.classify((Path(base) / n).absolute())]
    return found


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--kind", type=click.Choice(kinds.ALL_KINDS), help="Artifact kind (default: from the file name)."
)
@click.option(
    "--skip-unknown", is_flag=True, help="Ignore files that are not workflow artifacts (pre-commit, CI)."
)
@common_options
def validate(paths: tuple[Path, ...], kind: str | None, skip_unknown: bool, root: Path, as_json: bool) -> int:
    """Validate workflow artifacts; exit 0 valid, 1 invalid, 2 unreadable or unknown.

    \b
    Examples:
      specrail validate .workflow/active/WFS-x/.brainstorming/feature-index.json
      specrail validate --json specs/meta/sessions/*/workflow-session.json
      specrail validate --kind feature-spec draft.md
      specrail validate --skip-unknown $(git diff --name-only main)
      specrail validate .workflow/active/WFS-x      (every artifact of a session folder)
    """
    files: list[FileResult] = []
    for given in paths:
        path = given if given.is_absolute() else root / given
        if path.is_dir() and not path.is_symlink() and kind is None and not kinds.classify(path):
            found = artifacts_in(path)
            if not found:
                empty = FileResult(str(given), None)
                empty.issues.append(Issue(str(given), "", "no workflow artifact in this folder"))
                empty.io_error = True
                files.append(empty)
            files += [check_file(f, None, root, str(given / f.relative_to(path))) for f in found]
        elif not (skip_unknown and kind is None and not kinds.classify(given)):
            files.append(check_file(path, kind, root, str(given)))
    result = Result(files)
    (write_json if as_json else write_text)(result, sys.stdout)
    if any(f.io_error for f in result.files):
        return 2
    return 0 if result.ok else 1


@click.group()
def schema() -> None:
    """List, show and export the JSON Schemas of the artifacts.

    \b
    Example:
      specrail schema export schemas/
    """


@schema.command("list")
@json_option
def schema_list(as_json: bool) -> int:
    """List the kinds that have a JSON Schema.

    \b
    Example:
      specrail schema list --json
    """
    from specrail.schema_export import MODEL_BY_KIND, SCHEMA_BASE

    answer = {"kinds": [{"kind": k, "$id": f"{SCHEMA_BASE}{k}.schema.json"} for k in MODEL_BY_KIND]}
    emit(answer, as_json, lambda a: "\n".join(f"{k['kind']:<30} {k['$id']}" for k in a["kinds"]))
    return 0


@schema.command("show")
@click.argument("kind")
def schema_show(kind: str) -> int:
    """Print the JSON Schema of KIND.

    \b
    Example:
      specrail schema show feature-index
    """
    from specrail.schema_export import MODEL_BY_KIND, schema_for

    if kind not in MODEL_BY_KIND:
        raise UsageFailure(f"no schema for kind {kind!r}; kinds: {', '.join(MODEL_BY_KIND)}")
    sys.stdout.write(json.dumps(schema_for(kind), indent=2, ensure_ascii=False) + "\n")
    return 0


@schema.command("export")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--validators", is_flag=True, help="Also regenerate the package's compiled validators.")
@json_option
def schema_export(directory: Path, validators: bool, as_json: bool) -> int:
    """Write every schema to DIRECTORY as KIND.schema.json (draft 2020-12, with $id).

    \b
    Example:
      specrail schema export schemas/ --validators
    """
    from specrail.schema_export import export, package_validators_dir

    written = export(directory, package_validators_dir() if validators else None)
    emit({"written": [str(p) for p in written]}, as_json, lambda a: "\n".join(a["written"]))
    return 0


@click.command()
@click.option(
    "--keep",
    type=click.Path(file_okay=False, path_type=Path),
    help="Run in this new folder and leave the sessions there to look at.",
)
@root_option
@json_option
def demo(keep: Path | None, root: Path, as_json: bool) -> int:
    """Run the mechanical pipeline on the embedded example sessions and print a report.

    \b
    Examples:
      specrail demo
      specrail demo --keep /tmp/specrail-demo && specrail status --root /tmp/specrail-demo/spec-driven
    """
    from specrail.demo import run_demo

    answer = run_demo(keep)
    emit(answer, as_json, lambda a: "\n".join(a["report"]))
    return 0 if answer["ok"] else 1


@click.command()
@click.option(
    "--plugin-root",
    type=click.Path(file_okay=False, path_type=Path),
    help="The plugin folder (default: CLAUDE_PLUGIN_ROOT, this package's, or the installed plugin).",
)
@click.option(
    "--plugin-data",
    type=click.Path(file_okay=False, path_type=Path),
    help="The plugin's data folder holding its venv (default: CLAUDE_PLUGIN_DATA or the one found).",
)
@common_options
def doctor(plugin_root: Path | None, plugin_data: Path | None, root: Path, as_json: bool) -> int:
    """Check the installation: Python, the plugin venv, `specrail` on PATH, each hook run once
    on a sample, and the project's sessions. Exit 1 with the fix for each problem.

    \b
    Examples:
      specrail doctor
      specrail doctor --json --plugin-data ~/.claude/plugins/data/workflow-specrail
    """
    from specrail.doctor import diagnose, render

    answer = diagnose(root.resolve(), plugin_root, plugin_data)
    emit(answer, as_json, render)
    return 0 if answer["ok"] else 1
