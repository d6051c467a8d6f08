"""Phase 6: choose the validations (level, globs on changed paths), run them in parallel, classify."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from specrail.errors import InvalidInput, UsageFailure
from specrail.fileio import now
from specrail.models.config import ConditionalValidation, SpecDrivenConfig
from specrail.models.spec_driven import CommandResult, ConditionJudgement, PendingDecision, PlannedValidation
from specrail.spec_driven import evidence, generated, gitops, reports, runner
from specrail.spec_driven.commands import ProjectCommands, project_commands
from specrail.spec_driven.session import Ctx, one_at_a_time, open_ctx, require

LEVELS = ("minimal", "standard", "full")
BLOCKED_OPTIONS = ["Fix & Retry", "Skip Validation", "Rollback to Phase 5", "Rollback to Phase 3", "Abort"]


@cache
def glob_regex(pattern: str) -> re.Pattern[str]:
    """`**` spans folders, `*` and `?` stay within one, `[...]` is a class; a pattern without `/`
    matches the file name in any folder."""
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 1 :]:
            end = pattern.index("]", i + 1)
            body = pattern[i + 1 : end].replace("\\", "\\\\")
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    prefix = "" if "/" in pattern.rstrip("/") else "(?:.*/)?"
    return re.compile(prefix + "".join(out) + r"\Z")


def matches(pattern: str, path: str) -> bool:
    return bool(glob_regex(pattern.removeprefix("./")).match(path))


@dataclass
class Plan:
    validations: list[PlannedValidation]
    unjudged: list[ConditionalValidation]  # prose conditions the validator agent has not judged yet


def plan(
    config: SpecDrivenConfig,
    level: str,
    changed: Sequence[str],
    judgements: Mapping[str, ConditionJudgement] | None = None,
) -> Plan:
    """minimal: the required ones; standard: + conditional ones whose globs match a changed path or
    whose prose condition the validator agent judged true; full: + every conditional one."""
    if level not in LEVELS:
        raise UsageFailure(f"validation level {level!r}; levels: {', '.join(LEVELS)}")
    judged = judgements or {}
    out = {
        name: PlannedValidation(name=name, critical=True, reason="required")
        for name in config.validation.required
    }
    unjudged = []
    for cond in config.validation.conditions:
        if cond.name in out or level == "minimal":
            continue
        reason = "full validation level" if level == "full" else None
        hit = next(((p, g) for p in changed for g in cond.paths if matches(g, p)), None)
        if hit:
            reason = f"{hit[0]} changed" + ("" if hit[0] == hit[1] else f" (matches {hit[1]})")
        elif cond.when and cond.name in judged:
            verdict = judged[cond.name]
            if verdict.applies:
                reason = f"judged by the validator agent ({cond.when}): {verdict.reason}"
        elif cond.when and reason is None:
            unjudged.append(cond)
        if reason is not None:
            out[cond.name] = PlannedValidation(name=cond.name, critical=cond.critical, reason=reason)
    return Plan(list(out.values()), unjudged)


def parse_judgement(raw: str, config: SpecDrivenConfig) -> tuple[str, ConditionJudgement]:
    """`NAME=yes: why` or `NAME=no: why` for a prose condition of the configuration."""
    name, sep, rest = raw.partition("=")
    verdict, _, why = rest.partition(":")
    prose = {c.name: c for c in config.validation.conditions if c.when}
    if not sep or verdict.strip().lower() not in ("yes", "no") or not why.strip():
        raise UsageFailure(f"--judged {raw!r} is not NAME=yes: why or NAME=no: why")
    if name.strip() not in prose:
        known = ", ".join(prose) or "none"
        raise UsageFailure(f"--judged names {name.strip()!r}; the prose conditions are: {known}")
    return name.strip(), ConditionJudgement(
        applies=verdict.strip().lower() == "yes", reason=why.strip(), at=now()
    )


def changed_paths(ctx: Ctx) -> list[str]:
    """Paths changed by the feature: git's view of the work tree, plus the session's specs and task files."""
    session = ctx.session
    done = [t for t in session.tasks if t.status == "done"]
    paths = [*session.diffs, *(f for t in done for f in t.files_changed)]
    if gitops.is_repo(ctx.root):
        prefix = ctx.label.rstrip("/") + "/"
        paths += [p for p in gitops.changed_files(ctx.root) if not p.startswith(prefix)]
    return sorted(dict.fromkeys(paths))


def level_of(ctx: Ctx, level: str | None) -> str:
    return level or ctx.session.overrides.validation


def described(planned: Sequence[PlannedValidation], commands: ProjectCommands) -> list[dict[str, Any]]:
    out = []
    for p in planned:
        command = commands.get(p.name)
        item = p.model_dump(mode="json")
        item.update(command=command.run if command else None, source=command.source if command else None)
        out.append(item)
    return out


@one_at_a_time
def validate_plan(
    root: Path, session: str | None, level: str | None, judged: Sequence[str] = ()
) -> dict[str, Any]:
    ctx = open_ctx(root, session)
    require(ctx, "validate-plan", "VALIDATING")
    chosen = level_of(ctx, level)
    changed = changed_paths(ctx)
    verdicts = dict(ctx.session.judgements)
    verdicts.update(parse_judgement(raw, ctx.session.config) for raw in judged)
    made = plan(ctx.session.config, chosen, changed, verdicts)
    commands = project_commands(root, ctx.session.config)

    def apply(s: Any) -> None:
        s.validation_plan = made.validations
        s.judgements = verdicts
        s.overrides.validation = chosen

    ctx.store.update(apply)
    return {
        "status": "ok",
        "session": ctx.label,
        "level": chosen,
        "changed_paths": changed,
        "plan": described(made.validations, commands),
        "needs_judgement": [{"name": c.name, "condition": c.when} for c in made.unjudged],
    }


def run_all(
    planned: Sequence[PlannedValidation], commands: ProjectCommands, cwd: Path, parallel: bool
) -> list[CommandResult]:
    """Run every planned validation (threads, one subprocess each), once the user approved the
    project's commands; results in plan order."""
    if not planned:
        return []
    runner.approved(cwd, commands)

    def one(p: PlannedValidation) -> CommandResult:
        command = commands.get(p.name)
        run, timeout = (command.run, command.timeout) if command else (None, p.timeout)
        report = command.report if command else None
        return runner.run(
            p.name, run, cwd, timeout=timeout, critical=p.critical, reason=p.reason, report=report
        )

    workers = len(planned) if parallel else 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(one, planned))


