"""Artifacts of `/workflow:spec-driven` other than the session file itself.

The diff record's JSON twin (`spec_diffs/{spec}.diff.json`), and the parts of
`workflow-session.json` that each phase records (see `SpecDrivenSession` in `session.py`).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from specrail.models.common import Int, JsonInteger, Model, RelPath, Sha256, Text, Timestamp
from specrail.models.config import Grouping

ChangeType = Literal["ADDED", "MODIFIED", "DEPRECATED"]
# A section's key: its number when the heading is numbered (`3.2`), else its heading path
# (`Architecture/Parser`, the document title left out).
SectionKey = Annotated[str, Field(pattern=r"^[^\x00-\x1f\x7f]+$", min_length=1, max_length=300)]
TaskId = Annotated[str, Field(pattern=r"^T-[0-9]{3,}(?!\n)$", max_length=16)]
# A dependency hint written in a spec section: a section number of the same spec, or a task id.
DependencyHint = Annotated[str, Field(pattern=r"^(?:[0-9]+(?:\.[0-9]+)*|T-[0-9]{3,})(?!\n)$", max_length=32)]
Severity = Literal["CRITICAL", "MEDIUM", "LOW"]
GapId = Annotated[str, Field(pattern=r"^[^\x00-\x1f\x7f:,]+$", min_length=1, max_length=80)]


# --- diff record (phase 2) -------------------------------------------------------------------


class SectionChange(Model):
    section: SectionKey
    title: Text
    change: ChangeType
    summary: Text
    files: list[RelPath] = Field(default_factory=list)
    depends: list[DependencyHint] = Field(default_factory=list)


class DiffRecord(Model):
    """`spec_diffs/{spec}.diff.json`: the machine-readable twin of the Markdown diff record."""

    spec: RelPath
    version_before: str | None
    version_after: str | None
    version_bumped: bool
    revision_row_added: bool
    new_spec: bool = False
    sections: list[SectionChange]
    implications: list[Text] = Field(default_factory=list)


# --- session parts ---------------------------------------------------------------------------


class OpenQuestion(Model):
    question: Text
    answer: Text | None = None


class Proposal(Model):
    """What `specrail spec-driven proposal` extracted from `proposal.md`."""

    request: Text
    intent: Text
    affected_specs: list[RelPath] = Field(min_length=1)
    new_specs: list[RelPath] = Field(default_factory=list)
    key_changes: list[Text] = Field(min_length=1)
    open_questions: list[OpenQuestion] = Field(default_factory=list)
    sha256: Sha256
    confirmed: bool = False


class Snapshot(Model):
    """The "before" of one affected spec; `copy_path` is relative to the session folder."""

    path: RelPath
    sha256: Sha256 | None
    version: str | None
    existed: bool
    copy_path: RelPath | None = None
    taken_at: Timestamp


class DiffSummary(Model):
    record: RelPath
    version_before: str | None
    version_after: str | None
    added: Int = Field(ge=0)
    modified: Int = Field(ge=0)
    deprecated: Int = Field(ge=0)
    recorded_at: Timestamp
    # The spec as the diff saw it: a later edit makes the diff, and the tasks planned from it, stale.
    spec_sha256: Sha256 | None = None
    # Each changed section's hash at snapshot (its base; None for an added one): `commit` refuses
    # when the branch's text of the section moved away from it, `overlap` compares sessions by it.
    bases: dict[SectionKey, Sha256 | None] = Field(default_factory=dict)


Verdict = Literal["CONTINUE", "CONVERGED", "STALLED", "MAX_ROUNDS", "ACCEPTED_PARTIAL"]


class RefineRound(Model):
    round: Int = Field(ge=1)
    gaps_found: Int = Field(ge=0)
    gaps_resolved: Int = Field(ge=0)
    open_critical: Int = Field(ge=0)
    open_gaps: Int = Field(ge=0)
    verdict: Verdict
    at: Timestamp
    decisions: list[Text] = Field(default_factory=list)
    deferred: list[Text] = Field(default_factory=list)
    # The refiner's list of gaps still open after the round (given to the next round's refiner).
    open_ids: list[GapId] = Field(default_factory=list)
    open_critical_ids: list[GapId] = Field(default_factory=list)
    # What each open gap is, in the refiner's words, carried from round to round.
    open_notes: dict[GapId, Text] = Field(default_factory=dict)


class SpecRefinement(Model):
    """Rounds of one spec. Stall and round limits count from `window_start` (reset by a decision)."""

    rounds: list[RefineRound] = Field(default_factory=list)
    final: Literal["CONVERGED", "ACCEPTED_PARTIAL"] | None = None
    window_start: Int = Field(default=0, ge=0)


class AlignmentFinding(Model):
    severity: Severity
    category: Literal[
        "broken_link", "missing_section", "missing_anchor", "deprecated_reference", "terminology", "reported"
    ]
    file: RelPath
    line: Annotated[int, Field(ge=1), JsonInteger] | None = None
    message: Text
    hint: str = ""


class AlignmentRecord(Model):
    triggered: bool
    skipped: bool
    reasons: list[Text]
    scope: list[RelPath] = Field(default_factory=list)
    renamed_terms: dict[str, list[str]] = Field(default_factory=dict)
    findings: list[AlignmentFinding] = Field(default_factory=list)
    checked_at: Timestamp


CommandStatus = Literal["PASS", "FAIL", "TIMEOUT", "NOT_CONFIGURED", "SKIPPED"]
TestStatus = Literal["passed", "failed", "skipped"]
ReportFormat = Literal["junit", "jest-json", "libtest", "go-json"]


class TestCaseResult(Model):
    """One test as the runner's machine-readable report gives it. `id` is the runner's own name for
    it (`tests.test_core.test_x`, `tests/notes.rs::filter`); `::name` when the report names no file."""

    id: Annotated[str, Field(min_length=1, max_length=500)]
    status: TestStatus


class TestReport(Model):
    """Which tests ran and how, read from the report the runner wrote (never from its prose)."""

    format: ReportFormat
    passed: Int = Field(ge=0)
    failed: Int = Field(ge=0)
    skipped: Int = Field(ge=0)
    cases: list[TestCaseResult] = Field(default_factory=list)
    truncated: bool = False


class CommandResult(Model):
    """One configured command run by the helper (never by the model), with its captured output."""

    name: str
    command: str | None
    status: CommandStatus
    exit_code: Int | None = None
    duration_s: float = Field(ge=0)
    critical: bool = True
    reason: str = ""
    summary: str = ""
    output_tail: str = ""
    environment: str = Field(
        default="",
        description="Why the command could not run in the project's environment; empty when it ran.",
    )
    # The runner's machine-readable report; None: no report was read, so nothing is "passed".
    tests: TestReport | None = None


class ImplementationIssue(Model):
    """A problem met in phase 5 (a failed check, a failed verification) and how it was resolved:
    the implementation log's Issues Encountered."""

    task: TaskId | None = None  # None: the full verification
    issue: Text
    resolution: list[Text] = Field(default_factory=list)
    open: bool = True


