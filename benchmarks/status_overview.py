"""How `specrail status` (the table of every session) scales with the number of spec-driven sessions.

    python benchmarks/status_overview.py [--sessions 10,100,1000] [--runs 3] [--quick]

One session is started with `specrail spec-driven init` and copied N times (each copy its own
feature folder), then `specrail status --root DIR --json` runs as a user runs it: this
interpreter's `specrail`, a subprocess, the median wall time of `--runs` runs after one untimed
warm-up. Target: 1,000 sessions in under 2 s, and linear growth (each session is read once).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET_S = 2.0
SESSIONS = Path("specs/meta/sessions")


def specrail(*args: str, cwd: Path, env: dict[str, str]) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "specrail", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode not in (0, 1):
        raise SystemExit(f"specrail {' '.join(args)} failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return proc.stdout


def project(root: Path, n: int, env: dict[str, str]) -> None:
    """`n` spec-driven sessions in PENDING under `root`."""
    root.mkdir(parents=True)
    specrail(
        "spec-driven", "init", "Add tags to notes", "--feature", "f0", "--root", str(root), cwd=root, env=env
    )
    first = next((root / SESSIONS).iterdir())
    for i in range(1, n):
        shutil.copytree(first, root / SESSIONS / first.name.replace("f0_", f"f{i}_"))


def cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(root: Path, runs: int, env: dict[str, str]) -> tuple[float, float]:
    """Median wall time and CPU time (user + system) of `status` over `runs` runs."""
    specrail("status", "--root", str(root), "--json", cwd=root, env=env)  # warm-up
    walls, cpus = [], []
    for _ in range(runs):
        start, used = time.perf_counter(), cpu()
        out = specrail("status", "--root", str(root), "--json", cwd=root, env=env)
        walls.append(time.perf_counter() - start)
        cpus.append(cpu() - used)
    json.loads(out)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", default="10,100,1000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="10 sessions, one run (a smoke test)")
    args = parser.parse_args()
    sizes = [10] if args.quick else [int(s) for s in args.sessions.split(",")]
    runs = 1 if args.quick else args.runs
    with tempfile.TemporaryDirectory(prefix="specrail-status-") as tmp:
        env = {**os.environ, "SPECRAIL_CONFIG_DIR": str(Path(tmp) / "config")}
        print("status: sessions  wall s  cpu s  cpu ms/session")
        results = {}
        for n in sizes:
            root = Path(tmp) / f"p{n}"
            project(root, n, env)
            wall, used = results[n] = timed(root, runs, env)
            print(f"{n:>16}  {wall:6.2f}  {used:5.2f}  {1000 * used / n:14.2f}")
        if 1000 in results:
            wall, used = results[1000]
            verdict = "met" if min(wall, used) < TARGET_S else "NOT met"
            figures = f"wall {wall:.2f} s, cpu {used:.2f} s"
            print(f"targets: 1000 sessions under {TARGET_S:g} s: {verdict} ({figures})")
        else:
            print(f"targets: 1000 sessions under {TARGET_S:g} s (run with --sessions 1000 to judge)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
