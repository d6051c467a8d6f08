"""`.specrail.yaml`: the spec-driven workflow configuration (the seed's section 5.1)."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, ConfigDict, Field, model_validator

from specrail.models.common import Int, Model, Text

ValidationLevel = Literal["minimal", "standard", "full"]
Grouping = Literal["single", "by_phase", "by_file"]
CommandName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]*(?!\n)$", max_length=40)]
Glob = Annotated[str, Field(min_length=1, max_length=200, pattern=r"^[^\x00]+$")]


class RefinementConfig(Model):
    max_rounds: Int = Field(default=5, ge=1, le=50)
    stall_threshold: Int = Field(default=3, ge=1, le=50)
    auto_accept_partial: bool = False


class AlignmentConfig(Model):
    trigger_on_cross_refs: bool = True
    trigger_on_new_spec: bool = True
    mode: Literal["alignment_check", "full_audit"] = "alignment_check"


class ImplementationConfig(Model):
    incremental_check: bool = True
    rollback_on_fail: bool = True
    parallel_independent_tasks: bool = False
    # The full verification after the last task (the seed's cargo check / test / clippy);
    # names of `commands`, those not configured are reported and skipped.
    verify: list[CommandName] = Field(default_factory=lambda: ["check", "test", "lint"])


class Command(Model):
    """A shell command the helper runs (never the model), with its own time limit."""

    run: Text
    timeout: Int = Field(default=600, ge=1, le=86400)
    # A JUnit XML file the command writes (relative to the project root), read after each run.
    report: str | None = Field(
        default=None, pattern=r"^(?![/~])(?!.*(?:^|/)\.\.(?:/|$))[^\x00-\x1f\x7f\\]+(?!\n)$", max_length=300
    )


class ConditionalValidation(Model):
    """A validation queued only when a changed path matches one of `paths` (glob patterns), or when
    the validator agent judges the prose condition `when` true for the change."""

    # The JSON Schema says what `_has_a_trigger` checks: non-empty `paths`, or a `when` string.
    model_config = ConfigDict(
        **Model.model_config,
        json_schema_extra={
            "anyOf": [
                {"required": ["paths"], "properties": {"paths": {"minItems": 1}}},
                {"required": ["when"], "properties": {"when": {"type": "string"}}},
            ]
        },
    )

    name: CommandName
    paths: list[Glob] = Field(default_factory=list)
    when: Text | None = None
    run: Text | None = None
    critical: bool = True

    @model_validator(mode="after")
    def _has_a_trigger(self) -> ConditionalValidation:
        if not self.paths and not self.when:
            raise ValueError("give `paths` (glob patterns of changed files) or `when` (a condition)")
        return self


# The seed's own form: `- tui_testing: "specs/views/*.md changed"` (one name, one condition).
CHANGED = re.compile(r"\s+(?:is\s+|are\s+)?(?:changed|modified|touched|edited)\.?$", re.IGNORECASE)
PATTERN = re.compile(r"^[\w./*?\[\]{}!-]*[/*?.][\w./*?\[\]{}!-]*$")
SEED_FORM_SCHEMA = {
    "type": "object",
    "minProperties": 1,
    "maxProperties": 1,
    "propertyNames": {
        "pattern": "^[a-z][a-z0-9_-]*$",
        "maxLength": 40,
        "not": {"enum": ["name", "paths", "when", "run", "critical"]},  # those are the full form's
    },
    "additionalProperties": {"type": "string", "minLength": 1},
}


def from_seed_form(item: object) -> object:
    """`{name: "specs/views/*.md changed"}` -> paths; `{name: "data path code changed"}` -> when.
    Anything else is left for the model to check."""
    if not isinstance(item, dict) or len(item) != 1:
        return item
    [(name, condition)] = item.items()
    if name in ConditionalValidation.model_fields:
        return item
    if not isinstance(condition, str) or not condition.strip():
        raise ValueError(f'{name}: the condition must be a string, e.g. "specs/views/*.md changed"')
    subject = CHANGED.sub("", condition.strip())
    globs = [g.strip().strip("`'\"") for g in re.split(r",|\s+or\s+", subject)]
    if globs and all(PATTERN.match(g) for g in globs):
        return {"name": name, "paths": globs}
    return {"name": name, "when": condition.strip()}


def _seed_form_schema(schema: dict[str, Any]) -> None:
    schema["items"] = {"anyOf": [schema["items"], SEED_FORM_SCHEMA]}


class ValidationConfig(Model):
    parallel: bool = True
    required: list[CommandName] = Field(default_factory=lambda: ["test"])
    # Each entry in the full form, or in the seed's `- name: "condition"` form.
    conditional: list[Annotated[ConditionalValidation, BeforeValidator(from_seed_form)]] = Field(
        default_factory=list, json_schema_extra=_seed_form_schema
    )

    @property
    def conditions(self) -> list[ConditionalValidation]:
        return list(self.conditional)


class CommitConfig(Model):
    default_grouping: Grouping = "single"
    require_user_confirm: bool = True
    co_author: Text | None = None


class SpecDrivenConfig(Model):
    """The `spec_driven_feature:` block. `commands` replaces the seed's cargo invocations."""

    specs_dir: str = Field(
        default="specs", pattern=r"^(?![/~])(?!.*(?:^|/)\.\.(?:/|$))[^\x00-\x1f\x7f\\]+(?!\n)$"
    )
    commands: dict[CommandName, Command] = Field(default_factory=dict)
    refinement: RefinementConfig = Field(default_factory=RefinementConfig)
    alignment: AlignmentConfig = Field(default_factory=AlignmentConfig)
    implementation: ImplementationConfig = Field(default_factory=ImplementationConfig)
    validation: ValidationConfig = Field(default_factory=ValidationConfig)
    commit: CommitConfig = Field(default_factory=CommitConfig)


class ProjectConfig(Model):
    """The whole `.specrail.yaml` file."""

    spec_driven_feature: SpecDrivenConfig = Field(default_factory=SpecDrivenConfig)
