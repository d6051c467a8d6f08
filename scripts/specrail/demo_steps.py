"""The steps `specrail demo` runs, in order; each workflow adds its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from specrail.demo_step import Step
from specrail.spec_driven.demo import STEPS as SPEC_DRIVEN_STEPS
from specrail.synthesis.demo import STEPS as SYNTHESIS_STEPS
from specrail.validation import kinds
from specrail.validation.check import check_file


def validate_all(work: Path) -> dict[str, Any]:
    """Validate every workflow artifact found in the examples."""
    results = [check_file(p, root=work) for p in sorted(work.rglob("*")) if p.is_file() and kinds.classify(p)]
    bad = [r for r in results if not r.ok]
    lines = [i.line() for r in bad for i in r.errors]
    return {
        "ok": not bad,
        "summary": f"{len(results)} artifacts validated, {len(bad)} invalid"
        + ("".join("\n  " + x for x in lines)),
        "files": len(results),
    }


STEPS: list[tuple[str, Step]] = [
    ("validate example artifacts", validate_all),
    *SYNTHESIS_STEPS,
    *SPEC_DRIVEN_STEPS,
]