class PlannedValidation(Model):
    """A validation to run. Its command is looked up by name when it runs (never stored here)."""

    name: str
    command: str | None = None
    timeout: Int = Field(default=600, ge=1)
    critical: bool
    reason: Text


class ConditionJudgement(Model):
    """The validator agent's verdict on a prose condition of `validation.conditional`."""

    applies: bool
    reason: Text
    at: Timestamp


class TaskRecord(Model):
    id: TaskId
    title: Text
    action: Literal["implement", "update", "remove", "align"]  # align: a MEDIUM alignment finding
    spec: RelPath
    section: SectionKey
    spec_ref: Text
    affected_files: list[RelPath]
    depends_on: list[TaskId]
    explicit_depends: list[TaskId] = Field(default_factory=list)
    status: Literal["pending", "in_progress", "done", "failed", "rolled_back", "skipped"] = "pending"
    attempts: Int = Field(default=0, ge=0)
    backed_up: list[RelPath] = Field(default_factory=list)
    absent_before: list[RelPath] = Field(default_factory=list)
    # What `task-start` saw: the sha256 of each declared file (None: absent), and of each path git
    # listed as changed or untracked (None: deleted; the whole map None outside a git repository).
    # `task-done` measures the task's changes against it.
    start_hashes: dict[RelPath, Sha256 | None] = Field(default_factory=dict)
    start_dirty: dict[RelPath, Sha256 | None] | None = None
    files_changed: list[RelPath] = Field(default_factory=list)
    undeclared: list[RelPath] = Field(default_factory=list)  # changed, but not among affected_files
    lines_added: Int = Field(default=0, ge=0)
    lines_removed: Int = Field(default=0, ge=0)
    check: CommandResult | None = None
    note: str = ""
    # What the task was planned from: the spec as its diff saw it (a re-recorded diff makes the plan
    # stale) and the section's text (a later change of the section re-opens the task).
    spec_sha256: Sha256 | None = None
    section_sha256: Sha256 | None = None


