"""How many bytes each `specrail synthesis` helper prints into the model's context.

Every helper's `--json` answer is read by the model in full, so it must stay small whatever the
session's size: per-feature detail goes into files of the session that the agents read by path.
Writes sessions of 5 and 200 features (see `scale_sessions.py`), runs every helper in order
through the CLI's entry point and prints the bytes of each answer.

    python benchmarks/answer_sizes.py                  # 5 and 200 features, a few seconds
    python benchmarks/answer_sizes.py --sizes 5,200,1000

Target: every answer <= 24 KB at every size.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale_sessions as gen

from specrail.cli import main as cli

LIMIT = 24 * 1024
STEPS = (
    ("discover", ()),
    ("analyzed", ()),
    ("questions", ()),
    ("answer", ("--yes",)),
    ("spec-input", ()),
    ("index", ()),
    ("complexity", ()),
    ("review-check", ()),
    ("reviewed", ()),
    ("finalize", ()),
)
REPORT = """# Review Report

**Complexity Score**: 8
**Specs Reviewed**: {n}
**Minor Fixes Applied**: 0
**Major Flags Raised**: 0

## Fixes Applied
- None

## Flags Raised
- None
"""


def answer_sizes(n: int) -> dict[str, int]:
    """Bytes of each helper's `--json` answer on a session of `n` features."""
    sizes: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        session = gen.synthesis_session(root, n)
        brainstorm = session / ".brainstorming"
        for step, extra in STEPS:
            if step == "reviewed":
                (brainstorm / "review-report.md").write_text(REPORT.format(n=n), encoding="utf-8")
                changelog = brainstorm / "synthesis-changelog.md"
                results = REPORT.format(n=n).split("\n", 2)[2].replace("## ", "### ")
                changelog.write_text(changelog.read_text() + "\n## Review Results\n" + results)
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                args = ["synthesis", step, "--session", gen.SESSION, *extra]
                code = cli([*args, "--root", str(root), "--json"])
            if code != 0:
                sys.exit(f"synthesis {step} failed at {n} features:\n{out.getvalue()[-1500:]}")
            sizes[step] = len(out.getvalue().encode("utf-8"))
    return sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="5,200", help="feature counts, comma-separated")
    args = parser.parse_args(argv)
    counts = [int(s) for s in args.sizes.split(",")]
    table = {n: answer_sizes(n) for n in counts}
    print("synthesis helpers: bytes of each --json answer")
    print(f"{'helper':<14}" + "".join(f"{f'{n} features':>14}" for n in counts))
    for step, _ in STEPS:
        print(f"{step:<14}" + "".join(f"{table[n][step]:>14,}" for n in counts))
    worst = max(size for sizes in table.values() for size in sizes.values())
    verdict = "ok" if worst <= LIMIT else "OVER"
    print(f"targets: every answer <= {LIMIT:,} bytes: largest {worst:,} ({verdict})")
    return 0 if worst <= LIMIT else 1


if __name__ == "__main__":
    sys.exit(main())
