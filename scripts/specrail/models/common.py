"""Constrained scalar types shared by the artifact models."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from specrail.validation.patterns import (
    ENHANCEMENT_ID_PATTERN,
    FEATURE_ID_PATTERN,
    LANGUAGE_TAG_PATTERN,
    REL_PATH_PATTERN,
    ROLE_PATTERN,
    SESSION_ID_PATTERN,
    SHA256_PATTERN,
    SLUG_PATTERN,
    TIMESTAMP_PATTERN,
)

# Compiled patterns run on Python's `re` whatever the model's regex engine (lookaheads need it).
FeatureId = Annotated[str, Field(pattern=re.compile(FEATURE_ID_PATTERN), max_length=16)]
EnhancementId = Annotated[str, Field(pattern=re.compile(ENHANCEMENT_ID_PATTERN), max_length=16)]
Slug = Annotated[str, Field(pattern=re.compile(SLUG_PATTERN), min_length=1, max_length=80)]
RoleName = Annotated[str, Field(pattern=re.compile(ROLE_PATTERN), min_length=1, max_length=64)]
SessionId = Annotated[str, Field(pattern=re.compile(SESSION_ID_PATTERN), max_length=100)]
RelPath = Annotated[str, Field(pattern=re.compile(REL_PATH_PATTERN), min_length=1, max_length=400)]
Timestamp = Annotated[str, Field(pattern=re.compile(TIMESTAMP_PATTERN))]
Sha256 = Annotated[str, Field(pattern=re.compile(SHA256_PATTERN))]
LanguageTag = Annotated[str, Field(pattern=re.compile(LANGUAGE_TAG_PATTERN), max_length=35)]


def _json_integer(value: Any) -> Any:
    """Integers as JSON Schema counts them: 3.0 is one (read as 3), true is not."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not an integer")
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _json_boolean(value: Any) -> Any:
    """Only true and false: pydantic's literal check alone takes 1 for True."""
    if not isinstance(value, bool):
        raise ValueError("Input should be true")
    return value


# Put JsonInteger after any Field constraints (pydantic drops them from the schema otherwise).
JsonInteger = BeforeValidator(_json_integer)
Int = Annotated[int, JsonInteger]
One = Annotated[Literal[1], JsonInteger]
TrueOnly = Annotated[Literal[True], BeforeValidator(_json_boolean)]
Text = Annotated[str, Field(min_length=1, max_length=20000)]
Priority = Literal["High", "Medium", "Low"]


class Model(BaseModel):
    """Base for every artifact model: unknown keys are refused, types are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, regex_engine="python-re", populate_by_name=True)
