"""Artifacts of `/workflow:synthesis`: recommendations, conflict map, feature index, context package."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field, RootModel, model_validator

from specrail.models.common import (
    EnhancementId,
    FeatureId,
    Model,
    RelPath,
    RoleName,
    SessionId,
    Slug,
    Text,
    Timestamp,
    TrueOnly,
)

Confidence = Literal["[RESOLVED]", "[SUGGESTED]", "[UNRESOLVED]"]
Category = Literal[
    "User Intent",
    "Requirements",
    "Architecture",
    "UX",
    "Feasibility",
    "Risk",
    "Process",
    "Decisions",
    "Terminology",
]

# The clarification questions' taxonomy (the seed's 9 categories); recommendations may use any category.
# A resolution may be empty or left out only when the conflict is explicitly unresolved (the seed:
# an [UNRESOLVED] conflict picks no side).
# SYN-RESOLUTION
_RESOLUTION_RULE: dict[str, Any] = {
    "if": {"properties": {"confidence": {"const": "[UNRESOLVED]"}}},
    "else": {"required": ["resolution"], "properties": {"resolution": {"type": "string", "minLength": 1}}},
}
# Priorities are free text on the way in: High, Medium, Low, or any spelling `priorities.normalise`
# maps to them; anything else is kept with a warning.
PriorityText = Text
# A role as the analysis names it ("system-architect", "System Architect"): matched to the role
# folders ignoring case, spaces and hyphens, with a warning when no folder matches.
RoleRef = Text


# SYN-EP-SHAPE
class Enhancement(Model):
    """One EP-### enhancement recommendation from the cross-role analysis; extra keys are kept."""

    model_config = ConfigDict(extra="allow")

    # SYN-EP-ID
    id: EnhancementId
    title: Text
    affected_roles: list[RoleRef] = Field(min_length=1)
    category: Text
    current_state: Text
    enhancement: Text
    rationale: Text
    priority: PriorityText


class EnhancementRecommendations(RootModel[list[Enhancement]]):
    """`enhancement-recommendations.json`: the list of EP-### recommendations."""

    model_config = ConfigDict(strict=True, regex_engine="python-re")


# SYN-MAP-SHAPE
class Conflict(Model):
    """A disagreement between roles on one topic of one feature."""

    model_config = ConfigDict(extra="allow", json_schema_extra=_RESOLUTION_RULE)

    topic: Text
    views: dict[RoleRef, Text] = Field(min_length=1)
    resolution: str | None = Field(default=None, max_length=20000)
    confidence: Confidence
    applies_when: Text | None = None

    @model_validator(mode="after")
    def _resolution_unless_unresolved(self) -> Conflict:
        if self.confidence != "[UNRESOLVED]" and not self.resolution:
            raise ValueError(f"a {self.confidence} conflict needs a resolution")
        return self


class FeatureConflicts(Model):
    """Per-feature consensus, conflicts and cross references; extra keys are kept."""

    model_config = ConfigDict(extra="allow")

    consensus: list[Text]
    conflicts: list[Conflict]
    cross_refs: list[Text]


class FeatureConflictMap(RootModel[dict[FeatureId, FeatureConflicts]]):
    """`feature-conflict-map.json`: one entry per feature of the decomposition."""

    model_config = ConfigDict(strict=True, regex_engine="python-re")


class FeatureEntry(Model):
    """One feature of `feature-index.json`."""

    id: FeatureId
    slug: Slug
    name: Text
    description: str = ""  # the decomposition's description (the seed's feature_name)
    priority: PriorityText
    spec_path: RelPath
    contributing_roles: list[RoleName]
    cross_cutting_refs: list[Text]


class FeatureIndex(Model):
    """`feature-index.json`: built by `specrail synthesis index` from the files on disk."""

    version: Literal["1.0"]
    generated_at: Timestamp
    session_id: SessionId
    feature_mode: TrueOnly
    features: list[FeatureEntry]
    cross_cutting_specs: list[RelPath]


class ContextPackageMetadata(Model):
    model_config = ConfigDict(extra="allow")

    session_id: SessionId | None = None
    updated_at: Timestamp | None = None


class ContextPackage(Model):
    """`.process/context-package.json`: paths for the next phase; other tools may add keys."""

    model_config = ConfigDict(extra="allow")

    metadata: ContextPackageMetadata | None = None
    feature_mode: bool | None = None
    feature_index_path: RelPath | None = None
    feature_specs_dir: RelPath | None = None
    synthesis_spec_path: RelPath | None = None
    changelog_path: RelPath | None = None
    review_report_path: RelPath | None = None
