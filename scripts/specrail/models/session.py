"""`workflow-session.json`, discriminated by workflow kind. Written only by `specrail.store`."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field

from specrail.models.common import (
    EnhancementId,
    FeatureId,
    Model,
    RelPath,
    RoleName,
    SessionId,
    Sha256,
    Slug,
    Text,
    Timestamp,
)
from specrail.models.config import SpecDrivenConfig, ValidationLevel
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
StateName = Annotated[str, Field(pattern=r"^[A-Z_]+$", max_length=32)]


class Transition(Model):
    """One entry of the append-only history."""

    from_state: StateName = Field(alias="from")
    to: StateName
    at: Timestamp
    reason: Text


# --- synthesis -------------------------------------------------------------------------------


class ClarificationAnswer(Model):
    question: Text
    answer: Text
    category: Category
    auto: bool = False


class SpecContext(Model):
    """The unified context for the spec agent (phase 4, step 3)."""

    selected_enhancements: list[EnhancementId]
    enhancement_details: list[Enhancement]
    clarification_answers: list[ClarificationAnswer]
    original_user_intent: str
    auto_mode: bool = False
    questions_asked: int = Field(default=0, ge=0)


class SynthesisResults(Model):
    enhancements_applied: list[EnhancementId]
    questions_asked: int = Field(ge=0)
    categories_clarified: list[Category]
    complexity_score: int = Field(ge=0, le=8)
    review_triggered: bool
    review_fixes: int = Field(ge=0)
    review_flags: int = Field(ge=0)


class FeatureSpecResults(Model):
    feature_mode: Literal[True]
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


class Phases(Model):
    """Phases of a brainstorming session; other tools' phases are kept as they are."""

    model_config = ConfigDict(extra="allow")

    BRAINSTORM: BrainstormPhase | None = None


class SynthesisSession(Model):
    """Session state of one brainstorming session (`.workflow/active/WFS-*/workflow-session.json`)."""

    model_config = ConfigDict(extra="allow")

    schema_version: Literal[1]
    workflow: Literal["synthesis"]
    session_id: SessionId
    state: SynthesisState
    created_at: Timestamp
    updated_at: Timestamp
    history: list[Transition]
    user_intent: str = ""
    language: Literal["en", "zh"] = "en"
    auto_mode: bool = False
    feature_mode: bool | None = None
    participating_roles: list[RoleName] = Field(default_factory=list)
    input_hashes: dict[RelPath, Sha256] = Field(default_factory=dict)
    spec_context: SpecContext | None = None
    complexity_score: int | None = Field(default=None, ge=0, le=8)
    review_required: bool | None = None
    phases: Phases = Field(default_factory=Phases)


# --- spec-driven -----------------------------------------------------------------------------


class OpenQuestion(Model):
    question: Text
    answer: Text | None = None


class Proposal(Model):
    """What `specrail spec-driven proposal` extracted from `proposal.md`."""

    intent: Text
    affected_specs: list[RelPath] = Field(min_length=1)
    key_changes: list[Text] = Field(min_length=1)
    open_questions: list[OpenQuestion] = Field(default_factory=list)
    confirmed: bool = False


class Snapshot(Model):
    """The "before" of one affected spec, stored inside the session folder."""

    path: RelPath
    sha256: Sha256 | None
    version: str | None
    existed: bool
    taken_at: Timestamp


class DiffSummary(Model):
    record: RelPath
    version_before: str | None
    version_after: str | None
    added: int = Field(ge=0)
    modified: int = Field(ge=0)
    deprecated: int = Field(ge=0)


Verdict = Literal["CONTINUE", "CONVERGED", "STALLED", "MAX_ROUNDS", "ACCEPTED_PARTIAL"]


class RefineRound(Model):
    round: int = Field(ge=1)
    gaps_found: int = Field(ge=0)
    gaps_resolved: int = Field(ge=0)
    open_critical: int = Field(ge=0)
    open_gaps: int = Field(ge=0)
    verdict: Verdict
    at: Timestamp
    decisions: list[Text] = Field(default_factory=list)
    deferred: list[Text] = Field(default_factory=list)


class AlignmentRecord(Model):
    triggered: bool
    skipped: bool
    reasons: list[Text]
    critical: int = Field(ge=0)
    medium: int = Field(ge=0)
    low: int = Field(ge=0)


class CommandResult(Model):
    name: str
    command: str | None
    status: Literal["PASS", "FAIL", "TIMEOUT", "NOT_CONFIGURED", "SKIPPED"]
    exit_code: int | None = None
    duration_s: float = Field(ge=0)
    critical: bool = True
    output_tail: str = ""


class TaskRecord(Model):
    id: Annotated[str, Field(pattern=r"^T-[0-9]{3,}$")]
    title: Text
    action: Literal["implement", "update", "remove"]
    spec_ref: Text
    affected_files: list[RelPath]
    depends_on: list[Annotated[str, Field(pattern=r"^T-[0-9]{3,}$")]]
    status: Literal["pending", "done", "failed", "rolled_back", "skipped"] = "pending"
    files_changed: list[RelPath] = Field(default_factory=list)
    lines_added: int = Field(default=0, ge=0)
    lines_removed: int = Field(default=0, ge=0)
    check: CommandResult | None = None
    note: str = ""


class CommitRecord(Model):
    hash: Annotated[str, Field(pattern=r"^[0-9a-f]{7,64}$")]
    message: Text


class PendingDecision(Model):
    """An escalation waiting for the user: why, and the options the seed offers."""

    reason: Text
    options: list[Text] = Field(min_length=1)
    raised_at: Timestamp


class SpecDrivenOutcome(Model):
    """The seed's `SpecDrivenOutcome`, computed at commit time."""

    proposal_clarity: float = Field(ge=0, le=1)
    refinement_rounds: int = Field(ge=0)
    alignment_triggered: bool
    implementation_success_rate: float = Field(ge=0, le=1)
    validation_pass_rate: float = Field(ge=0, le=1)
    total_duration_mins: int = Field(ge=0)
    deferred_items: int = Field(ge=0)


class Overrides(Model):
    skip_alignment: bool = False
    validation: ValidationLevel = "standard"
    max_rounds: int | None = Field(default=None, ge=1, le=50)


class SpecDrivenSession(Model):
    """Session state of one spec-driven feature (`specs/meta/sessions/{feature}_{date}/`)."""

    schema_version: Literal[1]
    workflow: Literal["spec-driven"]
    feature: Slug
    date: Annotated[str, Field(pattern=r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")]
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
    refinement: dict[RelPath, list[RefineRound]] = Field(default_factory=dict)
    alignment: AlignmentRecord | None = None
    tasks: list[TaskRecord] = Field(default_factory=list)
    validations: list[CommandResult] = Field(default_factory=list)
    commits: list[CommitRecord] = Field(default_factory=list)
    pending_decision: PendingDecision | None = None
    deferred_items: list[Text] = Field(default_factory=list)
    outcome: SpecDrivenOutcome | None = None
    extra: dict[str, Any] = Field(default_factory=dict)


WorkflowSession = Annotated[SynthesisSession | SpecDrivenSession, Field(discriminator="workflow")]
