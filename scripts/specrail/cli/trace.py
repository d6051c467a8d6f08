"""`specrail trace` and `specrail drift`: the committed session records read back against the history."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import click

from specrail import model_text
from specrail.cli.common import common_options, emit
from specrail.cli.table import table, terminal_width
from specrail.spec_driven import records

FILE_MAX = 500
KEEP = "\ue000"  # a space that does not break a line: `storage_roundtrip PASS` stays on one


@click.command()
@click.argument("target")
@click.option("--mermaid", is_flag=True, help="Print a Mermaid graph of the trace instead of the table.")
@common_options
def trace(target: str, mermaid: bool, root: Path, as_json: bool) -> int:
    """Sessions, tasks, files, results and commits behind a spec, a section or a code file.

    TARGET is a spec, SPEC#SECTION (a number, or a heading path for unnumbered specs) or a code
    file. Only committed session records are read, so a fresh clone gives the same answer.

    \b
    Examples:
      specrail trace specs/notes.md#2.1
      specrail trace "specs/notes.md#Data Model/Note" --json
      specrail trace notes/core.py --mermaid
    """
    from specrail.spec_driven import trace as tracing

    answer = tracing.trace(root, target)
    if mermaid and not as_json:
        click.echo(tracing.graph(answer))
    else:
        emit(answer, as_json, trace_text)
    return 0


@click.command()
@click.option("--since", metavar="REF", help="Judge only the commits after REF (e.g. origin/main in CI).")
@click.option("--staged", is_flag=True, help="Judge only the staged changes (pre-commit).")
@common_options
def drift(since: str | None, staged: bool, root: Path, as_json: bool) -> int:
    """Code changed after its spec section was implemented, and specs edited outside any session.

    Exit 1 when there is drift, naming each file, commit and section; 0 when specs and code are
    in step.

    \b
    Examples:
      specrail drift
      specrail drift --since origin/main --json
      specrail drift --staged
    """
    from specrail.spec_driven import drift as drifting

    answer = drifting.drift(root, since, staged)
    emit(answer, as_json, drift_text)
    return 1 if answer["status"] == "drift" else 0


def _versions(before: str | None, after: str | None) -> str:
    """`1.0 -> 1.1`, or `-` for a spec without a version line."""
    return f"{before or '-'} -> {after or '-'}" if before or after else "-"


def _session_line(item: dict[str, Any], versions: list[str], tasks: list[dict[str, Any]]) -> str:
    """A session's versions, task checks, verification and validations: the same for each of its rows."""
    parts = [", ".join(versions)] if versions else []
    for label, runs in (
        ("task checks", {t["id"]: t["check"] for t in tasks if t["check"]}),
        ("verify", item["verification"]),
        ("validate", item["validations"]),
    ):
        if runs:
            parts.append(f"{label}: " + ", ".join(f"{k}{KEEP}{v}" for k, v in runs.items()))
    return f"{_session_name(item)}: " + ("; ".join(parts) or "no results recorded")


def _session_name(item: dict[str, Any]) -> str:
    state = "" if item["state"] == "COMPLETE" else f" ({item['state']})"
    return str(item["session"]).rsplit("/", 1)[-1] + state


def _tests(proof: dict[str, Any] | None) -> str:
    """The section's linked tests and their result in the session's last run, then the verdict."""
    if not proof:
        return "-"
    tests = ", ".join(f"{t['test']} {t['result']}" for t in proof["tests"]) or "none linked"
    verdict = proof["status"] + (" (accepted)" if proof.get("accepted") else "")
    return f"{tests}: {verdict}"


