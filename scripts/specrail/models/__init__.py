"""Every JSON and YAML artifact of both workflows, as pydantic models.

The JSON Schemas in `schemas/` are generated from these models (`specrail schema export`).
"""

from __future__ import annotations

from specrail.models.config import ProjectConfig, SpecDrivenConfig
from specrail.models.session import (
    SpecDrivenSession,
    SynthesisSession,
    Transition,
    WorkflowSession,
)
from specrail.models.synthesis import (
    Conflict,
    ContextPackage,
    Enhancement,
    EnhancementRecommendations,
    FeatureConflictMap,
    FeatureConflicts,
    FeatureEntry,
    FeatureIndex,
)

__all__ = [
    "Conflict",
    "ContextPackage",
    "Enhancement",
    "EnhancementRecommendations",
    "FeatureConflictMap",
    "FeatureConflicts",
    "FeatureEntry",
    "FeatureIndex",
    "ProjectConfig",
    "SpecDrivenConfig",
    "SpecDrivenSession",
    "SynthesisSession",
    "Transition",
    "WorkflowSession",
]