class CommitRecord(Model):
    """A commit of the feature. The last one also carries the session's record, which cannot hold
    that commit's own hash: there `hash` is None and `carries_record` true (git log finds it)."""

    hash: Annotated[str, Field(pattern=r"^[0-9a-f]{7,64}(?!\n)$")] | None
    message: Text
    files: list[RelPath] = Field(default_factory=list)
    carries_record: bool = False


class CommitChoice(Model):
    """The commit plan last shown to the user ("Adjust" changes it); `commit` uses it by default."""

    grouping: Grouping
    scope: str | None = None
    description: str | None = None
    message: str | None = None
    issue: str | None = None
    shown_at: Timestamp
    not_yet: bool = False  # the user chose "Don't commit yet" after this plan
    # The files of each planned commit and of the session's record, as shown: `commit` takes these.
    files: list[list[str]] | None = None
    record: list[str] | None = None


DecisionKind = Literal["stall", "alignment", "implementation", "validation", "commit", "settings", "evidence"]


class PendingDecision(Model):
    """An escalation waiting for the user: why, and the options the seed offers."""

    kind: DecisionKind
    reason: Text
    options: list[Text] = Field(min_length=1)
    spec: RelPath | None = None
    task: TaskId | None = None
    raised_at: Timestamp
    user_choice: Text | None = None  # the option the user chose when asked (AskUserQuestion)


class DecisionRecord(Model):
    kind: DecisionKind
    choice: Text
    note: str = ""
    at: Timestamp


class SpecDrivenOutcome(Model):
    """The seed's `SpecDrivenOutcome`, computed at commit time."""

    proposal_clarity: float = Field(ge=0, le=1)
    refinement_rounds: Int = Field(ge=0)
    alignment_triggered: bool
    implementation_success_rate: float = Field(ge=0, le=1)
    validation_pass_rate: float = Field(ge=0, le=1)
    total_duration_mins: Int = Field(ge=0)
    deferred_items: Int = Field(ge=0)
    # Changed sections the user accepted without a passing linked test, with the reason.
    unproven_accepted: list[Text] = Field(default_factory=list)


# --- requirement evidence ----------------------------------------------------------------------

LinkResult = Literal["passed", "failed", "skipped", "not run", "not measured"]
EvidenceStatus = Literal["proven", "failed", "unproven", "not measured"]


class LinkedTest(Model):
    """A test linked to a section: by the section's `**Tests:**` line (`spec`) or by a `spec:`
    marker in the test (`test`, with the file holding it)."""

    test: Annotated[str, Field(min_length=1, max_length=500)]
    source: Literal["spec", "test"]
    where: RelPath | None = None
    result: LinkResult
    matched: Int = Field(default=0, ge=0)


class SectionEvidence(Model):
    """What proves one changed section: its linked tests and their result in the session's last
    test run (`run`: the command whose report it is), and the commit the tests ran on."""

    spec: RelPath
    section: SectionKey
    title: Text
    tests: list[LinkedTest] = Field(default_factory=list)
    status: EvidenceStatus
    run: str | None = None
    commit: Annotated[str, Field(pattern=r"^[0-9a-f]{7,64}(?!\n)$")] | None = None
    accepted: Text | None = None  # the user's reason for accepting it unproven