@one_at_a_time
def run_validations(root: Path, session: str | None, level: str | None) -> dict[str, Any]:
    """Run the plan; critical failures -> BLOCKED with the seed's options, otherwise -> COMMITTING."""
    ctx = open_ctx(root, session)
    require(ctx, "run-validations", "VALIDATING")
    chosen = level_of(ctx, level)
    made = plan(ctx.session.config, chosen, changed_paths(ctx), ctx.session.judgements)
    if made.unjudged:
        names = ", ".join(f"{c.name} ({c.when})" for c in made.unjudged)
        raise InvalidInput(
            f"conditions to judge first: {names}; ask the validator agent whether each holds for this "
            'change, then run `validate-plan --judged "NAME=yes: why"` (or NAME=no)',
            file=str(ctx.store.path),
            pointer="/judgements",
        )
    planned = made.validations
    commands = project_commands(root, ctx.session.config)
    results = run_all(planned, commands, root, ctx.session.config.validation.parallel)
    # A critical validation that could not run blocks like one that failed.
    critical = [r for r in results if r.critical and r.status in ("FAIL", "TIMEOUT", "NOT_CONFIGURED")]
    minor = [r for r in results if r not in critical and r.status in ("FAIL", "TIMEOUT", "NOT_CONFIGURED")]
    stamp = now()
    trial = ctx.session.model_copy(update={"validations": results})
    proofs = evidence.evaluate(root, ctx.dir, trial)
    unproven = None if critical else evidence.decision(proofs, stamp)

    def apply(s: Any) -> None:
        s.validation_plan, s.validations = planned, results
        s.overrides.validation = chosen
        s.evidence = proofs
        if unproven is not None:
            s.pending_decision = unproven
        if critical:
            names = ", ".join(f"{r.name} {r.status}" for r in critical)
            s.pending_decision = PendingDecision(
                kind="validation",
                reason=f"critical validation failed: {names}"
                + "".join(
                    f"; {r.name} could not run in the project's environment ({r.environment}): "
                    f"install what is missing, or set spec_driven_feature.commands.{r.name}.run in "
                    ".specrail.yaml"
                    for r in critical
                    if r.environment
                ),
                options=BLOCKED_OPTIONS,
                raised_at=stamp,
            )
        else:
            s.deferred_items.extend(
                f"Validation: {r.name} {r.status}" + (f": {r.summary}" if r.summary else "") for r in minor
            )

    if critical:
        ctx.store.transition(
            "BLOCKED", "critical validation failed: " + ", ".join(r.name for r in critical), apply
        )
    elif unproven is not None:
        ctx.store.transition("BLOCKED", unproven.reason[:300], apply)
    else:
        ctx.store.transition("COMMITTING", f"{len(results)} validation(s) run, none failed critically", apply)
    generated.write(ctx, reports.VALIDATION_REPORT, reports.validation_report(ctx.reload()))
    decided = ctx.session.pending_decision
    return {
        "status": "fail" if critical or unproven else "ok",
        "session": ctx.label,
        "level": chosen,
        "results": [
            r.model_dump(mode="json", exclude={"output_tail": True, "tests": {"cases"}}) for r in results
        ],
        "evidence": [e.model_dump(mode="json") for e in proofs],
        "unproven": [evidence.describe(e) for e in evidence.unproven(proofs)],
        "pending_decision": decided.model_dump(mode="json") if decided else None,
        "critical_failures": [r.name for r in critical],
        "minor_findings": [f"{r.name}: {r.status} {r.summary}".strip() for r in minor],
        "output": runner.failure_output(critical),
        "environment": runner.environment_failures(results, commands, BLOCKED_OPTIONS),
    }
