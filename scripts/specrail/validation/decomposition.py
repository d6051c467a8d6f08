"""The Feature Decomposition table of `guidance-specification.md` (stdlib only)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from specrail.errors import InvalidInput, SpecrailError
from specrail.validation.normalise import normalise_priority

FEATURE_ID = re.compile(r"^F-[0-9]{3,}$")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HEADING_WORDS = ("feature decomposition", "功能分解", "特性分解", "功能拆解", "特性拆解")
# Header cells, folded (lower case, separators as one space), to the column they name.
_HEADER_ALIASES = {
    **dict.fromkeys(("id", "feature id", "fid", "no", "#", "编号", "功能编号", "特性编号", "序号"), "id"),
    **dict.fromkeys(
        ("name", "feature", "feature name", "title", "名称", "功能", "特性", "功能名称", "特性名称"), "name"
    ),
    **dict.fromkeys(("機能", "機能名", "名前", "기능", "기능명", "이름", "funktion", "bezeichnung"), "name"),
    **dict.fromkeys(("slug", "feature slug", "key", "短名", "标识"), "slug"),
    **dict.fromkeys(("description", "desc", "summary", "details", "描述", "说明", "简介"), "description"),
    **dict.fromkeys(("説明", "概要", "설명", "beschreibung"), "description"),
    **dict.fromkeys(("roles", "role", "owners", "roles involved", "角色", "参与角色", "相关角色"), "roles"),
    **dict.fromkeys(
        ("related roles", "contributing roles", "participating roles", "involved roles", "responsible roles"),
        "roles",
    ),
    **dict.fromkeys(("贡献角色", "涉及角色", "负责角色", "關聯角色", "相關角色", "參與角色"), "roles"),
    **dict.fromkeys(("ロール", "関連ロール", "担当ロール", "役割", "関係ロール"), "roles"),
    **dict.fromkeys(("역할", "관련 역할", "rollen", "beteiligte rollen"), "roles"),
    **dict.fromkeys(
        ("priority", "prio", "优先级", "優先度", "優先順位", "우선순위", "priorität"),
        "priority",
    ),
}
_ROLE_SPLIT = re.compile("[,;/\u3001\uff0c]")  # also the ideographic and fullwidth commas


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


def _folded(cell: str) -> str:
    return re.sub(r"[\s_\-]+", " ", cell.strip(" *`").lower()).strip()


def _is_heading(line: str) -> bool:
    stripped = line.lstrip()
    return stripped.startswith("#") and any(w in stripped.lower() for w in HEADING_WORDS)


def has_decomposition(text: str) -> bool:
    lowered = text.lower()
    return any(w in lowered for w in HEADING_WORDS)


class Decomposition:
    """The features of the table, and what the reader normalised on the way (as warnings)."""

    def __init__(self, features: list[Feature], warnings: list[str]) -> None:
        self.features = features
        self.warnings = warnings


OVERRIDE_HINT = (
    "the guidance specification is read-only: write the features to .process/feature-decomposition.json "
    '([{"id": "F-001", "name": "...", "slug": "...", "roles": ["..."], "priority": "High"}, ...]) '
    "and run the command again"
)


# SYN-DECOMP-READ
def read(text: str, file: str = "guidance-specification.md") -> Decomposition:
    """The features of the first table under a "Feature Decomposition" heading (English or Chinese)."""
    lines = text.splitlines()
    start = next((i for i, ln in enumerate(lines) if _is_heading(ln)), None)
    if start is None:
        raise InvalidInput(f"no heading containing 'Feature Decomposition'; {OVERRIDE_HINT}", file=file)
    rows: list[tuple[int, str]] = []
    for number, line in enumerate(lines[start + 1 :], start=start + 2):
        if line.lstrip().startswith("#"):
            break
        if line.strip().startswith("|"):
            rows.append((number, line))
        elif rows:
            break
    if len(rows) < 2:
        raise InvalidInput(f"no table under the heading on line {start + 1}; {OVERRIDE_HINT}", file=file)
    warnings: list[str] = []
    header: list[str] = []
    for cell in _cells(rows[0][1]):
        column = _HEADER_ALIASES.get(_folded(cell), "")
        header.append("" if column in header else column)
    # The seed's own table has no name column: its feature name is the description.
    for needed in ("id", "name") if "description" not in header else ("id",):
        if needed not in header:
            raise InvalidInput(
                f"line {rows[0][0]}: Feature Decomposition table has no {needed!r} column "
                f"(header: {rows[0][1].strip()[:120]}); {OVERRIDE_HINT}",
                file=file,
            )
    features = [_feature(number, line, header, file, warnings) for number, line in rows[2:]]
    seen: dict[str, int] = {}
    for number, feature in zip((n for n, _ in rows[2:]), features, strict=True):
        if feature.id in seen:
            raise InvalidInput(
                f"line {number}: feature id {feature.id} appears twice (first on line {seen[feature.id]}); "
                + OVERRIDE_HINT,
                file=file,
            )
        seen[feature.id] = number
    if not features:
        raise InvalidInput(f"Feature Decomposition table has no rows; {OVERRIDE_HINT}", file=file)
    return Decomposition(features, warnings)


def _feature(number: int, line: str, header: list[str], file: str, warnings: list[str]) -> Feature:
    cells = dict(zip(header, _cells(line), strict=False))
    where = f"line {number}"
    raw_id = cells.get("id", "").strip("*` ")
    fid = raw_id.upper().replace("F_", "F-")
    if not FEATURE_ID.match(fid):
        raise InvalidInput(
            f"{where}: feature id {raw_id!r} is not of the form F-001; {OVERRIDE_HINT}", file=file
        )
    # SYN-DECOMP-NORMALISED
    if fid != raw_id:
        warnings.append(f"{file} {where}: read feature id {raw_id!r} as {fid}")
    description = cells.get("description", "")
    name = cells.get("name", "").strip("*` ") or description.strip("*` ")
    slug = cells.get("slug", "").strip("` ").lower()
    if not slug:
        slug = slugify(name)
        if not re.search(r"[A-Za-z]", name):
            slug = fid.lower()
            warnings.append(
                f"{file} {where}: the name {name!r} has no ASCII letters; slug {slug!r} derived from the id "
                "(add a Slug column to choose one)"
            )
    if not SLUG.match(slug):
        fixed = slugify(slug) or fid.lower()
        warnings.append(f"{file} {where}: slug {slug!r} read as {fixed!r}")
        slug = fixed
    raw_priority = cells.get("priority", "").strip("*` ")
    priority = normalise_priority(raw_priority) if raw_priority else "Medium"
    if priority is None:
        priority = raw_priority
        warnings.append(
            f"{file} {where}: priority {raw_priority!r} is not High, Medium or Low; kept as written"
        )
    elif raw_priority and priority != raw_priority:
        warnings.append(f"{file} {where}: priority {raw_priority!r} read as {priority}")
    roles = tuple(r.strip("` *") for r in _ROLE_SPLIT.split(cells.get("roles", "")) if r.strip("` *"))
    return Feature(fid, name or fid, slug, description, roles, priority)


OVERRIDE = ".process/feature-decomposition.json"  # relative to the session folder


def from_override(data: object, file: str) -> Decomposition:
    """The features of an override file: a JSON list of {id, name, slug?, description?, roles?, priority?}."""
    if not isinstance(data, list) or not data:
        raise InvalidInput("must be a non-empty JSON list of features", file=file, pointer="/")
    header = ["id", "name", "slug", "description", "roles", "priority"]
    warnings: list[str] = []
    features: list[Feature] = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not all(isinstance(item.get(k, ""), (str, list)) for k in header):
            raise InvalidInput(
                "each feature is an object of strings (roles: a list)", file=file, pointer=f"/{i}"
            )
        roles = item.get("roles", [])
        cells = [*(str(item.get(k, "")).replace("|", "/") for k in header[:4])]
        cells += [", ".join(roles) if isinstance(roles, list) else str(roles), str(item.get("priority", ""))]
        features.append(_feature(i, "| " + " | ".join(cells) + " |", header, f"{file} item", warnings))
    ids = [f.id for f in features]
    if len(set(ids)) != len(ids):
        raise InvalidInput("a feature id appears twice", file=file, pointer="/")
    return Decomposition(features, warnings)


def feature_ids(brainstorm_dir: Path) -> list[str] | None:
    """Feature ids of the session's decomposition (the override file first); None when there is none."""
    import json

    from specrail.fileio import read_text

    override = brainstorm_dir.parent / OVERRIDE
    guidance = brainstorm_dir / "guidance-specification.md"
    try:
        if override.is_file():
            return [f.id for f in from_override(json.loads(read_text(override, str(override))), "").features]
        text = read_text(guidance, str(guidance))
        return [f.id for f in parse(text)] if has_decomposition(text) else None
    except (SpecrailError, ValueError):
        return None


def parse(text: str, file: str = "guidance-specification.md") -> list[Feature]:
    """The features of the decomposition (see `read`), without the warnings."""
    return read(text, file).features
