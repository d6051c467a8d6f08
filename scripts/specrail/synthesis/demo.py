"""The synthesis steps of `specrail demo`, run on the copied example session.

The example holds the files the model would write (recommendations, conflict map, specs,
changelog). The one thing it cannot hold is a review by the review agent: when the score asks for
a review, the demo writes a plain report from the review-check findings and says so.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from specrail.demo_step import Step, guarded
from specrail.fileio import atomic_write_text
from specrail.synthesis import analysis, answers, complexity, discover, finalize, index, questions, review
from specrail.synthesis.paths import SessionPaths, resolve

EXAMPLE_ROOT = "synthesis"


def _paths(root: Path) -> SessionPaths:
    return resolve(root, None)


def _discover(root: Path) -> dict[str, Any]:
    a = discover.discover(root, None, auto=True)
    mode = f"feature mode, {len(a['features'])} features" if a["feature_mode"] else "single spec"
    return {
        "ok": True,
        "summary": f"{a['session_id']}: {mode}, roles {', '.join(a['participating_roles'])}, "
        f"{a['input_hashes']} input hashes recorded",
    }


def _analyzed(root: Path) -> dict[str, Any]:
    a = analysis.analyzed(root, _paths(root).session_id)
    if a["status"] != "ok":
        return {"ok": False, "summary": "; ".join(e["message"] for e in a["errors"])}
    c = a["conflicts"]
    return {
        "ok": True,
        "summary": f"{a['enhancements']} enhancements, {c['total']} conflicts "
        f"({c['unresolved']} unresolved) validated",
    }


def _clarified(root: Path) -> dict[str, Any]:
    sid = _paths(root).session_id
    q = questions.questions(root, sid, auto=True)
    a = answers.answer(root, sid, None, auto=True)
    return {
        "ok": True,
        "summary": f"{len(q['batches'])} question batches; auto mode took {len(a['selected_enhancements'])} "
        f"enhancements and {a['clarifications_answered']} recommended answers",
    }


def _indexed(root: Path) -> dict[str, Any]:
    a = index.index(root, _paths(root).session_id)
    if a["status"] != "ok":
        return {"ok": False, "summary": "; ".join(e["message"] for e in a["errors"])}
    return {"ok": True, "summary": f"{len(a['specs'])} specs valid; {a['feature_index']} built from disk"}


def _scored(root: Path) -> dict[str, Any]:
    a = complexity.complexity(root, _paths(root).session_id)
    dims = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in a["dimensions"].items())
    need = "review required" if a["review_required"] else "no review needed"
    return {"ok": True, "summary": f"score {a['score']}/8 ({dims}): {need}"}


def demo_report(findings: list[dict[str, str]], score: int, specs: int) -> str:
    """A review report listing the mechanical findings as flags, with no fix applied."""
    flags = [f"- {f['file']}: [REVIEW-FLAG] {f['message']}" for f in findings] or ["- None"]
    return "\n".join(
        [
            "# Review Report",
            "",
            "Written by `specrail demo` from the review-check findings; no review agent ran.",
            "",
            f"**Complexity Score**: {score}",
            f"**Specs Reviewed**: {specs}",
            "**Minor Fixes Applied**: 0",
            f"**Major Flags Raised**: {len(findings)}",
            "",
            "## Fixes Applied",
            "- None",
            "",
            "## Flags Raised",
            *flags,
            "",
        ]
    )


def _reviewed(root: Path) -> dict[str, Any]:
    paths = _paths(root)
    check = review.review_check(root, paths.session_id)
    if not check["review_required"]:
        return {"ok": True, "summary": f"score {check['score']}/8 below the threshold: review skipped"}
    body = demo_report(check["findings"], check["score"], len(check["specs"]))
    atomic_write_text(paths.review_report, body)
    changelog = paths.changelog.read_text(encoding="utf-8").rstrip("\n")
    results = body.split("\n", 4)[4].replace("## ", "### ")
    atomic_write_text(paths.changelog, f"{changelog}\n\n## Review Results\n\n{results}")
    a = review.reviewed(root, paths.session_id)
    if a["status"] != "ok":
        return {"ok": False, "summary": "; ".join(e["message"] for e in a["errors"])}
    return {
        "ok": True,
        "summary": f"{len(check['findings'])} review-check findings; the demo (not a review "
        "agent) wrote review-report.md from them and appended Review Results to the changelog",
    }


def _finalized(root: Path) -> dict[str, Any]:
    a = finalize.finalize(root, _paths(root).session_id)
    return {
        "ok": a["state"] == "COMPLETE",
        "summary": f"{a['state']}: {a['context_package']} written, "
        f"phases.BRAINSTORM {a['brainstorm_phase']['status']}",
    }


STEPS: list[tuple[str, Step]] = [
    ("synthesis: discover", guarded(EXAMPLE_ROOT, _discover)),
    ("synthesis: analysis outputs", guarded(EXAMPLE_ROOT, _analyzed)),
    ("synthesis: questions and auto answers", guarded(EXAMPLE_ROOT, _clarified)),
    ("synthesis: specs and feature index", guarded(EXAMPLE_ROOT, _indexed)),
    ("synthesis: complexity", guarded(EXAMPLE_ROOT, _scored)),
    ("synthesis: review", guarded(EXAMPLE_ROOT, _reviewed)),
    ("synthesis: finalize", guarded(EXAMPLE_ROOT, _finalized)),
]
