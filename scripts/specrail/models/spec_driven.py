"""Artifacts of `/workflow:spec-driven` other than the session: the diff record's JSON twin."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from specrail.models.common import Model, RelPath, Text

ChangeType = Literal["ADDED", "MODIFIED", "DEPRECATED"]
SectionNumber = Annotated[str, Field(pattern=r"^[0-9]+(?:\.[0-9]+)*$", max_length=32)]


class SectionChange(Model):
    section: SectionNumber
    title: Text
    change: ChangeType
    summary: Text


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
