"""`specrail demo`: the mechanical pipeline on a copy of the embedded example sessions."""

from __future__ import annotations

import shutil
import tempfile
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from specrail.errors import UsageFailure

EXAMPLES = Path(__file__).resolve().parent / "examples"
SYNTHESIS_EXAMPLE = Path("synthesis")
INTRO = (
    "specrail demo: both workflows, end to end, on two small example projects,",
    "without a model or an API key. The model's part (analyses, specs, proposal, code) is replayed",
    "from files in the examples; every check, state change, record, test run and commit below is",
    "specrail's own.",
)


def examples_dir() -> Path:
    """The example sessions shipped inside the package (package data)."""
    if not (EXAMPLES / SYNTHESIS_EXAMPLE).is_dir():
        raise UsageFailure(f"the embedded examples are missing from {EXAMPLES}; reinstall specrail")
    return EXAMPLES


def shipped_commands_approved(project: Path) -> AbstractContextManager[None]:
    """The sample project's commands, approved in this process only: they ship inside specrail,
    which the user trusted by installing it."""
    from specrail import trust
    from specrail.spec_driven.commands import project_commands
    from specrail.spec_driven.runner import listed

    return trust.approved_here(project, listed(project_commands(project)))


def run_demo(keep: Path | None = None) -> dict[str, Any]:
    """Copy the examples to a temporary folder (or to `keep`, left in place), run every mechanical
    step, report what happened."""
    source = examples_dir()
    if keep is not None and keep.exists() and any(keep.iterdir()):
        raise UsageFailure(f"{keep} is not empty; give --keep a new or empty folder")
    report: list[str] = list(INTRO)
    steps: list[dict[str, Any]] = []
    ok = True
    with tempfile.TemporaryDirectory(prefix="specrail-demo-") as tmp:
        work = keep or Path(tmp)
        report.append(f"examples: {source}")
        gone = "" if keep is not None else " (removed at the end; specrail demo --keep DIR keeps it)"
        report.append(f"working folder: {work}{gone}")
        shutil.copytree(source, work, dirs_exist_ok=True)
        from specrail.demo_steps import STEPS
        from specrail.store import SESSION_FILE, SessionStore

        for shipped in sorted(work.glob(f"*/.workflow/active/*/{SESSION_FILE}")):
            SessionStore(shipped).adopt()  # the examples came with specrail: the user trusted them

        with shipped_commands_approved(work / "spec-driven"):
            for name, step in STEPS:
                outcome = step(work)
                steps.append({"step": name, **outcome})
                ok = ok and outcome["ok"]
                mark = "ok " if outcome["ok"] else "FAIL"
                report.append(f"[{mark}] {name}: {outcome['summary']}")
    verdict = "all steps passed" if ok else "some steps failed"
    if keep is not None:
        look = f"specrail status --root {keep}/spec-driven"
        report.append(f"{verdict}; the sessions are kept in {keep}: try {look}")
    else:
        report.append(f"{verdict}; {work} was removed (specrail demo --keep DIR keeps it)")
    return {"ok": ok, "steps": steps, "report": report}
