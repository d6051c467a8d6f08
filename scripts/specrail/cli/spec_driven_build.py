"""`specrail spec-driven` phases 5 to 7: tasks, implementation, verification, validation, commit."""

from __future__ import annotations

from pathlib import Path

import click

from specrail.cli.common import common_options
from specrail.cli.spec_driven_options import F, respond, session_option, split


@click.command()
@click.option("--files", "files", multiple=True, help="Affected files of a task: T-001=path,path.")
@click.option("--depends", "depends", multiple=True, help="Extra dependency: T-002:T-001.")
@session_option
@common_options
def tasks(
    files: tuple[str, ...], depends: tuple[str, ...], session: str | None, root: Path, as_json: bool
) -> int:
    """Phase 5: implementation tasks from the diff records, dependency-ordered.

    \b
    Example:
      specrail spec-driven tasks --json
      specrail spec-driven tasks --depends T-003:T-001 --files T-001=notes/core.py --json
    """
    from specrail.spec_driven.tasks import plan

    return respond(root, plan(root, session, list(files), list(depends)), as_json)


@click.command("task-start")
@click.argument("task_id")
@click.option("--files", "files", multiple=True, help="Files the task will change (comma-separated).")
@session_option
@common_options
def task_start(task_id: str, files: tuple[str, ...], session: str | None, root: Path, as_json: bool) -> int:
    """Phase 5: start a task; copies its files for rollback.

    \b
    Example:
      specrail spec-driven task-start T-001 --files notes/core.py --json
    """
    from specrail.spec_driven.implement import start

    return respond(root, start(root, session, task_id, split(files)), as_json)


@click.command("task-done")
@click.argument("task_id")
@click.option(
    "--files", "files", multiple=True, help="Files you expect changed: only compared with what is measured."
)
@click.option("--note", default="", help="Issue met and how it was resolved.")
@session_option
@common_options
def task_done(
    task_id: str, files: tuple[str, ...], note: str, session: str | None, root: Path, as_json: bool
) -> int:
    """Phase 5: measure what the task changed since task-start, run the incremental check
    (commands.check) and record the task. A task that changed nothing waits for the user.

    \b
    Example:
      specrail spec-driven task-done T-001 --json
    """
    from specrail.spec_driven.implement import done

    return respond(root, done(root, session, task_id, split(files), note), as_json)


@click.command()
@session_option
@common_options
def verify(session: str | None, root: Path, as_json: bool) -> int:
    """Phase 5: full verification (implementation.verify commands); -> VALIDATING when it passes.

    \b
    Example:
      specrail spec-driven verify --json
    """
    from specrail.spec_driven.implement import verify as run

    return respond(root, run(root, session), as_json)


_LEVEL = click.Choice(["minimal", "standard", "full"])


@click.command("validate-plan")
@click.option("--level", type=_LEVEL, help="Validation level (default: the session's).")
@click.option(
    "--judged", multiple=True, help="Verdict on a prose condition: 'NAME=yes: why' or 'NAME=no: why'."
)
@session_option
@common_options
def validate_plan(
    level: str | None, judged: tuple[str, ...], session: str | None, root: Path, as_json: bool
) -> int:
    """Phase 6: which validations run (required, conditional by changed paths or by judgement).

    \b
    Example:
      specrail spec-driven validate-plan --level full --json
      specrail spec-driven validate-plan --judged "memory_audit=no: no data path changed" --json
    """
    from specrail.spec_driven.validation import validate_plan as run

    return respond(root, run(root, session, level, list(judged)), as_json)


@click.command("run-validations")
@click.option("--level", type=_LEVEL, help="Validation level (default: the session's).")
@session_option
@common_options
def run_validations(level: str | None, session: str | None, root: Path, as_json: bool) -> int:
    """Phase 6: run the validations in parallel; critical failures -> BLOCKED.

    \b
    Example:
      specrail spec-driven run-validations --json
    """
    from specrail.spec_driven.validation import run_validations as run

    return respond(root, run(root, session, level), as_json)


def commit_options(f: F) -> F:
    f = click.option("--message", "message_text", help="The whole message of a one-commit plan.")(f)
    f = click.option("--issue", help="Issue number for 'Closes #N'.")(f)
    f = click.option("--description", help="Header text (default: from the proposal's intent).")(f)
    f = click.option("--scope", help="Conventional-commit scope (default: the first spec's name).")(f)
    return click.option(
        "--grouping",
        type=click.Choice(["single", "by_phase", "by_file"]),
        help="Commit grouping (default: commit.default_grouping).",
    )(f)


@click.command("commit-plan")
@commit_options
@session_option
@common_options
def commit_plan(
    grouping: str | None,
    scope: str | None,
    description: str | None,
    issue: str | None,
    message_text: str | None,
    session: str | None,
    root: Path,
    as_json: bool,
) -> int:
    """Phase 7: the commits that would be made, with drafted messages and per-file line counts.
    Run it again with other options to adjust; `commit --confirm` commits the plan last shown.

    \b
    Example:
      specrail spec-driven commit-plan --grouping by_phase --json
      specrail spec-driven commit-plan --grouping single --scope notes --description "tag notes" --json
    """
    from specrail.spec_driven.commit_plan import commit_plan as run

    return respond(root, run(root, session, grouping, scope, description, issue, message_text), as_json)


@click.command()
@click.option("--confirm", is_flag=True, help="The user confirmed the commit plan.")
@click.option("--skip", is_flag=True, help="Don't commit yet: the session waits in COMMITTING.")
@click.option("--note", default="", help="Why the user does not commit yet (with --skip).")
@commit_options
@session_option
@common_options
def commit(
    confirm: bool,
    skip: bool,
    grouping: str | None,
    scope: str | None,
    description: str | None,
    issue: str | None,
    message_text: str | None,
    note: str,
    session: str | None,
    root: Path,
    as_json: bool,
) -> int:
    """Phase 7: git commit the feature with the session's record, write SUMMARY.md; -> COMPLETE.
    With --skip (don't commit yet) the session stays in COMMITTING and can be committed later.

    \b
    Example:
      specrail spec-driven commit --confirm --json
      specrail spec-driven commit --skip --note "waiting for review" --json
    """
    from specrail.spec_driven.commit import commit as run

    answer = run(
        root,
        session,
        confirm=confirm,
        skip=skip,
        grouping=grouping,
        scope=scope,
        description=description,
        issue=issue,
        message_text=message_text,
        note=note,
    )
    return respond(root, answer, as_json)


@click.command()
@session_option
@common_options
def reports(session: str | None, root: Path, as_json: bool) -> int:
    """Write the session's reports again from its record (after one was changed by hand).

    \b
    Example:
      specrail spec-driven reports --json
    """
    from specrail.spec_driven.generated import rewrite_step

    return respond(root, rewrite_step(root, session), as_json)


COMMANDS = [
    tasks,
    task_start,
    task_done,
    verify,
    validate_plan,
    run_validations,
    commit_plan,
    commit,
    reports,
]
