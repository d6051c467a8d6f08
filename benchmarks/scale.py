"""How `specrail` scales: synthesis sessions of 10 to 1000 features, spec-driven sessions of 10 to
500 changed sections.

    python benchmarks/scale.py [--sizes 10,50,200,1000] [--sections 10,50,200,500] [--sessions 10,50,200]
                               [--runs 3] [--quick]

Each session is written from scratch in a temporary folder (see `scale_sessions.py`) and brought to
the state each command needs through the real commands (discover, analyzed, questions, answer --yes,
index; init, proposal, start-update, diff, refine-round, align-check). Then every command is run as
a user runs it: the `specrail` console script of this interpreter, as a subprocess, `--json`,
interleaved, and the median wall time of `--runs` runs is printed (one untimed warm-up first).
`validate` checks the whole session in one invocation: every file of the session folder, with
`--skip-unknown` (as pre-commit or CI pass them), so the role analyses are classified and skipped.

`trace` and `drift` run in a git repository of N committed sessions (one commit each, carrying the
spec, the code and the record, and a commit outside any session after every tenth).

Targets: 200 features validated in <= 1 s on a 2-core machine; trace and drift over 200 sessions
in <= 1 s each; growth linear, i.e. the time at 1000 features is <= 6x the time at 200 (5x the
features). `--quick` runs the smallest sizes once (a smoke test, not a measurement).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import scale_sessions as gen

TARGET_VALIDATE_200_S = 1.0
TARGET_TRACE_200_S = 1.0
TARGET_GROWTH = 6.0


def specrail_script() -> str:
    """The console script beside this interpreter (never a version-manager shim: it adds start-up)."""
    beside = Path(sys.executable).parent / "specrail"
    found = str(beside) if beside.exists() else shutil.which("specrail")
    if not found:
        sys.exit("no `specrail` script found: run `pip install -e .` first")
    return found


@dataclass
class Timed:
    name: str
    args: list[str]
    expect: int = 0
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.times)


def child_env() -> dict[str, str]:
    """This environment, with byte-code written (to a cache folder) and read, as an installed package
    or the plugin's venv runs: without it every edited module would be compiled again on each run."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "specrail" / "bench-pycache"
    env.setdefault("PYTHONPYCACHEPREFIX", str(cache))
    return env


ENV = child_env()


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(args: list[str], cwd: Path, expect: int = 0, row: Timed | None = None) -> tuple[float, str]:
    cpu = children_cpu()
    started = time.perf_counter()
    proc = subprocess.run(args, cwd=cwd, capture_output=True, text=True, env=ENV)
    elapsed = time.perf_counter() - started
    if row is not None:
        row.times.append(elapsed)
        row.cpu.append(children_cpu() - cpu)
    if proc.returncode != expect:
        sys.exit(
            f"{' '.join(args[:4])} ...: exit {proc.returncode}, expected {expect}\n"
            f"{proc.stdout[-1500:]}\n{proc.stderr[-800:]}"
        )
    return elapsed, proc.stdout


def measure(rows: list[Timed], cwd: Path, runs: int) -> None:
    for row in rows:
        run(row.args, cwd, row.expect)  # warm-up: byte-code and file system caches
    for _ in range(runs):
        for row in rows:
            run(row.args, cwd, row.expect, row=row)


def synthesis_rows(tool: str, root: Path, n: int) -> tuple[list[Timed], int]:
    """Write a session of `n` features, bring it to SPECS_WRITTEN; the timed commands and the file count."""
    session = gen.synthesis_session(root, n)
    sid = ["--session", gen.SESSION, "--json"]
    for step in (["discover"], ["analyzed"], ["questions", "--yes"], ["answer", "--yes"], ["index"]):
        _, out = run([tool, "synthesis", *step, *sid], root)
        if json.loads(out)["status"] != "ok":
            sys.exit(f"synthesis {step[0]} did not succeed at {n} features:\n{out[-1500:]}")
    files = sorted(str(p.relative_to(root)) for p in session.rglob("*") if p.is_file())
    rows = [
        Timed("validate", [tool, "validate", "--skip-unknown", "--json", *files]),
        Timed("index", [tool, "synthesis", "index", *sid]),
        Timed("complexity", [tool, "synthesis", "complexity", *sid]),
        Timed("review-check", [tool, "synthesis", "review-check", *sid]),
    ]
    return rows, len(files)


