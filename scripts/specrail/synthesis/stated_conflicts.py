"""The disagreements the role analyses state, checked against the conflicts the analysis reports.

A role analysis says where it disagrees with another role under a heading such as "Main
disagreements I expect". When the conflict map records no conflict between those two roles,
the analysis output has likely left out a real conflict: a warning names both roles. Reading
prose is a guess, so this never stops the workflow.
"""

from __future__ import annotations

import re

from specrail.errors import SpecrailError
from specrail.models import FeatureConflicts
from specrail.synthesis.paths import SessionPaths
from specrail.validation.check import read_text
from specrail.validation.markdown import sections

DISAGREEMENT = re.compile(r"disagree|tension|contention|分歧|不同意|争议", re.IGNORECASE)


def _spellings(role: str) -> set[str]:
    """How prose names a role: `system-architect`, `system architect`, `system_architect`."""
    plain = re.sub(r"[-_]+", " ", role.lower())
    return {role.lower(), plain, plain.replace(" ", "-"), plain.replace(" ", "_")}


def stated(paths: SessionPaths, roles: list[str]) -> dict[tuple[str, str], str]:
    """(role, other role) -> where the role's analysis states a disagreement with the other."""
    found: dict[tuple[str, str], str] = {}
    names = {role: _spellings(role) for role in roles}
    for role in roles:
        for path in sorted((paths.brainstorm_dir / role).glob("analysis*.md")):
            try:
                text = read_text(path, paths.brel(path))
            except SpecrailError:
                continue
            for sec in sections(text):
                if sec.level < 2 or not DISAGREEMENT.search(sec.title):
                    continue
                body = sec.text.lower()
                for other in roles:
                    if other != role and any(n in body for n in names[other]):
                        found.setdefault((role, other), f"{paths.brel(path)} '{sec.title.strip()}'")
    return found


def recorded(conflict_map: dict[str, FeatureConflicts]) -> set[frozenset[str]]:
    """The pairs of roles some conflict of the map holds views of."""
    pairs: set[frozenset[str]] = set()
    for entry in conflict_map.values():
        for conflict in entry.conflicts:
            views = sorted(conflict.views)
            pairs.update(frozenset((a, b)) for i, a in enumerate(views) for b in views[i + 1 :])
    return pairs


def warnings(paths: SessionPaths, roles: list[str], conflict_map: dict[str, FeatureConflicts]) -> list[str]:
    """One warning per pair of roles whose analyses disagree with no conflict of the map between them."""
    have = recorded(conflict_map)
    out: list[str] = []
    seen: set[frozenset[str]] = set()
    for (role, other), where in stated(paths, roles).items():
        pair = frozenset((role, other))
        if pair in have or pair in seen:
            continue
        seen.add(pair)
        out.append(
            f"{paths.brel(paths.conflict_map)}: {role} and {other} disagree ({where}) but no conflict "
            f"holds the views of both (fix: add the conflict with both views, or confirm there is none)"
        )
    return out
