"""Latency of the PreToolUse and PostToolUse hooks, beside a bare interpreter start and peer validators.

    python benchmarks/hook_latency.py [--runs N] [--data DIR]

Runs each command N times (interleaved, so load changes hit every row alike) and prints the
median and the minimum wall time, and their ratios to `python -c pass` started with the very
interpreter the hook uses: the venv that the SessionStart bootstrap builds in the plugin's data
folder (`--data`, built there first if needed). The hooks run exactly as the client runs them:
`/bin/sh -c` with the command of hooks/hooks.json, the payload on stdin. PreToolUse validates the
content a Write or an Edit would leave (and denies an invalid one); PostToolUse checks the file.
Targets: a file outside a workflow tree <= 1.0x, an artifact <= 4x. The first run builds the venv (once).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

from specrail import bootstrap  # noqa: E402

SESSION = "WFS-bench"
TS = "2026-11-20T09:00:00Z"


@dataclass
class Case:
    name: str
    args: list[str]
    stdin: bytes = b""
    expect: int = 0
    says: str | None = None  # a hook's stdout: "" when silent, else a string it must hold
    times: list[float] = field(default_factory=list)


def feature_index(valid: bool) -> dict[str, object]:
    features = [
        {
            "id": f"F-00{i}",
            "slug": slug,
            "name": slug.replace("-", " ").capitalize(),
            "priority": "High",
            "spec_path": f"feature-specs/F-00{i}-{slug}.md",
            "contributing_roles": ["system-architect", "ux-expert"],
            "cross_cutting_refs": [],
        }
        for i, slug in enumerate(("offline-sync", "sharing", "search"), start=1)
    ]
    data: dict[str, object] = {
        "version": "1.0",
        "generated_at": TS,
        "session_id": SESSION,
        "feature_mode": True,
        "features": features,
        "cross_cutting_specs": [],
    }
    if not valid:
        features[0]["id"] = "F1"
        del features[1]["slug"]
        data["generated_at"] = "yesterday"
    return data


def hook_command(event: str) -> str:
    hooks = json.loads((ROOT / "hooks" / "hooks.json").read_text(encoding="utf-8"))
    return str(hooks["hooks"][event][0]["hooks"][0]["command"])


def payload(event: str, cwd: Path, file: Path, edit: dict[str, str] | None = None) -> bytes:
    """A Write (or, given `edit`, an Edit) payload shaped like the client's (see tests/hooks/fixtures)."""
    tool_input = edit or {"content": file.read_text(encoding="utf-8")}
    body: dict[str, object] = {
        "session_id": "00000000-0000-0000-0000-000000000000",
        "transcript_path": str(cwd / "transcript.jsonl"),
        "cwd": str(cwd),
        "permission_mode": "acceptEdits",
        "hook_event_name": event,
        "tool_name": "Edit" if edit else "Write",
        "tool_input": {"file_path": str(file), **tool_input},
        "tool_use_id": "toolu_bench",
    }
    if event == "PostToolUse":
        body["tool_response"] = {
            "type": "create",
            "filePath": str(file),
            "content": "",
            "structuredPatch": [],
        }
    return json.dumps(body).encode()


def workspace(tmp: Path) -> dict[str, Path]:
    """Two workflow trees (a valid feature index, an invalid one) and a file outside both."""
    files = {}
    for key, session, valid in (("valid", SESSION, True), ("invalid", SESSION + "-drafts", False)):
        brainstorm = tmp / ".workflow" / "active" / session / ".brainstorming"
        (brainstorm / "feature-specs").mkdir(parents=True)
        (brainstorm.parent / "workflow-session.json").write_text("{}\n", encoding="utf-8")
        for feature in feature_index(True)["features"]:  # type: ignore[attr-defined]
            (brainstorm / feature["spec_path"]).write_text("# spec\n", encoding="utf-8")
        files[key] = brainstorm / "feature-index.json"
        files[key].write_text(json.dumps(feature_index(valid), indent=2), encoding="utf-8")
    files["notes"] = tmp / "notes.md"
    files["notes"].write_text("# Notes\n", encoding="utf-8")
    return files


def peer_check_jsonschema() -> str | None:
    """check-jsonschema's real script (never a version-manager shim)."""
    beside = Path(sys.executable).parent / "check-jsonschema"
    return str(beside) if beside.exists() else shutil.which("check-jsonschema")


