"""Property tests: models round-trip through JSON, and the schema validators agree with pydantic.

Instances are built from the exported schemas (`schema_strategies.py`), half of them mutated the
way careless or hostile writers do; each is judged three ways: jsonschema with `schemas/KIND.schema.json`,
the compiled validator in `specrail._validators`, and the pydantic model. All three must agree.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError

from specrail.schema_export import MODEL_BY_KIND
from specrail.validation.check import compiled
from tests.reliability.schema_strategies import from_schema, mutated
from tests.reliability.support import REPO
from tests.support.properties import examples

EXAMPLES = examples(300)
COUNTS: Counter[str] = Counter()
KINDS = list(MODEL_BY_KIND)
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)


@cache
def exported(kind: str) -> dict[str, Any]:
    return json.loads((REPO / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))


@cache
def full_validator(kind: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(exported(kind))


@cache
def adapter(kind: str) -> TypeAdapter[Any]:
    return TypeAdapter(MODEL_BY_KIND[kind])


def instances(kind: str) -> st.SearchStrategy[Any]:
    schema = exported(kind)
    base = from_schema(schema, schema)
    return st.one_of(base, mutated(base))


def verdicts(kind: str, data: Any) -> tuple[bool, bool, bool]:
    """(jsonschema, compiled validator, pydantic): is `data` a valid `kind`?"""
    by_jsonschema = full_validator(kind).is_valid(data)
    module = compiled(kind)
    try:
        module.validate(data)
        by_compiled = True
    except module.JsonSchemaValueException:
        by_compiled = False
    try:
        adapter(kind).validate_python(data)
        by_pydantic = True
    except ValidationError:
        by_pydantic = False
    return by_jsonschema, by_compiled, by_pydantic


def as_json(data: Any) -> Any:
    """`data` as a file would hold it (JSON has no tuples, NaN is refused by our parser)."""
    return json.loads(json.dumps(data, allow_nan=False))


# Values that once split the validators: an integral float, 1 for true, a trailing newline.
TRICKY: dict[str, list[Any]] = {
    # A path that ends in a newline: Python's `$` would let it through where the compiled validator does not.
    "context-package": [{"metadata": None, "review_report_path": "0\n"}],
    "feature-index": [
        {
            "version": "1.0",
            "generated_at": "2026-11-20T09:00:00Z",
            "session_id": "WFS-a",
            "feature_mode": 1,
            "features": [],
            "cross_cutting_specs": [],
        },
        {
            "version": "1.0",
            "generated_at": "2026-11-20T09:00:00Z",
            "session_id": "WFS-a\n",
            "feature_mode": True,
            "features": [],
            "cross_cutting_specs": [],
        },
    ],
    "workflow-session": [
        {
            "schema_version": 1,
            "workflow": "synthesis",
            "session_id": "WFS-a",
            "state": "PENDING",
            "created_at": "2026-11-20T09:00:00Z",
            "updated_at": "2026-11-20T09:00:00Z",
            "history": [],
            "complexity_score": 3.0,
        },
        {
            "schema_version": True,
            "workflow": "synthesis",
            "session_id": "WFS-a",
            "state": "PENDING",
            "created_at": "2026-11-20T09:00:00Z",
            "updated_at": "2026-11-20T09:00:00Z",
            "history": [],
        },
        # A language tag the model once rewrote (zh-CN as zh) where the schema listed only en and zh.
        {
            "schema_version": 1,
            "workflow": "synthesis",
            "session_id": "WFS-a",
            "state": "PENDING",
            "created_at": "2026-11-20T09:00:00Z",
            "updated_at": "2026-11-20T09:00:00Z",
            "history": [],
            "language": "zh-CN",
        },
    ],
}


@pytest.mark.parametrize("kind", KINDS)
def test_schema_validators_agree_with_the_model(kind: str) -> None:
    @SETTINGS
    @given(instances(kind))
    def check(data: Any) -> None:
        data = as_json(data)
        found = verdicts(kind, data)
        COUNTS[f"{kind} {'valid' if all(found) else 'invalid'}"] += 1
        assert len(set(found)) == 1, f"jsonschema, compiled, pydantic = {found} for {json.dumps(data)[:500]}"

    for tricky in TRICKY.get(kind, []):
        check = example(tricky)(check)
    check()
    valid, invalid = COUNTS[f"{kind} valid"], COUNTS[f"{kind} invalid"]
    print(f"{kind}: {valid} valid and {invalid} invalid examples, all three validators agreed")
    assert valid >= 20 and invalid >= 20, f"{kind}: {valid} valid, {invalid} invalid examples; too one-sided"


@pytest.mark.parametrize("kind", KINDS)
def test_models_round_trip_through_json(kind: str) -> None:
    schema = exported(kind)

    @SETTINGS
    @given(from_schema(schema, schema))
    def check(data: Any) -> None:
        try:
            model = adapter(kind).validate_python(as_json(data))
        except ValidationError:
            COUNTS[f"{kind} round-trip skipped"] += 1
            return
        if isinstance(model, BaseModel):
            dumped = model.model_dump_json(by_alias=True)
            again = type(model).model_validate(json.loads(dumped))
        else:  # pragma: no cover - every kind is a model today
            dumped = adapter(kind).dump_json(model, by_alias=True).decode()
            again = adapter(kind).validate_python(json.loads(dumped))
        COUNTS[f"{kind} round-trip"] += 1
        assert again == model
        assert again.model_dump_json(by_alias=True) == dumped

    check()
    print(f"{kind}: {COUNTS[f'{kind} round-trip']} instances round-tripped")
    assert COUNTS[f"{kind} round-trip"] >= 50, f"{kind}: too few valid instances to round-trip"
