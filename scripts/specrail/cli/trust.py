"""`specrail trust`: show the project's commands and record the user's approval of them."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from specrail.cli.common import common_options, emit


@click.command("trust")
@click.option("--approve", "expected", metavar="DIGEST", help="Approve only the list with this digest.")
@click.option("--show", is_flag=True, help="Only show the commands and whether they are approved.")
@click.option("--revoke", is_flag=True, help="Withdraw the approval of this project's commands.")
@common_options
def trust(expected: str | None, show: bool, revoke: bool, root: Path, as_json: bool) -> int:
    """Show the commands this project makes specrail run, and approve them.

    specrail runs a repository's check, test, lint and validation commands (configured in
    .specrail.yaml or detected from its files) only after you approved that exact list for that
    project; a changed list needs a new approval. The
    approval is kept in your configuration folder, never in the repository.

    \b
    Examples:
      specrail trust --show
      specrail trust                      (asks in a terminal)
      specrail trust --approve 3f2a9c01b7de
      specrail trust --revoke
    """
    from specrail import trust as approvals
    from specrail.errors import InvalidInput, UsageFailure
    from specrail.spec_driven.commands import project_commands
    from specrail.spec_driven.runner import listed
    from specrail.spec_driven.session import CONFIG_FILE

    if sum([bool(expected), show, revoke]) > 1:
        raise UsageFailure("use one of --approve, --show, --revoke")
    found = project_commands(root)
    commands = listed(found)
    full = approvals.digest(commands)
    answer: dict[str, Any] = {
        "status": "ok",
        "project": approvals.project_key(root),
        "config": str(root / CONFIG_FILE),
        "commands": [
            {
                "name": approvals.shown(c.name),
                "run": approvals.shown(c.run),
                "origin": approvals.shown(c.origin),
                "body": [approvals.shown(line) for line in c.body],
            }
            for c in found.commands
        ],
        "policy": {key: approvals.shown(value) for key, value in found.policy},
        "digest": approvals.short(full),
        "approval_file": str(approvals.approval_file(root)),
    }
    if revoke:
        answer.update(revoked=approvals.revoke(root), approved=False)
        emit(answer, as_json, _text)
        return 0
    answer["approved"] = approvals.is_approved(root, commands)
    if show or not commands or answer["approved"]:
        emit(answer, as_json, _text)
        return 0
    if expected and expected.removeprefix("sha256:") not in (full.removeprefix("sha256:"), answer["digest"]):
        raise InvalidInput(
            f"digest {expected} is not the digest of the commands configured now; nothing approved. "
            f"The list now ({answer['digest']}):\n{approvals.listing(commands)}",
            file=answer["config"],
        )
    if not expected:
        if not sys.stdin.isatty() or as_json:
            raise InvalidInput(
                "nothing approved: without a terminal to ask in, approve only the list you read, by its "
                f"digest. The list now ({answer['digest']}):\n{approvals.listing(commands)}\n"
                f"Read it, then run `{approvals.approve_command(root, commands)}`.",
                file=answer["config"],
            )
        click.echo("\n".join(_text(answer).splitlines()[:-1]))  # the list, without "not approved"
        if not click.confirm("Let specrail run these commands in this project?", default=False):
            click.echo("nothing approved")
            return 1
        approvals.approve(root, commands)
        click.echo(f"approved; recorded in {answer['approval_file']}")
        return 0
    approvals.approve(root, commands)
    answer.update(approved=True, recorded=True)
    emit(answer, as_json, _text)
    return 0


def _text(answer: dict[str, Any]) -> str:
    commands = answer["commands"]
    if not commands:
        return f"{answer['project']}: no commands to approve (none configured or detected)"
    lines = [f"commands of {answer['project']} (digest {answer['digest']}):"]
    for c in commands:
        lines.append(f"  {c['name']}: {c['run']}    ({c['origin']})")
        lines += [f"      {line}" for line in c["body"]]
    lines += [f"  runs {key}: {value}" for key, value in answer["policy"].items()]
    if answer.get("revoked") is not None:
        lines.append("approval withdrawn" if answer["revoked"] else "there was no approval")
    elif answer.get("recorded"):
        lines.append(f"approved; recorded in {answer['approval_file']}")
    elif answer["approved"]:
        lines.append("approved")
    else:
        lines.append(f"not approved: run `specrail trust --approve {answer['digest']}` to approve them")
    return "\n".join(lines)
