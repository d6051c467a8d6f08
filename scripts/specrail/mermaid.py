"""Mermaid diagrams that GitHub renders, and a strict check of the subset they use (stdlib only).

Three pictures: a workflow's state machine with the current state and the path taken, a task
dependency graph, and a feature dependency graph from cross references.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from specrail import states

_STATE_STYLES = (
    "    classDef current fill:#ffd33d,stroke:#24292f,stroke-width:3px,color:#24292f",
    "    classDef visited fill:#ddf4ff,stroke:#0969da,color:#24292f",
    "    classDef failure fill:#ffebe9,stroke:#cf222e,color:#24292f",
)
_ERROR_STATES = {"STALLED", "BLOCKED", "ABORTED"}


def _label(text: str, limit: int = 60) -> str:
    """Text safe inside a quoted Mermaid label."""
    clean = " ".join(text.split())
    clean = clean.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


def _node(identifier: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "", identifier)


def state_diagram(workflow: str, current: str, history: Sequence[Mapping[str, Any]]) -> str:
    """`stateDiagram-v2` of `workflow`: taken edges labelled by step number, current state highlighted."""
    machine = states.MACHINES[workflow]
    taken: dict[tuple[str, str], list[int]] = {}
    for number, step in enumerate(history, start=1):
        taken.setdefault((step["from"], step["to"]), []).append(number)
    lines = [
        "stateDiagram-v2",
        "    direction LR",
        "    %% any unfinished state may also go to ABORTED (drawn only when taken)",
        f"    [*] --> {next(iter(machine))}",
    ]
    for source, targets in machine.items():
        for target in targets:
            if (source == target or target == "ABORTED") and (source, target) not in taken:
                continue  # self-loops and the abort edge of every state only when taken
            steps = taken.get((source, target))
            suffix = f" : step {', '.join(map(str, steps))}" if steps else ""
            lines.append(f"    {source} --> {target}{suffix}")
    for terminal in ("COMPLETE",):
        if terminal in machine:
            lines.append(f"    {terminal} --> [*]")
    lines += _STATE_STYLES
    visited = sorted({s["from"] for s in history} | {s["to"] for s in history} - {current})
    failures = [s for s in visited if s in _ERROR_STATES]
    plain = [s for s in visited if s not in _ERROR_STATES]
    if plain:
        lines.append(f"    class {','.join(plain)} visited")
    if failures:
        lines.append(f"    class {','.join(failures)} failure")
    lines.append(f"    class {current} current")
    return "\n".join(lines)


def task_graph(tasks: Iterable[Mapping[str, Any]]) -> str:
    """`flowchart TD` of tasks: an edge from each dependency to the task that needs it."""
    lines = ["flowchart TD"]
    edges = []
    status_class: dict[str, list[str]] = {}
    for task in tasks:
        node = _node(task["id"])
        text = f"{task['id']} {task.get('action', '')}: {task['title']}"
        lines.append(f'    {node}["{_label(text)}"]')
        status_class.setdefault(task.get("status", "pending"), []).append(node)
        edges += [f"    {_node(dep)} --> {node}" for dep in task.get("depends_on", [])]
    lines += edges
    lines += [
        "    classDef done fill:#dafbe1,stroke:#1a7f37,color:#24292f",
        "    classDef failed fill:#ffebe9,stroke:#cf222e,color:#24292f",
        "    classDef pending fill:#f6f8fa,stroke:#57606a,color:#24292f",
    ]
    for status, nodes in sorted(status_class.items()):
        style = status if status in ("done", "failed") else "pending"
        lines.append(f"    class {','.join(nodes)} {style}")
    return "\n".join(lines)


FEATURE_REF = re.compile(r"\bF-[0-9]{3,}\b")


def feature_graph(names: Mapping[str, str], cross_refs: Mapping[str, Iterable[str]]) -> str:
    """`flowchart LR` of features: an edge F-a --> F-b when F-a's cross references name F-b."""
    lines = ["flowchart LR"]
    for fid, name in names.items():
        lines.append(f'    {_node(fid)}["{_label(fid + " " + name)}"]')
    seen: set[tuple[str, str]] = set()
    for fid, refs in cross_refs.items():
        for ref in refs:
            for target in FEATURE_REF.findall(ref):
                if target != fid and target in names and (fid, target) not in seen:
                    seen.add((fid, target))
                    lines.append(f"    {_node(fid)} --> {_node(target)}")
    return "\n".join(lines)