def spec_driven_case(tool: str, root: Path, k: int, runs: int) -> tuple[list[Timed], int, int]:
    """A project whose specs change about `k` sections: `diff` timed in REFINING, `tasks` and
    `validate` in IMPLEMENTING; returns the rows, the changed sections and the session's files."""
    specs = gen.spec_driven_project(root, k)
    init = ["init", "Retry budgets", "--feature", "retry-budgets", "--skip-alignment", "--json"]
    label = json.loads(run([tool, "spec-driven", *init], root)[1])["session"]
    sess = ["--session", label, "--json"]
    (root / label / "proposal.md").write_text(gen.proposal(specs), encoding="utf-8")
    for step in (["proposal"], ["proposal", "--confirm"], ["start-update"]):
        run([tool, "spec-driven", *step, *sess], root)
    gen.update_specs(root, k)
    _, out = run([tool, "spec-driven", "diff", *sess], root)
    changed = sum(len(v) for v in json.loads(out)["sections"].values())
    refining = [Timed("diff", [tool, "spec-driven", "diff", *sess])]
    measure(refining, root, runs)
    for spec in specs:  # REFINING -> ALIGNING: one converged round per spec
        args = ["refine-round", "--spec", spec, "--found", "0", "--resolved", "0", "--open-critical", "0"]
        run([tool, "spec-driven", *args, *sess], root)
    run([tool, "spec-driven", "align-check", *sess], root)  # skipped: -> IMPLEMENTING
    files = sorted(str(p.relative_to(root)) for p in (root / label).rglob("*") if p.is_file())
    implementing = [
        Timed("tasks", [tool, "spec-driven", "tasks", *sess]),
        Timed("validate", [tool, "validate", "--skip-unknown", "--json", *files]),
    ]
    measure(implementing, root, runs)
    return refining + implementing, changed, len(files)


def trace_case(tool: str, root: Path, n: int, runs: int) -> list[Timed]:
    """A repository of `n` committed sessions: `trace` of a section and of a file, and `drift`
    (which finds the commits made outside the sessions, hence exit 1)."""
    section, code_file = gen.traced_repository(root, n)
    rows = [
        Timed("trace section", [tool, "trace", section, "--json"]),
        Timed("trace file", [tool, "trace", code_file, "--json"]),
        Timed("drift", [tool, "drift", "--json"], expect=1),
    ]
    measure(rows, root, runs)
    return rows


def fmt_ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f}"


def growth(sizes: list[int], medians: dict[int, float]) -> list[str]:
    """'x' ratios of the time at each size to the time at the previous one."""
    return [f"{medians[b] / medians[a]:.2f}x" for a, b in itertools.pairwise(sizes)]


