"""The Feature Decomposition table of `guidance-specification.md` (stdlib only)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from specrail.errors import InvalidInput

FEATURE_ID = re.compile(r"^F-[0-9]{3,}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_PRIORITY = {"high": "High", "medium": "Medium", "low": "Low", "p0": "High", "p1": "Medium", "p2": "Low"}
_HEADER_ALIASES = {
    "id": "id",
    "name": "name",
    "feature": "name",
    "slug": "slug",
    "description": "description",
    "roles": "roles",
    "priority": "priority",
}


@dataclass(frozen=True)
class Feature:
    id: str
    name: str
    slug: str
    description: str
    roles: tuple[str, ...]
    priority: str

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "slug": self.slug,
            "description": self.description,
            "roles": list(self.roles),
            "priority": self.priority,
        }


def slugify(text: str) -> str:
    """Lowercase kebab-case from free text (ASCII letters and digits only)."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return re.sub(r"-{2,}", "-", slug)[:80].strip("-")


def _cells(line: str) -> list[str]:
    body = line.strip()
    body = body[1:] if body.startswith("|") else body
    body = body[:-1] if body.endswith("|") else body
    return [c.strip() for c in body.split("|")]


def has_decomposition(text: str) -> bool:
    return "Feature Decomposition" in text


def parse(text: str, file: str = "guidance-specification.md") -> list[Feature]:
    """The features of the first table under a heading containing "Feature Decomposition"."""
    lines = text.splitlines()
    start = next(
        (i for i, ln in enumerate(lines) if ln.lstrip().startswith("#") and "Feature Decomposition" in ln),
        None,
    )
    if start is None:
        raise InvalidInput("no heading containing 'Feature Decomposition'", file=file)
    rows: list[tuple[int, str]] = []
    for number, line in enumerate(lines[start + 1 :], start=start + 2):
        if line.lstrip().startswith("#"):
            break
        if line.strip().startswith("|"):
            rows.append((number, line))
        elif rows:
            break
    if len(rows) < 2:
        raise InvalidInput(f"no table under the heading on line {start + 1}", file=file)
    header = [_HEADER_ALIASES.get(c.lower().strip("* "), "") for c in _cells(rows[0][1])]
    for needed in ("id", "name"):
        if needed not in header:
            raise InvalidInput(f"Feature Decomposition table has no {needed!r} column", file=file)
    features: list[Feature] = []
    seen: set[str] = set()
    for number, line in rows[2:]:
        cells = dict(zip(header, _cells(line), strict=False))
        where = f"line {number}"
        fid = cells.get("id", "").strip("* ")
        if not FEATURE_ID.match(fid):
            raise InvalidInput(f"{where}: feature id {fid!r} is not of the form F-001", file=file)
        if fid in seen:
            raise InvalidInput(f"{where}: feature id {fid} appears twice", file=file)
        seen.add(fid)
        name = cells.get("name", "").strip()
        slug = cells.get("slug", "").strip("` ") or slugify(name)
        if not SLUG.match(slug):
            raise InvalidInput(f"{where}: slug {slug!r} is not lowercase kebab-case", file=file)
        raw_priority = cells.get("priority", "Medium").strip("* ") or "Medium"
        priority = _PRIORITY.get(raw_priority.lower())
        if priority is None:
            raise InvalidInput(f"{where}: priority {raw_priority!r} is not High, Medium or Low", file=file)
        roles = tuple(r.strip("` ") for r in cells.get("roles", "").split(",") if r.strip("` "))
        features.append(Feature(fid, name or fid, slug, cells.get("description", ""), roles, priority))
    if not features:
        raise InvalidInput("Feature Decomposition table has no rows", file=file)
    return features