def cases(python: str, tmp: Path, files: dict[str, Path]) -> list[Case]:
    pre, post = hook_command("PreToolUse"), hook_command("PostToolUse")
    rename = {"old_string": '"Sharing"', "new_string": '"Sharing links"'}
    schema = str(ROOT / "schemas" / "feature-index.schema.json")
    jsonschema_script = (
        "import json, sys, jsonschema\n"
        "schema = json.load(open(sys.argv[1]))\n"
        "errors = list(jsonschema.Draft202012Validator(schema).iter_errors(json.load(open(sys.argv[2]))))\n"
        "for e in errors: print(e.json_path, e.message)\n"
        "sys.exit(1 if errors else 0)\n"
    )
    out = [Case("python -c pass", [python, "-c", "pass"])]
    for name, command, stdin, says in (
        ("pre: outside a tree", pre, payload("PreToolUse", tmp, files["notes"]), ""),
        ("pre: valid Write", pre, payload("PreToolUse", tmp, files["valid"]), ""),
        ("pre: valid Edit", pre, payload("PreToolUse", tmp, files["valid"], rename), ""),
        ("pre: invalid Write, denied", pre, payload("PreToolUse", tmp, files["invalid"]), '"deny"'),
        ("post: outside a tree", post, payload("PostToolUse", tmp, files["notes"]), ""),
        ("post: valid", post, payload("PostToolUse", tmp, files["valid"]), ""),
        ("post: invalid, blocked", post, payload("PostToolUse", tmp, files["invalid"]), '"block"'),
    ):
        out.append(Case(name, ["/bin/sh", "-c", command], stdin, says=says))
    peer = peer_check_jsonschema()
    for key, code in (("valid", 0), ("invalid", 1)):
        if peer:
            out.append(
                Case(f"check-jsonschema: {key}", [peer, "--schemafile", schema, str(files[key])], expect=code)
            )
        out.append(
            Case(
                f"jsonschema process: {key}",
                [python, "-c", jsonschema_script, schema, str(files[key])],
                expect=code,
            )
        )
    return out


def run_once(case: Case, env: dict[str, str], cwd: Path) -> float:
    started = time.perf_counter()
    proc = subprocess.run(case.args, input=case.stdin, capture_output=True, env=env, cwd=cwd)
    elapsed = time.perf_counter() - started
    said = proc.stdout.decode()
    wrong = case.says is not None and (case.says not in said if case.says else said != "")
    if proc.returncode != case.expect or wrong:
        sys.exit(
            f"{case.name}: exit {proc.returncode}, stdout {said[-400:]!r}\n{proc.stderr.decode()[-800:]}"
        )
    return elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=30, help="runs per command (at least 20; default 30)")
    default_data = (
        Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "specrail" / "bench-plugin-data"
    )
    parser.add_argument("--data", type=Path, default=default_data, help="plugin data folder holding the venv")
    args = parser.parse_args(argv)
    if args.runs < 20:
        parser.error("--runs must be at least 20")
    data = str(args.data.resolve())
    if not bootstrap.up_to_date(data):
        print(f"building the plugin venv in {data} (once) ...", flush=True)
    outcome = bootstrap.ensure(str(ROOT), data)
    if not outcome.ready:
        sys.exit(f"cannot build the plugin venv: {outcome.message}")
    python = bootstrap.venv_python(data)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUDE")}
    env.update(CLAUDE_PLUGIN_ROOT=str(ROOT), CLAUDE_PLUGIN_DATA=data)
    with tempfile.TemporaryDirectory(prefix="specrail-bench-") as name:
        tmp = Path(name)
        rows = cases(python, tmp, workspace(tmp))
        for case in rows:
            run_once(case, env, tmp)  # warm-up: byte-code caches, file system caches
        for _ in range(args.runs):
            for case in rows:
                case.times.append(run_once(case, env, tmp))
    base_median = statistics.median(rows[0].times)
    base_min = min(rows[0].times)
    print(f"interpreter: {python} (Python {sys.version.split()[0]}), {args.runs} runs each")
    print(f"{'command':<30} {'median ms':>10} {'min ms':>8} {'x median':>9} {'x min':>7}")
    for case in rows:
        med, low = statistics.median(case.times), min(case.times)
        ratios = f"{med / base_median:>8.2f}x {low / base_min:>6.2f}x"
        print(f"{case.name:<30} {med * 1000:>10.1f} {low * 1000:>8.1f} {ratios}")
    print("targets: a hook outside a workflow tree <= 1.0x, on an artifact <= 4x (ratios to python -c pass)")
    print("an invalid artifact: its full error list comes from jsonschema, imported only then")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