def print_table(
    title: str, unit: str, sizes: list[int], counts: dict[int, str], results: dict[int, list[Timed]]
) -> dict[str, dict[int, float]]:
    """Print one table; returns each command's median wall time per size."""
    names = [row.name for row in results[sizes[0]]]
    rows = {name: {n: next(r for r in results[n] if r.name == name) for n in sizes} for name in names}
    print(f"\n{title}")
    print(f"{unit:>9} {'files':>6} " + " ".join(f"{name:>21}" for name in names))
    for n in sizes:
        cells = []
        for name in names:
            row = rows[name][n]
            cpu = statistics.median(row.cpu)
            cells.append(f"{fmt_ms(row.median):>6} ({fmt_ms(cpu):>5}) {row.median * 1000 / n:>5.1f}")
        print(f"{n:>9} {counts[n]:>6} " + " ".join(cells))
    medians = {name: {n: rows[name][n].median for n in sizes} for name in names}
    if len(sizes) > 1:
        steps = ", ".join(f"{b / a:.3g}x" for a, b in itertools.pairwise(sizes))
        print(f"growth of the wall time between sizes ({steps} more {unit}):")
        for name in names:
            print(f"  {name:<14} " + "  ".join(growth(sizes, medians[name])))
    return medians


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def print_targets(synth: dict[str, dict[int, float]], traced: dict[str, dict[int, float]]) -> None:
    print("\ntargets")
    for name, medians in traced.items():
        if 200 in medians:
            t, limit = medians[200], TARGET_TRACE_200_S
            print(f"  {name}, 200 sessions <= {limit:g} s: {t:.2f} s {verdict(t <= limit)}")
    some = synth["validate"]
    if 200 in some:
        t, limit = some[200], TARGET_VALIDATE_200_S
        print(f"  validate, 200 features <= {limit:g} s: {t:.2f} s {verdict(t <= limit)}")
    if 200 not in some or 1000 not in some:
        print("  (the growth target needs the sizes 200 and 1000)")
        return
    for name, medians in synth.items():
        ratio = medians[1000] / medians[200]
        ok = verdict(ratio <= TARGET_GROWTH)
        print(f"  {name}, 1000/200 features <= {TARGET_GROWTH:g}x: {ratio:.2f}x {ok}")


def sizes_of(text: str) -> list[int]:
    return sorted({int(x) for x in text.split(",") if x.strip()})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="10,50,200,1000", help="features of the synthesis sessions")
    parser.add_argument("--sections", default="10,50,200,500", help="changed sections (spec-driven)")
    parser.add_argument("--sessions", default="10,50,200", help="committed sessions (trace and drift)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per command (median; default 3)")
    parser.add_argument("--quick", action="store_true", help="the smallest sizes, one run (a smoke test)")
    args = parser.parse_args(argv)
    sizes, sections, runs = sizes_of(args.sizes), sizes_of(args.sections), args.runs
    sessions = sizes_of(args.sessions)
    if args.quick:
        sizes, sections, sessions, runs = sizes[:1], sections[:1], sessions[:1], 1
    tool = specrail_script()
    with tempfile.TemporaryDirectory(prefix="specrail-scale-") as name:
        tmp = Path(name)
        base = [
            Timed("python -c pass", [sys.executable, "-c", "pass"]),
            Timed("specrail --version", [tool, "--version"]),
        ]
        measure(base, tmp, max(runs, 5))
        print(f"specrail: {tool} (Python {sys.version.split()[0]}, {os.cpu_count()} cores)")
        print(
            f"median of {runs} run(s); start-up: "
            + ", ".join(f"{r.name} {fmt_ms(r.median)} ms" for r in base)
        )
        results: dict[int, list[Timed]] = {}
        counts: dict[int, str] = {}
        for n in sizes:
            root = tmp / f"synthesis-{n}"
            rows, files = synthesis_rows(tool, root, n)
            measure(rows, root, runs)
            results[n], counts[n] = rows, str(files)
            shutil.rmtree(root)
        title = "synthesis: per command, wall ms (CPU ms) and wall ms per feature"
        synth = print_table(title, "features", sizes, counts, results)
        sd_results: dict[int, list[Timed]] = {}
        sd_counts: dict[int, str] = {}
        for k in sections:
            root = tmp / f"spec-driven-{k}"
            rows, changed, files = spec_driven_case(tool, root, k, runs)
            sd_results[changed], sd_counts[changed] = rows, str(files)
            shutil.rmtree(root)
        title = "spec-driven: per command, wall ms (CPU ms) and wall ms per changed section"
        print_table(title, "sections", sorted(sd_results), sd_counts, sd_results)
        tr_results: dict[int, list[Timed]] = {}
        tr_counts: dict[int, str] = {}
        for n in sessions:
            root = tmp / f"traced-{n}"
            tr_results[n] = trace_case(tool, root, n, runs)
            tr_counts[n] = str(2 * n)  # each session's record and diff record
            shutil.rmtree(root)
        title = "trace and drift: per command, wall ms (CPU ms) and wall ms per committed session"
        traced = print_table(title, "sessions", sessions, tr_counts, tr_results)
    print_targets(synth, traced)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
