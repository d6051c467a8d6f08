"""A spec file as the workflow sees it: version line, numbered sections, revision history (stdlib only)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from specrail.validation.markdown import FENCE, numbered, sections

VERSION_LINE = re.compile(
    r"^[\s>*_-]*version[*_]*\s*:?[*_]*\s*:?\s*v?([0-9]+(?:\.[0-9]+)*(?:[-+][0-9A-Za-z.-]+)?)", re.IGNORECASE
)
HISTORY_TITLE = re.compile(r"revision history|change\s*log", re.IGNORECASE)
DEPRECATED_TITLE = re.compile(r"\bdeprecated\b", re.IGNORECASE)
DEPRECATED_LINE = re.compile(r"^\s*(?:>\s*)?[*_]*\s*(?:status\s*:\s*)?[*_]*\s*\[?deprecated\b", re.IGNORECASE)
DEPENDS_LINE = re.compile(r"^\s*(?:[-*]\s*)?[*_]*depends(?:\s+on)?[*_]*\s*:[*_]*\s*(.+)$", re.IGNORECASE)
DEPENDS_ITEM = re.compile(r"\bT-[0-9]{3,}\b|(?<![\w.])§?\s*([0-9]+(?:\.[0-9]+)*)\b")
CODE_EXTENSIONS = (
    "py|pyi|rs|ts|tsx|js|jsx|mjs|cjs|go|java|kt|rb|c|h|cc|cpp|hpp|cs|swift|php|scala|sh|"
    "toml|yaml|yml|json|ini|cfg|sql|html|css|md|txt"
)
PATH = re.compile(rf"(?:[A-Za-z0-9_.-]+/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*\.(?:{CODE_EXTENSIONS})")
BARE_PATH = re.compile(rf"(?<![\w/.:-])({PATH.pattern})(?![\w/-])")
BACKTICKED = re.compile(r"`([^`\n]+)`")
TERM = re.compile(
    r"\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+\b"  # CamelCase: WizardMenu, RuleBuilderState
    r"|\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b"  # UPPER_SNAKE: SPEC_UPDATE
    r"|\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b"  # snake_case: add_note
)
BACKTICKED_WORD = re.compile(r"`([A-Z][A-Za-z0-9_]{2,})`")


@dataclass(frozen=True)
class SpecSection:
    number: str
    title: str
    level: int
    line: int
    body: str
    deprecated: bool

    @property
    def normalized(self) -> str:
        lines = [ln.rstrip() for ln in self.body.splitlines()]
        return "\n".join(ln for ln in lines if ln).strip()


@dataclass
class SpecDoc:
    """What the diff, the alignment check and the task extraction read from one spec."""

    text: str
    version: str | None
    sections: list[SpecSection]
    history_rows: list[tuple[str, ...]]
    history_line: int | None
    anchors: set[str] = field(default_factory=set)

    def by_number(self) -> dict[str, SpecSection]:
        return {s.number: s for s in self.sections}

    def live_text(self) -> str:
        """The text outside deprecated sections and the revision history."""
        skip = {s.line for s in self.sections if s.deprecated}
        lines = self.text.splitlines()
        keep: list[str] = []
        dropping = False
        level_dropped = 0
        for number, line in enumerate(lines, start=1):
            heading = re.match(r"^(#{1,6})\s", line)
            if heading:
                level = len(heading.group(1))
                if dropping and level <= level_dropped:
                    dropping = False
                if number in skip or (self.history_line == number):
                    dropping, level_dropped = True, level
            if not dropping:
                keep.append(line)
        return "\n".join(keep)


def slug_anchor(title: str) -> str:
    """The anchor GitHub derives from a heading."""
    custom = re.search(r"\{#([A-Za-z0-9_-]+)\}\s*$", title)
    if custom:
        return custom.group(1)
    return re.sub(r"[^\w\- ]", "", title.lower()).strip().replace(" ", "-")


def _history_rows(body: list[str]) -> list[tuple[str, ...]]:
    rows = [ln.strip() for ln in body if ln.strip().startswith("|")]
    out = []
    for row in rows[1:]:  # the first row is the header
        cells = tuple(c.strip() for c in row.strip("|").split("|"))
        if all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
            continue
        out.append(cells)
    return out


def parse(text: str) -> SpecDoc:
    """Parse a spec; unnumbered headings are kept only as anchors."""
    version = None
    fenced = False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        if not fenced and not line.lstrip().startswith("|"):
            match = VERSION_LINE.match(line)
            if match:
                version = match.group(1)
                break
    secs = sections(text)
    out: list[SpecSection] = []
    anchors: set[str] = set()
    history: list[tuple[str, ...]] = []
    history_line = None
    deprecated_prefixes: list[str] = []
    for sec in secs[1:]:
        anchors.add(slug_anchor(sec.title))
        anchors.update(re.findall(r'<a\s+(?:name|id)="([^"]+)"', sec.text))
        if HISTORY_TITLE.search(sec.title):
            history, history_line = _history_rows(sec.body), sec.line
            continue
        parsed = numbered(sec.title)
        if parsed is None:
            continue
        number, title = parsed
        title = re.sub(r"\s*\{#[A-Za-z0-9_-]+\}\s*$", "", title)
        inherited = any(number.startswith(p + ".") for p in deprecated_prefixes)
        marked = bool(DEPRECATED_TITLE.search(title)) or any(DEPRECATED_LINE.match(ln) for ln in sec.body[:6])
        if marked:
            deprecated_prefixes.append(number)
        out.append(SpecSection(number, title, sec.level, sec.line, sec.text, marked or inherited))
    return SpecDoc(text, version, out, history, history_line, anchors)


def version_key(version: str) -> tuple[int, ...] | None:
    parts = re.split(r"[.+-]", version)
    if not all(p.isdigit() for p in parts):
        return None
    return tuple(int(p) for p in parts)


def bumped(before: str | None, after: str | None) -> bool:
    """True when `after` is a later version than `before` (any version counts for a new spec)."""
    if after is None:
        return False
    if before is None:
        return True
    old, new = version_key(before), version_key(after)
    if old is None or new is None:
        return before != after
    width = max(len(old), len(new))
    return new + (0,) * (width - len(new)) > old + (0,) * (width - len(old))


def _clean_path(candidate: str) -> str | None:
    path = candidate.strip().removeprefix("./")
    if "://" in path or path.startswith(("/", "~")) or ".." in path.split("/"):
        return None
    return path if PATH.fullmatch(path) else None


def mentioned_paths(text: str) -> list[str]:
    """File paths a section names: any `backticked` path, or a bare one with a folder."""
    found: list[str] = []
    fenced = False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
            continue
        for match in BACKTICKED.finditer(line):
            path = _clean_path(match.group(1))
            if path:
                found.append(path)
        for match in BARE_PATH.finditer(BACKTICKED.sub(" ", line)):
            path = _clean_path(match.group(1))
            if path and "/" in path:
                found.append(path)
    return list(dict.fromkeys(found))


def dependency_hints(text: str) -> list[str]:
    """Section numbers and task ids named on a `Depends: ...` line."""
    hints: list[str] = []
    for line in text.splitlines():
        match = DEPENDS_LINE.match(line)
        if not match:
            continue
        for item in DEPENDS_ITEM.finditer(match.group(1)):
            hints.append(item.group(1) or item.group(0))
    return list(dict.fromkeys(hints))


def terms(text: str) -> set[str]:
    """Identifier-like terms: CamelCase, UPPER_SNAKE, snake_case and `Capitalized` code words."""
    found = set(TERM.findall(text))
    found.update(BACKTICKED_WORD.findall(text))
    return found
