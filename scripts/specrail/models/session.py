"""`workflow-session.json`, discriminated by workflow kind. Written only by `specrail.store`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer

from specrail.models.common import (
    EnhancementId,
    FeatureId,
    Int,
    JsonInteger,
    LanguageTag,
    Model,
    One,
    RelPath,
    RoleName,
    SessionId,
    Sha256,
    Slug,
    Text,
    Timestamp,
    TrueOnly,
)
from specrail.models.config import SpecDrivenConfig, ValidationLevel
from specrail.models.spec_driven import (
    AlignmentRecord,
    CommandResult,
    CommitChoice,
    CommitRecord,
    ConditionJudgement,
    DecisionRecord,
    DiffSummary,
    ImplementationIssue,
    PendingDecision,
    PlannedValidation,
    Proposal,
    SectionEvidence,
    Snapshot,
    SpecDrivenOutcome,
    SpecRefinement,
    TaskRecord,
)
from specrail.models.synthesis import Category, Enhancement

SCHEMA_VERSION = 1

SynthesisState = Literal[
    "PENDING", "DISCOVERED", "ANALYZED", "CLARIFIED", "SPECS_WRITTEN", "REVIEWED", "COMPLETE", "ABORTED"
]
SpecDrivenState = Literal[
    "PENDING",
    "SPEC_UPDATE",
    "REFINING",
    "ALIGNING",
    "IMPLEMENTING",
    "VALIDATING",
    "COMMITTING",
    "COMPLETE",
    "STALLED",
    "BLOCKED",
    "ABORTED",
]
StateName = Annotated[str, Field(pattern=r"^[A-Z_]+(?!\n)$", max_length=32)]


class Transition(Model):
    """One entry of the append-only history."""

    from_state: StateName = Field(alias="from")
    to: StateName
    at: Timestamp
    reason: Text


# --- synthesis -------------------------------------------------------------------------------


class ClarificationAnswer(Model):
    """One answer of phase 4; `feature_id` and `topic` name the conflict a Decisions question asked
    about, and `deferred` says the user chose to keep it open ([DECISION NEEDED] in the spec)."""

    question: Text
    answer: Text
    category: Category
    auto: bool = False
    feature_id: FeatureId | None = None
    topic: Text | None = None
    deferred: bool = False


class SpecContext(Model):
    """The unified context for the spec agent (phase 4, step 3)."""

    selected_enhancements: list[EnhancementId]
    enhancement_details: list[Enhancement]
    clarification_answers: list[ClarificationAnswer]
    original_user_intent: str
    auto_mode: bool = False
    questions_asked: Int = Field(default=0, ge=0)


class SynthesisResults(Model):
    enhancements_applied: list[EnhancementId]
    questions_asked: Int = Field(ge=0)
    categories_clarified: list[Category]
    complexity_score: Int = Field(ge=0, le=8)
    review_triggered: bool
    review_fixes: Int = Field(ge=0)
    review_flags: Int = Field(ge=0)
    conflicts_decided_by_user: list[Text] = Field(default_factory=list)


class FeatureSpecResults(Model):
    feature_mode: TrueOnly
    features_generated: list[FeatureId]
    feature_index_path: RelPath
    feature_specs_dir: RelPath


class QualityMetrics(Model):
    user_intent_alignment: Text
    ambiguity_resolution: Text
    terminology_consistency: Text


class BrainstormPhase(Model):
    """`phases.BRAINSTORM` as the synthesis seed lays it out."""

    status: Literal["synthesis_in_progress", "synthesis_completed"]
    completed_at: Timestamp | None = None
    participating_roles: list[RoleName]
    synthesis_results: SynthesisResults | None = None
    feature_spec_results: FeatureSpecResults | None = None
    quality_metrics: QualityMetrics | None = None

    @model_serializer(mode="wrap")
    def _omit_absent(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Keys the seed lays out only in some cases (feature mode, completion) are left out, not null."""
        return {key: value for key, value in handler(self).items() if value is not None}


