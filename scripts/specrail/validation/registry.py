"""The workflows' own rules for each kind, as the engine finds them (stdlib only).

The engine imports no workflow. A workflow's `rules` package registers its rule functions here when
it is imported; `rules_for` imports that package, named in HOMES, the first time one of its kinds
is checked, so a check loads only the workflow that owns the file.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from specrail.validation.report import FileResult, Issue

# (file label, parsed data or Markdown text, path) -> issues; run after the engine's own checks.
Rule = Callable[[str, Any, Path], list[Issue]]
# (file label, Markdown text, path, result) -> issues: the whole check of a Markdown kind, in place
# of the engine's headings check; it may add facts to the result.
DocumentRule = Callable[[str, str, Path, FileResult], list[Issue]]

SPEC_DRIVEN_RULES = "specrail.spec_driven.rules"
SYNTHESIS_RULES = "specrail.synthesis.rules"
# The package that registers the rules of each kind.
HOMES: dict[str, str] = {
    "feature-spec": SYNTHESIS_RULES,
    "synthesis-specification": SYNTHESIS_RULES,
    "review-report": SYNTHESIS_RULES,
    "feature-index": SYNTHESIS_RULES,
    "feature-conflict-map": SYNTHESIS_RULES,
    "enhancement-recommendations": SYNTHESIS_RULES,
    "proposal": SPEC_DRIVEN_RULES,
    "diff-record": SPEC_DRIVEN_RULES,
    "refinement-summary": SPEC_DRIVEN_RULES,
    "alignment-report": SPEC_DRIVEN_RULES,
    "implementation-log": SPEC_DRIVEN_RULES,
    "validation-report": SPEC_DRIVEN_RULES,
    "config": SPEC_DRIVEN_RULES,
    "workflow-session": SPEC_DRIVEN_RULES,
}
RULES: dict[str, list[Rule]] = {}
DOCUMENTS: dict[str, DocumentRule] = {}


def register(rules: Mapping[str, Rule]) -> None:
    """Add a workflow's rules, one per kind, after those already registered for the kind."""
    for kind, rule in rules.items():
        RULES.setdefault(kind, []).append(rule)


def register_documents(rules: Mapping[str, DocumentRule]) -> None:
    """Add a workflow's whole checks of Markdown kinds, one per kind."""
    DOCUMENTS.update(rules)


def _load(kind: str) -> None:
    home = HOMES.get(kind)
    if home is not None:
        importlib.import_module(home)


def rules_for(kind: str) -> list[Rule]:
    """The workflow rules of `kind`, importing the package that owns them on first use."""
    _load(kind)
    return RULES.get(kind, [])


def document_rule(kind: str) -> DocumentRule | None:
    """The workflow's whole check of the Markdown kind `kind`, if a workflow owns one."""
    _load(kind)
    return DOCUMENTS.get(kind)