def trace_text(answer: dict[str, Any]) -> str:
    """One row per section change of a session, oldest session first, then one line per session
    with its results; as wide as the terminal."""
    target = answer["target"]
    name = target["path"]
    if target["kind"] == "section":
        name += f"#{target.get('section') or target.get('heading')}"
    if not answer["entries"]:
        return f"{name}: no committed spec-driven session traces to it"
    several = len({e["session"] for e in answer["entries"]}) > 1  # else the line below names it
    header = ["SECTION", *(["SESSION"] if several else []), "CHANGE", "TASKS", "FILES", "TESTS", "COMMITS"]
    rows = []
    sessions: dict[str, tuple[dict[str, Any], list[str], list[dict[str, Any]]]] = {}
    for e in answer["entries"]:
        rows.append(
            [
                e["label"].replace(" §", "#", 1),
                *([_session_name(e)] if several else []),
                e["change"],
                ", ".join(f"{t['id']} {t['status']}" for t in e["tasks"]) or "-",
                ", ".join(e["files"]) or "-",
                _tests(e.get("evidence")),
                ", ".join(c["short"] for c in e["commits"]) or "-",
            ]
        )
        _, versions, tasks = sessions.setdefault(e["session"], (e, [], []))
        tasks += [t for t in e["tasks"] if t not in tasks]
        if e["version_before"] or e["version_after"]:
            version = f"{e['spec']} {_versions(e['version_before'], e['version_after'])}"
            versions += [] if version in versions else [version]
    rows = [[records.CONTROL.sub("?", cell) for cell in row] for row in rows]  # titles are the repo's text
    width = terminal_width()
    last = len(header) - 1  # COMMITS, FILES, TESTS, SECTION, TASKS give way first
    order = [last, last - 2, last - 1, 0, last - 3, *range(1, last - 3)]
    lines = [table(rows, header, [[None] * len(header)] * len(rows), False, width, order=order)]
    for first, versions, tasks in sessions.values():
        line = records.CONTROL.sub("?", _session_line(first, versions, tasks))
        wrapped = textwrap.wrap(line, width, subsequent_indent="  ", break_on_hyphens=False)
        lines += [part.replace(KEEP, " ") for part in wrapped]
    if target["kind"] == "file":
        lines.append(f"{target['path']} implements {', '.join(answer['sections'])}")
    lines += [f"warning: {w}" for w in answer["warnings"]]
    return "\n".join(lines)


def _where(item: dict[str, Any]) -> str:
    return "the staged changes" if item["commit"] == "STAGED" else f"{item['short']} {item['subject']!r}"


def _file(item: dict[str, Any]) -> str:
    """A file name as the repository spells it, escaped: it can hold any character but `/` and NUL."""
    return model_text.data(item["file"], FILE_MAX)


def drift_text(answer: dict[str, Any]) -> str:
    """One line per file, commit and section, then how to resolve them."""
    if not answer["sessions"]:
        nothing = "no committed spec-driven session yet: nothing to compare the code with"
        return "\n".join([nothing, *(f"warning: {w}" for w in answer["warnings"])])
    lines = []
    for item in answer["code"]:
        done = item["implemented_in"]
        lines.append(
            f"{_file(item)}: changed in {_where(item)} after {records.CONTROL.sub('?', item['label'])} "
            f"was implemented ({done['session'].rsplit('/', 1)[-1]}, {done['short']}); "
            "no later session covers it"
        )
    for item in answer["specs"]:
        lines.append(f"{_file(item)}: edited in {_where(item)} outside any session (no diff record)")
    lines += [f"warning: {w}" for w in answer["warnings"]]
    if answer.get("staged"):
        checked = f"the staged changes against {answer['sessions']} session(s)"
    else:
        checked = f"{answer['commits_checked']} commit(s) outside sessions, {answer['sessions']} session(s)"
    if answer["status"] == "ok":
        return "\n".join([*lines, f"no drift: {checked}"])
    lines.append(f"drift: {len(answer['code']) + len(answer['specs'])} finding(s); {checked}")
    lines.append(
        "fix: bring spec and code back in step with a spec-driven session (/workflow:spec-driven) "
        "that covers these sections, or revert the change"
    )
    return "\n".join(lines)
