"""The checked-in schemas and compiled validators are exactly what the models generate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from specrail.schema_export import MODEL_BY_KIND, export, package_validators_dir
from tests.support.cli import REPO, run_cli


def test_schemas_and_validators_match_the_models(tmp_path: Path) -> None:
    export(tmp_path / "schemas", tmp_path / "validators")
    for generated in sorted((tmp_path / "schemas").iterdir()):
        checked_in = REPO / "schemas" / generated.name
        assert checked_in.read_text() == generated.read_text(), (
            f"{checked_in.name} is stale: run `specrail schema export schemas --validators`"
        )
    for generated in sorted((tmp_path / "validators").iterdir()):
        checked_in = package_validators_dir() / generated.name
        assert checked_in.read_text() == generated.read_text(), f"{generated.name} is stale"
    assert sorted(p.name for p in (REPO / "schemas").iterdir()) == sorted(
        p.name for p in (tmp_path / "schemas").iterdir()
    )


@pytest.mark.parametrize("kind", sorted(MODEL_BY_KIND))
def test_each_schema_is_draft_2020_12_with_id(kind: str) -> None:
    schema = json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text())
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"] == f"https://specrail.dev/schemas/{kind}.schema.json"
    Draft202012Validator.check_schema(schema)


def test_schema_cli_lists_shows_and_exports(tmp_path: Path) -> None:
    listed = run_cli("schema", "list", "--json").json
    assert {k["kind"] for k in listed["kinds"]} == set(MODEL_BY_KIND)
    shown = json.loads(run_cli("schema", "show", "feature-index").out)
    assert shown["$id"].endswith("feature-index.schema.json")
    assert run_cli("schema", "show", "nope").code == 2
    out = tmp_path / "out"
    assert run_cli("schema", "export", str(out)).code == 0
    assert len(list(out.glob("*.schema.json"))) == len(MODEL_BY_KIND)
