"""What the plugin costs in the model's context: command bodies, agent definitions, resume context.

    python benchmarks/context_cost.py [--quick]

Sizes are UTF-8 bytes; tokens are approximated as bytes / 4 (a rough rule for English prose and
code, not a tokenizer count). For each command, the body the client sends when the user runs it
(front matter stripped, `$ARGUMENTS` and `$1`...`$9` replaced by a realistic argument line, the
`<command-message>` header the client puts before it counted in "as sent"); a `!`-backtick
context injection would be run on the example project and its output counted (there is none:
the body tells the model to run `specrail`). For each agent, the whole file, the system prompt the
subagent gets, and the description the main loop carries in every request. The SessionStart
context is what the real hook (`hooks/session_start.sh`, the command of hooks/hooks.json) prints
for the example sessions, with `specrail` already on PATH so that nothing is installed.

Compared with the seed documents each workflow was specified from (outside the repository, so
their sizes are constants here) and with peers measured on this kind of task.
Targets: every command body <= 6 KB after expansion, every agent file <= 6 KB, the agent
descriptions all together <= 2 KB, the SessionStart context <= 1 KB (KB = 1,024 bytes). A missed
target is printed as FAIL on its line and in the last line, and the exit code is 1.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
KB = 1024
COMMAND_LIMIT = 6 * KB
AGENT_LIMIT = 6 * KB
DESCRIPTIONS_LIMIT = 2 * KB
RESUME_LIMIT = 1 * KB
# The seed documents (not in the repository): sizes in bytes of the two specifications.
SEEDS = {"synthesis": 35_262, "spec-driven": 20_403}
PEERS = "peers: spec-kit command templates 7.4-22 KB each; OpenSpec Claude Code commands 10.5-19.8 KB each"
# The argument line a user would type, per command.
ARGUMENTS = {
    "synthesis": "--session WFS-team-notes -y",
    "spec-driven": '"Add tags to notes and let a notebook list the notes that carry a tag" '
    "--validation=standard --max-rounds 3",
    "spec-status": "specs/meta/sessions/note-tags_2026-01-20",
}
SEED_OF = {"synthesis": "synthesis", "spec-driven": "spec-driven", "spec-status": "spec-driven"}
INJECTION = re.compile(r"!`([^`\n]+)`")
FENCED_INJECTION = re.compile(r"^```!\n(.*?)^```", re.MULTILINE | re.DOTALL)


@dataclass
class Doc:
    path: Path
    meta: dict[str, object]
    body: str

    @property
    def name(self) -> str:
        return self.path.stem


def read(path: Path) -> Doc:
    """Front matter (YAML between `---` lines) and body."""
    text = path.read_text(encoding="utf-8")
    if text.startswith("---\n"):
        head, _, body = text[4:].partition("\n---\n")
        return Doc(path, yaml.safe_load(head) or {}, body)
    return Doc(path, {}, text)


def size(text: str) -> int:
    return len(text.encode("utf-8"))


def expand(body: str, arguments: str) -> str:
    """The body as the client sends it: `$ARGUMENTS`, then `$1`...`$9`, replaced."""
    words = shlex.split(arguments)
    body = body.replace("$ARGUMENTS", arguments)
    return re.sub(
        r"\$([1-9])", lambda m: words[int(m.group(1)) - 1] if int(m.group(1)) <= len(words) else "", body
    )


def injections(body: str, cwd: Path) -> tuple[list[str], int]:
    """The `!` commands of a body and the bytes of their output, run in `cwd`."""
    commands = INJECTION.findall(body) + FENCED_INJECTION.findall(body)
    total = 0
    for command in commands:
        proc = subprocess.run(["/bin/sh", "-c", command], cwd=cwd, capture_output=True, text=True, timeout=60)
        total += size(proc.stdout + proc.stderr)
    return commands, total


def verdict(value: int, limit: int) -> str:
    return "PASS" if value <= limit else "FAIL"


@dataclass
class Row:
    name: str  # the file, relative to the plugin root
    stem: str
    file: int  # bytes of the whole file
    body: int  # bytes of the body after expansion (commands) or of the system prompt (agents)
    description: int  # bytes of the front matter's description
    sent: int = 0  # commands: body plus the client's <command-message> header
    injections: tuple[str, ...] = ()
    agents: tuple[str, ...] = ()  # commands: the agents the body runs (`workflow:NAME`)


def command_rows(examples: Path) -> list[Row]:
    """One row per command: sizes after expansion, injections run on the example project."""
    rows = []
    for path in sorted((ROOT / "commands").glob("*.md")):
        doc = read(path)
        arguments = ARGUMENTS.get(doc.name, "")
        ran, output = injections(doc.body, examples)
        body = size(expand(doc.body, arguments)) + output
        header = (
            f"<command-message>workflow:{doc.name}</command-message>\n"
            f"<command-name>/workflow:{doc.name}</command-name>\n<command-args>{arguments}</command-args>"
        )
        agents = tuple(sorted(set(re.findall(r"`workflow:([a-z-]+)`", doc.body))))
        description = size(str(doc.meta.get("description", "")))
        file = size(path.read_text(encoding="utf-8"))
        rows.append(
            Row(
                f"commands/{path.name}",
                doc.name,
                file,
                body,
                description,
                body + size(header),
                tuple(ran),
                agents,
            )
        )
    return rows


def agent_rows() -> list[Row]:
    rows = []
    for path in sorted((ROOT / "agents").glob("*.md")):
        doc = read(path)
        description = size(str(doc.meta.get("description", "")))
        rows.append(
            Row(
                f"agents/{path.name}",
                doc.name,
                size(path.read_text(encoding="utf-8")),
                size(doc.body),
                description,
            )
        )
    return rows


def specrail(args: list[str], root: Path) -> None:
    tool = Path(sys.executable).parent / "specrail"
    command = [str(tool)] if tool.exists() else [sys.executable, "-m", "specrail"]
    proc = subprocess.run([*command, *args, "--root", str(root), "--json"], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.exit(
            f"specrail {' '.join(args)}: exit {proc.returncode}\n{proc.stdout[-800:]}{proc.stderr[-800:]}"
        )


def example_projects(tmp: Path, many: bool) -> list[tuple[str, Path]]:
    """Copies of the examples with an active session each (one step in), and optionally a project
    with 10 active sessions of each workflow."""
    synthesis = tmp / "synthesis"
    shutil.copytree(ROOT / "scripts" / "specrail" / "examples" / "synthesis", synthesis)
    specrail(["synthesis", "adopt", "--session", "WFS-team-notes"], synthesis)  # the shipped example
    specrail(["synthesis", "discover", "--session", "WFS-team-notes"], synthesis)
    project = tmp / "spec-driven"
    shutil.copytree(ROOT / "scripts" / "specrail" / "examples" / "spec-driven", project)
    specrail(["spec-driven", "init", "Add tags to notes", "--feature", "note-tags"], project)
    cases = [
        ("synthesis example, DISCOVERED", synthesis),
        ("spec-driven example, PENDING", project),
    ]
    if many:
        crowd = tmp / "crowd"
        active = crowd / ".workflow" / "active"
        sessions = crowd / "specs" / "meta" / "sessions"
        (sessions).mkdir(parents=True)
        original = next((project / "specs" / "meta" / "sessions").iterdir())
        for i in range(1, 11):
            target = active / f"WFS-team-notes-{i}"
            shutil.copytree(synthesis / ".workflow" / "active" / "WFS-team-notes", target)
            state = target / "workflow-session.json"
            data = json.loads(state.read_text(encoding="utf-8"))
            state.write_text(json.dumps({**data, "session_id": target.name}), encoding="utf-8")
            shutil.copytree(original, sessions / f"note-tags-{i}_2026-01-20")
        cases.append(("20 active sessions (10 per workflow)", crowd))
    return cases


def resume_context(cwd: Path, tmp: Path) -> str:
    """additionalContext of the real SessionStart hook run for a session started in `cwd`."""
    hooks = json.loads((ROOT / "hooks" / "hooks.json").read_text(encoding="utf-8"))
    command = hooks["hooks"]["SessionStart"][0]["hooks"][0]["command"]
    payload = {
        "session_id": "00000000-0000-0000-0000-000000000000",
        "transcript_path": str(tmp / "transcript.jsonl"),
        "cwd": str(cwd),
        "hook_event_name": "SessionStart",
        "source": "startup",
    }
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLAUDE")}
    env.update(
        CLAUDE_PLUGIN_ROOT=str(ROOT),
        CLAUDE_PLUGIN_DATA=str(tmp / "plugin-data"),
        CLAUDE_ENV_FILE=str(tmp / "env-file"),
        PATH=str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", ""),
    )
    proc = subprocess.run(
        ["/bin/sh", "-c", command], input=json.dumps(payload), cwd=cwd, env=env, capture_output=True,
        text=True, timeout=600,
    )  # fmt: skip
    answer = json.loads(proc.stdout) if proc.stdout.strip() else {}
    if answer.get("systemMessage"):
        sys.exit(f"the SessionStart hook reported: {answer['systemMessage']}")
    return str(answer.get("hookSpecificOutput", {}).get("additionalContext", ""))


def print_commands(rows: list[Row]) -> list[str]:
    head = f"{'file':>6} {'body':>6} {'sent':>6} {'~tokens':>7} {'of seed':>8}"
    print(f"\n{'command (after expansion)':<26} {head}  body <= 6 KB")
    failures = []
    for row in rows:
        seed = SEEDS[SEED_OF.get(row.stem, "synthesis")]
        ok = verdict(row.body, COMMAND_LIMIT)
        failures += [row.name] if ok == "FAIL" else []
        sizes = f"{row.file:>6,} {row.body:>6,} {row.sent:>6,} {row.sent // 4:>7,} {row.sent / seed:>8.0%}"
        print(f"{row.name:<26} {sizes}  {ok}")
    injected = [f"{r.name}: {', '.join(r.injections)}" for r in rows if r.injections]
    print("`!` context injections: " + ("; ".join(injected) or "none (the bodies run `specrail` instead)"))
    return failures


def print_agents(rows: list[Row]) -> list[str]:
    print(f"\n{'agent':<28} {'file':>6} {'prompt':>6} {'descr.':>6} {'~tokens':>7}  file <= 6 KB")
    failures = []
    for row in rows:
        ok = verdict(row.file, AGENT_LIMIT)
        failures += [row.name] if ok == "FAIL" else []
        print(f"{row.name:<28} {row.file:>6,} {row.body:>6,} {row.description:>6,} {row.file // 4:>7,}  {ok}")
    print("prompt: the subagent's system prompt; descr.: carried in every main-loop request (agent list)")
    return failures


def print_totals(commands: list[Row], agents: list[Row]) -> list[str]:
    prompt_of = {r.stem: r.body for r in agents}
    print("\nper workflow: the command as sent, plus the system prompt of each agent it runs")
    for row in commands:
        if row.agents:
            total = row.sent + sum(prompt_of.get(a, 0) for a in row.agents)
            seed = SEEDS[SEED_OF[row.stem]]
            print(
                f"  /workflow:{row.stem}: {total:,} bytes (~{total // 4:,} tokens), "
                f"{total / seed:.0%} of its seed's {seed:,} ({', '.join(row.agents)})"
            )
    listing = sum(r.description for r in [*commands, *agents])
    print(
        f"  every request of a session with the plugin: {listing:,} bytes of command and agent descriptions"
    )
    described = sum(r.description for r in agents)
    ok = verdict(described, DESCRIPTIONS_LIMIT)
    print(f"  agent descriptions, all together: {described:,} bytes (<= 2 KB)  {ok}")
    return ["agent descriptions, all together"] if ok == "FAIL" else []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="leave out the 20-session resume case")
    args = parser.parse_args(argv)
    failures: list[str] = []
    print("sizes in bytes; ~tokens = bytes / 4 (an approximation); KB = 1,024 bytes")
    print(f"seeds: synthesis {SEEDS['synthesis']:,} bytes, spec-driven {SEEDS['spec-driven']:,} bytes")
    print(PEERS)
    with tempfile.TemporaryDirectory(prefix="specrail-context-") as name:
        tmp = Path(name)
        projects = example_projects(tmp, many=not args.quick)
        commands = command_rows(projects[1][1])
        agents = agent_rows()
        failures += print_commands(commands)
        failures += print_agents(agents)
        failures += print_totals(commands, agents)
        print(f"\n{'SessionStart resume context':<40} {'bytes':>6} {'~tokens':>7}  <= 1 KB")
        shown = ""
        for label, cwd in projects:
            context = resume_context(cwd, tmp)
            ok = verdict(size(context), RESUME_LIMIT)
            failures += [f"SessionStart: {label}"] if ok == "FAIL" else []
            print(f"{label:<40} {size(context):>6,} {size(context) // 4:>7,}  {ok}")
            shown = shown or context
        print("the first context, as the model reads it:\n  " + shown.replace("\n", "\n  "))
    print("\ntargets: " + ("all PASS" if not failures else "FAIL: " + ", ".join(failures)))
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())