def fenced(diagram: str) -> str:
    return f"```mermaid\n{diagram}\n```"


# --- the strict check ---------------------------------------------------------------------

_ID = r"[A-Za-z_][A-Za-z0-9_]*"
_LABEL = r'"[^"\n]*"'
_STATE_LINE = [
    re.compile(r"^direction (LR|RL|TB|BT)$"),
    re.compile(rf"^(\[\*\]|{_ID}) --> (\[\*\]|{_ID})(?: : [^\n:]+)?$"),
    re.compile(rf"^classDef {_ID} [a-z-]+:[^\s,;]+(?:,[a-z-]+:[^\s,;]+)*$"),
    re.compile(rf"^class {_ID}(?:,{_ID})* {_ID}$"),
    re.compile(rf"^{_ID} : [^\n]+$"),
]
_FLOW_LINE = [
    re.compile(rf"^{_ID}\[{_LABEL}\]$"),
    re.compile(rf"^{_ID} --> {_ID}$"),
    re.compile(rf"^classDef {_ID} [a-z-]+:[^\s,;]+(?:,[a-z-]+:[^\s,;]+)*$"),
    re.compile(rf"^class {_ID}(?:,{_ID})* {_ID}$"),
]


def lint(diagram: str) -> list[str]:
    """Problems of a diagram in the subset above; [] when it is well formed."""
    stripped = (ln.strip() for ln in diagram.strip().splitlines())
    lines = [ln for ln in stripped if ln and not ln.startswith("%%")]
    if not lines:
        return ["empty diagram"]
    header, body = lines[0], lines[1:]
    if header == "stateDiagram-v2":
        grammar = _STATE_LINE
    elif re.fullmatch(r"flowchart (TD|TB|LR|RL|BT)", header):
        grammar = _FLOW_LINE
    else:
        return [f"line 1: unsupported diagram header {header!r}"]
    problems = []
    declared: set[str] = set()
    classes: set[str] = set()
    for number, line in enumerate(body, start=2):
        if not any(rule.match(line) for rule in grammar):
            problems.append(f"line {number}: cannot parse {line!r}")
            continue
        if line.startswith("classDef "):
            classes.add(line.split()[1])
        elif line.startswith("class "):
            _, nodes, style = line.split()
            if style not in classes:
                problems.append(f"line {number}: class {style!r} used before classDef")
            problems += [f"line {number}: unknown node {n!r}" for n in nodes.split(",") if n not in declared]
        else:
            declared.update(re.findall(_ID, re.sub(_LABEL, "", line.split(" : ")[0])))
    return problems


def blocks(markdown: str) -> list[str]:
    """The bodies of the ```mermaid blocks of a Markdown text."""
    return re.findall(r"^```mermaid\n(.*?)^```", markdown, flags=re.MULTILINE | re.DOTALL)


def trace_graph(entries: Iterable[Mapping[str, Any]]) -> str:
    """`flowchart LR` of `specrail trace`: section -> session -> task -> file, and session -> commit."""
    lines = ["flowchart LR"]
    nodes: dict[str, str] = {}
    edges: list[str] = []

    def node(key: str, text: str) -> str:
        if key not in nodes:
            nodes[key] = f"n{len(nodes)}"
            lines.append(f'    {nodes[key]}["{_label(text)}"]')
        return nodes[key]

    def edge(a: str, b: str) -> None:
        line = f"    {a} --> {b}"
        if line not in edges:
            edges.append(line)

    for e in entries:
        section = node(f"s:{e['spec']}#{e['section']}", e["label"])
        before, after = e["version_before"], e["version_after"]
        versions = f", v{before or '-'} → v{after or '-'}" if before or after else ""  # unversioned specs
        session = node(f"x:{e['session']}", f"{e['session'].rsplit('/', 1)[-1]} ({e['change']}{versions})")
        edge(section, session)
        for task in e["tasks"]:
            t = node(f"t:{e['session']}:{task['id']}", f"{task['id']} {task['status']}: {task['title']}")
            edge(session, t)
            for path in task["files"]:
                edge(t, node(f"f:{path}", path))
        for commit in e["commits"]:
            edge(session, node(f"c:{commit['commit']}", f"{commit['short']} {commit['subject']}"))
    return "\n".join(lines + edges)
