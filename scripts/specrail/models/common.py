"""Constrained scalar types shared by the artifact models."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from specrail.patterns import (
    ENHANCEMENT_ID_PATTERN,
    FEATURE_ID_PATTERN,
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
Text = Annotated[str, Field(min_length=1, max_length=20000)]
Priority = Literal["High", "Medium", "Low"]


class Model(BaseModel):
    """Base for every artifact model: unknown keys are refused, types are not coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, regex_engine="python-re", populate_by_name=True)
