"""`specrail overlap` and the init warning over many sessions on many branches.

    python benchmarks/overlap.py                      # 200 sessions over 50 branches
    python benchmarks/overlap.py --sessions 1000 --branches 200 --runs 3

Writes a git repository whose `main` holds one spec of 100 numbered sections, and BRANCHES
branches holding SESSIONS committed session records between them (each changing 3 sections, so
some sessions share sections), all with one `git fast-import`. Then times, in-process, the
`overlap` check of one branch against `main` and the warnings `init` computes, and `specrail
overlap` as a subprocess. Target: under 1 s for 200 sessions over 50 branches.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from specrail.spec_driven import overlap, overlap_check  # noqa: E402

SECTIONS = 100
TS = "2026-11-20T09:00:00Z"


def spec_text() -> str:
    parts = ["# Ledger", "", "**Version:** 1.0", ""]
    for i in range(1, SECTIONS + 1):
        parts += [f"## {i}. Part {i}", "", f"Part {i} keeps its entries in order.", ""]
    return "\n".join(parts)


def record(n: int) -> dict[str, object]:
    keys = [str((n * 7 + k * 13) % SECTIONS + 1) for k in range(3)]
    return {
        "schema_version": 1,
        "workflow": "spec-driven",
        "feature": f"change-{n}",
        "state": "COMPLETE" if n % 3 else "IMPLEMENTING",
        "created_at": TS,
        "updated_at": TS,
        "diffs": {
            "specs/ledger.md": {"record": "spec_diffs/ledger.diff.md", "bases": dict.fromkeys(keys, "0" * 64)}
        },
    }


def blob(data: str) -> str:
    """A fast-import `data` block (the stream is joined with newlines after it)."""
    return f"data {len(data.encode())}\n{data}"


def build(root: Path, sessions: int, branches: int) -> None:
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    stream = [
        "commit refs/heads/main",
        "mark :1",
        "committer Bench <b@example.invalid> 1700000000 +0000",
        blob("baseline"),
        "M 100644 inline specs/ledger.md",
        blob(spec_text()),
    ]
    per = -(-sessions // branches)
    made = 0
    for b in range(branches):
        stream += [
            f"commit refs/heads/branch-{b}",
            f"committer Bench <b@example.invalid> {1700000100 + b} +0000",
            blob(f"sessions of branch {b}"),
            "from :1",
        ]
        for _ in range(per):
            if made == sessions:
                break
            folder = f"specs/meta/sessions/change-{made}_2026-11-20"
            stream += [f"M 100644 inline {folder}/workflow-session.json", blob(json.dumps(record(made)))]
            made += 1
    subprocess.run(["git", "fast-import", "--quiet"], cwd=root, input="\n".join(stream).encode(), check=True)
    subprocess.run(["git", "checkout", "-q", "branch-0"], cwd=root, check=True)


def timed(run, runs: int) -> float:  # type: ignore[no-untyped-def]
    spent = []
    for _ in range(runs):
        started = time.perf_counter()
        run()
        spent.append(time.perf_counter() - started)
    return statistics.median(spent)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=200)
    parser.add_argument("--branches", type=int, default=50)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="specrail-overlap-") as tmp:
        root = Path(tmp) / "repo"
        build(root, args.sessions, args.branches)
        check = timed(lambda: overlap_check.check(root, "main"), args.runs)
        warn = timed(lambda: overlap.warnings(root, "specs/meta/sessions/new_2026-11-20"), args.runs)
        answer = overlap_check.check(root, "main")
        started = time.perf_counter()
        proc = subprocess.run(
            [sys.executable, "-m", "specrail", "overlap", "--base", "main", "--json", "--root", str(root)],
            capture_output=True,
            env={"PYTHONPATH": str(ROOT / "scripts"), "PATH": "/usr/bin:/bin"},
        )
        cli = time.perf_counter() - started
    print(f"{args.sessions} sessions over {args.branches} branches")
    print(f"  overlap check (in-process, median of {args.runs}): {check:.3f} s")
    print(f"  init warnings (in-process, median of {args.runs}): {warn:.3f} s")
    print(f"  specrail overlap (subprocess, exit {proc.returncode}): {cli:.3f} s")
    print(f"  conflicts found on branch-0: {len(answer['conflicts'])}; others read: {len(answer['others'])}")
    print(f"  target: < 1 s; check/target = {check / 1.0:.2f}")


if __name__ == "__main__":
    main()