class Phases(Model):
    """Phases of a brainstorming session; other tools' phases are kept as they are."""

    model_config = ConfigDict(extra="allow")

    BRAINSTORM: BrainstormPhase | None = None


class SynthesisSession(Model):
    """Session state of one brainstorming session (`.workflow/active/WFS-*/workflow-session.json`)."""

    model_config = ConfigDict(extra="allow")

    schema_version: One
    workflow: Literal["synthesis"]
    session_id: SessionId
    state: SynthesisState
    created_at: Timestamp
    updated_at: Timestamp
    history: list[Transition]
    user_intent: str = ""
    language: LanguageTag = "en"  # any BCP 47 tag, kept as given (`ja`, `zh-CN`, `pt-BR`)
    auto_mode: bool = False
    feature_mode: bool | None = None
    participating_roles: list[RoleName] = Field(default_factory=list)
    input_hashes: dict[RelPath, Sha256] = Field(default_factory=dict)
    # The phase 3A outputs as `analyzed` validated them (paths relative to the session folder):
    # later steps use them only unchanged.
    analysis_hashes: dict[RelPath, Sha256] = Field(default_factory=dict)
    spec_context: SpecContext | None = None
    complexity_score: Annotated[int, Field(ge=0, le=8), JsonInteger] | None = None
    review_required: bool | None = None
    phases: Phases = Field(default_factory=Phases)
    # HMAC of the rest of the record by the machine that wrote it (`specrail.signing`).
    signature: Annotated[str, Field(max_length=100)] | None = None


# --- spec-driven -----------------------------------------------------------------------------


class Overrides(Model):
    skip_alignment: bool = False
    validation: ValidationLevel = "standard"
    max_rounds: Annotated[int, Field(ge=1, le=50), JsonInteger] | None = None


class SpecDrivenSession(Model):
    """Session state of one spec-driven feature (`specs/meta/sessions/{feature}_{date}/`).

    `config` is the effective configuration: `.specrail.yaml`, defaults, then the overrides.
    """

    schema_version: One
    workflow: Literal["spec-driven"]
    feature: Slug
    date: Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?!\n)$")]
    request: Text
    state: SpecDrivenState
    created_at: Timestamp
    updated_at: Timestamp
    history: list[Transition]
    config: SpecDrivenConfig
    overrides: Overrides = Field(default_factory=Overrides)
    proposal: Proposal | None = None
    snapshots: dict[RelPath, Snapshot] = Field(default_factory=dict)
    diffs: dict[RelPath, DiffSummary] = Field(default_factory=dict)
    refinement: dict[RelPath, SpecRefinement] = Field(default_factory=dict)
    alignment: AlignmentRecord | None = None
    tasks: list[TaskRecord] = Field(default_factory=list)
    verification: list[CommandResult] = Field(default_factory=list)
    issues: list[ImplementationIssue] = Field(default_factory=list)
    validation_plan: list[PlannedValidation] = Field(default_factory=list)
    judgements: dict[str, ConditionJudgement] = Field(default_factory=dict)
    validations: list[CommandResult] = Field(default_factory=list)
    commits: list[CommitRecord] = Field(default_factory=list)
    commit_choice: CommitChoice | None = None
    pending_decision: PendingDecision | None = None
    decisions: list[DecisionRecord] = Field(default_factory=list)
    deferred_items: list[Text] = Field(default_factory=list)
    outcome: SpecDrivenOutcome | None = None
    evidence: list[SectionEvidence] = Field(default_factory=list)
    # sha256 of each file specrail wrote into the session folder (diff records, reports), by its
    # path in the folder: a file changed by another hand is refused before use and at commit.
    generated: dict[RelPath, Sha256] = Field(default_factory=dict)
    extra: dict[str, Any] = Field(default_factory=dict)
    # HMAC of the rest of the record by the machine that wrote it (`specrail.signing`).
    signature: Annotated[str, Field(max_length=100)] | None = None


WorkflowSession = Annotated[SynthesisSession | SpecDrivenSession, Field(discriminator="workflow")]
