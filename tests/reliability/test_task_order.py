"""Task ordering (`specrail.spec_driven.tasks`): every dependency respected, every cycle reported.

Random graphs are checked against the standard library's `graphlib` as the oracle for "has a cycle".
"""

from __future__ import annotations

import graphlib
import itertools
import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from specrail.errors import InvalidInput
from specrail.spec_driven.tasks import order
from specrail.validation.check import check_file
from tests.core.samples import spec_driven_session
from tests.support.properties import examples

COUNTS: Counter[str] = Counter()
SETTINGS = settings(max_examples=examples(300), deadline=None, suppress_health_check=[HealthCheck.too_slow])
Graph = tuple[list[str], dict[str, set[str]]]


@st.composite
def graphs(draw: st.DrawFn, acyclic: bool) -> Graph:
    """Task ids in a shuffled order and, for each, the tasks it depends on."""
    size = draw(st.integers(1, 30))
    ids = draw(st.permutations([f"T-{n:03d}" for n in range(1, size + 1)]))
    rank = {task: n for n, task in enumerate(draw(st.permutations(ids)))}
    edges: dict[str, set[str]] = {task: set() for task in ids}
    pairs = st.tuples(st.sampled_from(ids), st.sampled_from(ids))
    for task, dep in draw(st.lists(pairs, max_size=3 * size)):
        if acyclic and rank[dep] >= rank[task]:
            task, dep = dep, task  # point every edge down the hidden ranking
        if task != dep or not acyclic:
            edges[task].add(dep)
    return list(ids), edges


def cycle_of(error: InvalidInput) -> list[str]:
    head, _, path = error.message.partition(": ")
    assert head == "task dependencies form a cycle", error.message
    return path.split(" -> ")


def has_cycle(ids: list[str], edges: dict[str, set[str]]) -> bool:
    try:
        graphlib.TopologicalSorter({t: edges[t] for t in ids}).prepare()
    except graphlib.CycleError:
        return True
    return False


def test_every_dependency_comes_first_in_random_dags() -> None:
    @SETTINGS
    @given(graphs(acyclic=True))
    def run(graph: Graph) -> None:
        ids, edges = graph
        ordered = order(ids, edges)
        assert sorted(ordered) == sorted(ids)
        position = {task: n for n, task in enumerate(ordered)}
        for task in ids:
            for dep in edges[task]:
                assert position[dep] < position[task], f"{task} runs before its dependency {dep}"
        # Stable: each step takes the earliest ready task in the given order.
        done: set[str] = set()
        for task in ordered:
            ready = [t for t in ids if t not in done and edges[t] <= done]
            assert task == ready[0]
            done.add(task)
        COUNTS["dags"] += 1
        COUNTS["dag edges"] += sum(map(len, edges.values()))

    run()
    print(f"\ntask order: {COUNTS['dags']} random DAGs, {COUNTS['dag edges']} dependencies, all respected")


def test_every_cycle_is_reported_until_none_is_left() -> None:
    @SETTINGS
    @given(graphs(acyclic=False))
    def run(graph: Graph) -> None:
        ids, edges = graph
        edges = {task: set(deps) for task, deps in edges.items()}
        rounds = 0
        while has_cycle(ids, edges):
            with pytest.raises(InvalidInput) as refused:
                order(ids, edges)
            cycle = cycle_of(refused.value)
            assert len(cycle) >= 2 and cycle[0] == cycle[-1], cycle
            for task, dep in itertools.pairwise(cycle):
                assert dep in edges[task], f"reported {task} -> {dep}, which is not a dependency"
            edges[cycle[0]].discard(cycle[1])  # break this cycle; the next one must be reported too
            rounds += 1
            COUNTS["cycles"] += 1
        assert rounds <= sum(map(len, graph[1].values()))
        order(ids, edges)  # no cycle left: the order exists
        COUNTS["graphs"] += 1

    run()
    print(f"\ntask order: {COUNTS['graphs']} random graphs, {COUNTS['cycles']} cycles reported and broken")
    assert COUNTS["cycles"] > 100


def test_an_unknown_dependency_is_named() -> None:
    with pytest.raises(InvalidInput, match="unknown task T-009"):
        order(["T-001"], {"T-001": {"T-009"}})


def test_a_cycle_through_thousands_of_tasks_is_named() -> None:
    ids = [f"T-{n:04d}" for n in range(1, 3001)]
    edges = {task: {ids[n - 1]} for n, task in enumerate(ids) if n}
    assert order(ids, edges)[-1] == ids[-1]  # a long chain orders fine
    edges[ids[0]] = {ids[-1]}
    with pytest.raises(InvalidInput) as refused:
        order(ids, edges)
    assert len(cycle_of(refused.value)) == 3001


def test_the_validator_reports_a_cycle_in_a_session_file(tmp_path: Path) -> None:
    def task(tid: str, deps: list[str]) -> dict[str, object]:
        return {
            "id": tid,
            "title": "Add the journal",
            "action": "implement",
            "spec": "specs/notes.md",
            "section": "3.2",
            "spec_ref": "specs/notes.md 3.2",
            "affected_files": ["notes/core.py"],
            "depends_on": deps,
        }

    session = spec_driven_session()
    session["tasks"] = [task("T-001", ["T-003"]), task("T-002", ["T-001"]), task("T-003", ["T-002"])]
    path = tmp_path / "workflow-session.json"
    path.write_text(json.dumps(session))
    result = check_file(path)
    assert [(i.location, i.message) for i in result.errors] == [
        ("/tasks/0/depends_on", "task dependencies form a cycle: T-001 -> T-003 -> T-002 -> T-001")
    ]
