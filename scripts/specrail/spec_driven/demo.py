"""The spec-driven steps of `specrail demo`: the sample project's session from PENDING to COMPLETE.

`examples/spec-driven/scenario/` holds what the model would write (the proposal, the updated
spec, the new code). The demo applies it at the right moments, puts the project under git in its
temporary copy, and makes every other step through the same functions the CLI calls. One task's
first attempt is deliberately broken, to show the check failing and the rollback.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from specrail.demo_step import Step, guarded
from specrail.spec_driven import (
    align,
    commit,
    diff,
    escalation,
    implement,
    proposal,
    refine,
    session,
    status,
    tasks,
    validation,
)

EXAMPLE_ROOT = "spec-driven"


def _apply(root: Path, name: str, target: str | None = None) -> None:
    destination = root / (target or name)
    destination.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(root / "scenario" / name, destination)


def _state(root: Path) -> str:
    return session.open_ctx(root, None).session.state


def _expect(root: Path, state: str, summary: str) -> dict[str, Any]:
    now = _state(root)
    return {"ok": now == state, "summary": summary if now == state else f"{summary}; but the state is {now}"}


def _setup(root: Path) -> dict[str, Any]:
    """Put the copy under git and start the session."""
    for args in (
        ["init", "-q"],
        ["config", "user.name", "specrail demo"],
        ["config", "user.email", "demo@example.invalid"],
        ["add", "-A"],
        ["commit", "-q", "-m", "Notes library before tags"],
    ):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)
    answer = session.init(root, "Add tags to notes", feature="note-tags", date="2026-01-20")
    return _expect(root, "PENDING", f"{answer['session']} created in PENDING (git baseline committed)")


def _proposal(root: Path) -> dict[str, Any]:
    """Phase 1: proposal, the user's answer, confirmation."""
    label = session.open_ctx(root, None).label
    _apply(root, "proposal.md", f"{label}/proposal.md")
    first = proposal.record(root, None)
    if first["status"] != "ok":
        return {"ok": False, "summary": "; ".join(e["message"] for e in first["errors"])}
    question = first["open_questions"][0]["question"]
    proposal.answer(root, None, 1, "Yes: tags are stored lowercase")
    proposal.record(root, None, confirm=True)
    proposal.start_update(root, None)
    return _expect(
        root,
        "SPEC_UPDATE",
        f"open question '{question}' answered, proposal confirmed, "
        "specs/notes.md v1.0 snapshotted; PENDING -> SPEC_UPDATE",
    )


def _spec_update(root: Path) -> dict[str, Any]:
    """Phase 2: the updated spec, diffed by section."""
    _apply(root, "specs/notes.md")
    answer = diff.diff(root, None, [], None)
    if answer["status"] != "ok":
        return {"ok": False, "summary": "; ".join(e["message"] for e in answer["errors"])}
    changes = ", ".join(f"{c['section']} {c['change']}" for c in answer["sections"]["specs/notes.md"])
    return _expect(root, "REFINING", f"notes.md v1.0 -> v1.1: {changes}; SPEC_UPDATE -> REFINING")


def _refinement(root: Path) -> dict[str, Any]:
    """Phase 3: two rounds until CONVERGED."""
    first = refine.refine_round(
        root,
        None,
        "notes.md",
        found=2,
        resolved=1,
        open_critical=0,
        decisions=["Tags are lowercase - Rationale: matching ignores case"],
        deferred=[],
    )
    second = refine.refine_round(
        root, None, "notes.md", found=0, resolved=1, open_critical=0, decisions=[], deferred=[]
    )
    return _expect(
        root,
        "ALIGNING",
        f"round 1 {first['verdict']} ({first['open_gaps']} open), round 2 "
        f"{second['verdict']}; REFINING -> ALIGNING",
    )


def _alignment(root: Path) -> dict[str, Any]:
    """Phase 4: triggered by the cross-references between the two specs."""
    answer = align.align_check(root, None, [])
    found = "; ".join(f"{f['severity']} {f['file']}:{f['line']} {f['message']}" for f in answer["findings"])
    return _expect(
        root, "IMPLEMENTING", f"{answer['reasons'][0]}; {found or 'no findings'}; ALIGNING -> IMPLEMENTING"
    )


