"""The decomposition table read under its usual column names in each language, and the feature
index carrying each feature's description."""

from __future__ import annotations

import json

import pytest

from tests.support.synthesis import Synth, advance
from tests.synthesis.builders import Project


def _table(project: Project, header: str, rows: list[str]) -> None:
    text = (project.bdir / "guidance-specification.md").read_text(encoding="utf-8")
    cut = text.index("## Feature Decomposition")
    body = "\n".join([header, "|" + "---|" * (header.count("|") - 1), *rows])
    project.write("guidance-specification.md", text[:cut] + "## Feature Decomposition\n\n" + body + "\n")


@pytest.mark.parametrize(
    "roles_header",
    [
        "Roles",
        "Related Roles",
        "Contributing Roles",
        "Participating Roles",
        "相关角色",
        "贡献角色",
        "関連ロール",
        "Rollen",
    ],
)
def test_the_role_column_is_read_under_its_usual_names(
    synth: Synth, project: Project, roles_header: str
) -> None:
    project.build()
    _table(
        project,
        f"| ID | Name | Description | {roles_header} | Priority |",
        [
            "| F-001 | Offline Sync | Edit notes without a network | alpha, beta | High |",
            "| F-002 | Sharing | Share a note with a link | beta | Medium |",
        ],
    )
    answer = synth(project.root, "discover", "--session", project.sid).json
    assert answer["status"] == "ok", answer
    assert [f["roles"] for f in answer["features"]] == [["alpha", "beta"], ["beta"]]


@pytest.mark.parametrize(
    ("header", "rows"),
    [
        (
            "| ID | 名前 | 説明 | 関連ロール | 優先度 |",
            [
                "| F-001 | Offline Sync | 電波がなくても編集できる | alpha、beta | 高 |",
                "| F-002 | Sharing | リンクで共有 | beta | 中 |",
            ],
        ),
        (
            "| ID | 이름 | 설명 | 관련 역할 | 우선순위 |",
            [
                "| F-001 | Offline Sync | 네트워크 없이 편집 | alpha, beta | High |",
                "| F-002 | Sharing | 링크로 공유 | beta | Low |",
            ],
        ),
    ],
)
def test_japanese_and_korean_headers_are_read(
    synth: Synth, project: Project, header: str, rows: list[str]
) -> None:
    project.build()
    _table(project, header, rows)
    answer = synth(project.root, "discover", "--session", project.sid).json
    assert answer["status"] == "ok", answer
    assert [(f["id"], f["slug"], f["roles"]) for f in answer["features"]] == [
        ("F-001", "offline-sync", ["alpha", "beta"]),
        ("F-002", "sharing", ["beta"]),
    ]
    assert answer["features"][0]["description"] in ("電波がなくても編集できる", "네트워크 없이 편집")


def test_the_index_carries_each_features_description(synth: Synth, project: Project) -> None:
    project.build()
    advance(synth, project.root, project.sid, "answer")
    project.write_specs()
    assert synth(project.root, "index", "--session", project.sid).json["status"] == "ok"
    index = json.loads((project.bdir / "feature-index.json").read_text(encoding="utf-8"))
    assert [(f["name"], f["description"]) for f in index["features"]] == [
        ("Offline Sync", "Offline Sync for teams"),
        ("Sharing", "Sharing for teams"),
    ]


def test_the_seeds_table_without_a_name_column_names_features_by_description(
    synth: Synth, project: Project
) -> None:
    project.build()
    _table(
        project,
        "| ID | Slug | Description | Roles | Priority |",
        [
            "| F-001 | offline-sync | Offline note editing | alpha, beta | High |",
            "| F-002 | sharing | Sharing | beta | Low |",
        ],
    )
    answer = synth(project.root, "discover", "--session", project.sid).json
    assert answer["status"] == "ok", answer
    assert [(f["name"], f["slug"]) for f in answer["features"]] == [
        ("Offline note editing", "offline-sync"),
        ("Sharing", "sharing"),
    ]