def _implementation(root: Path) -> dict[str, Any]:
    """Phase 5: five tasks (one from alignment), one failing its check once and rolled back, then
    the verification."""
    order = tasks.plan(root, None)["order"]
    notes = []
    for task_id in order:
        if task_id == "T-004":
            implement.start(root, None, task_id, ["tests/test_core.py"])
            (root / "tests" / "test_core.py").write_text("def broken(:\n", encoding="utf-8")
            failed = implement.done(root, None, task_id, [], "")
            notes.append(f"{task_id} check {failed['check']['status']}, rolled back {failed['restored']}")
            escalation.resolve(root, None, "Diagnose & Fix")
        implement.start(root, None, task_id, [])
        if task_id == "T-001":
            _apply(root, "notes/core.py")
        if task_id == "T-004":
            _apply(root, "tests/test_core.py")
        if task_id == "T-005":  # the MEDIUM alignment finding queued for phase 5
            _apply(root, "specs/storage.md")
        answer = implement.done(root, None, task_id, [], "")
        asked = answer.get("pending_decision") or {}
        if asked.get("options") == implement.NO_CHANGE_OPTIONS:  # covered by T-001's change
            escalation.resolve(root, None, "No change needed", "implemented with T-001")
            notes.append(f"{task_id} changed nothing: the user said no change was needed")
            continue
        if answer["status"] != "ok":
            return {"ok": False, "summary": f"{task_id}: {answer.get('check', answer)}"}
    checks = implement.verify(root, None)["verification"]
    ran = ", ".join(f"{r['name']} {r['status']}" for r in checks)
    return _expect(
        root,
        "VALIDATING",
        f"tasks {' '.join(order)} done; {'; '.join(notes)}; verification {ran}; IMPLEMENTING -> VALIDATING",
    )


def _validation(root: Path) -> dict[str, Any]:
    """Phase 6: required and matching conditional validations, in parallel."""
    answer = validation.run_validations(root, None, None)
    ran = ", ".join(f"{r['name']} {r['status']} ({r['reason']})" for r in answer["results"])
    proofs = ", ".join(
        f"{e['section']} {e['status']} by {len(e['tests'])} linked test(s)" for e in answer["evidence"]
    )
    return _expect(
        root,
        "COMMITTING",
        f"{answer['level']} level: {ran}; evidence: {proofs}; VALIDATING -> COMMITTING",
    )


def _commit(root: Path) -> dict[str, Any]:
    """Phase 7: commits by phase, SUMMARY.md and the outcome metrics."""
    label = session.open_ctx(root, None).label
    answer = commit.commit(
        root,
        None,
        confirm=True,
        skip=False,
        grouping="by_phase",
        scope=None,
        description="tag notes and filter by tag",
        issue=None,
    )
    made = "; ".join(f"{c['hash'][:8]} {c['message'].splitlines()[0]}" for c in answer["commits"])
    result = {"ok": True, "summary": f"{made}; {answer['summary']} written; COMMITTING -> COMPLETE"}
    return result if session.open_ctx(root, label).session.state == "COMPLETE" else {**result, "ok": False}


def _status(root: Path) -> dict[str, Any]:
    """Status of the finished session: every output present and valid."""
    answer = status.status(root, None)
    present = [o for o in answer["outputs"] if o["present"]]
    bad = [e for o in present for e in o["errors"]] + answer["problems"]
    return {
        "ok": answer["state"] == "COMPLETE" and not bad,
        "summary": f"{answer['state']}: {len(present)} outputs valid" + "".join("\n  " + b for b in bad),
    }


STEPS: list[tuple[str, Step]] = [
    ("spec-driven: sample project under git, session started", guarded(EXAMPLE_ROOT, _setup)),
    ("spec-driven phase 1: proposal", guarded(EXAMPLE_ROOT, _proposal)),
    ("spec-driven phase 2: spec update and diff", guarded(EXAMPLE_ROOT, _spec_update)),
    ("spec-driven phase 3: refinement", guarded(EXAMPLE_ROOT, _refinement)),
    ("spec-driven phase 4: alignment", guarded(EXAMPLE_ROOT, _alignment)),
    ("spec-driven phase 5: implementation", guarded(EXAMPLE_ROOT, _implementation)),
    ("spec-driven phase 6: validation", guarded(EXAMPLE_ROOT, _validation)),
    ("spec-driven phase 7: commit and summary", guarded(EXAMPLE_ROOT, _commit)),
    ("spec-driven: status", guarded(EXAMPLE_ROOT, _status)),
]
