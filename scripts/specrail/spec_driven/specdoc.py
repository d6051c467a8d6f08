"""A spec file as the workflow sees it: version line, numbered sections, revision history (stdlib only)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from specrail.spec_driven.mdblocks import Heading, scan
from specrail.validation.markdown import FENCE, numbered

VERSION_LINE = re.compile(
    r"^[\s>*_-]*version[*_]*\s*:?[*_]*\s*:?\s*v?([0-9]+(?:\.[0-9]+)*(?:[-+][0-9A-Za-z.-]+)?)", re.IGNORECASE
)
SECTION_KEY = re.compile(r"[0-9]+(?:\.[0-9]+)*")
HISTORY_TITLE = re.compile(r"revision history|change\s*log", re.IGNORECASE)
DEPRECATED_TITLE = re.compile(r"\bdeprecated\b", re.IGNORECASE)
DEPRECATED_LINE = re.compile(r"^\s*(?:>\s*)?[*_]*\s*(?:status\s*:\s*)?[*_]*\s*\[?deprecated\b", re.IGNORECASE)
DEPENDS_LINE = re.compile(r"^\s*(?:[-*]\s*)?[*_]*depends(?:\s+on)?[*_]*\s*:[*_]*\s*(.+)$", re.IGNORECASE)
DEPENDS_ITEM = re.compile(r"\bT-[0-9]{3,}\b|(?<![\w.])§?\s*([0-9]+(?:\.[0-9]+)*)\b")
CODE_EXTENSIONS = (
    "py|pyi|rs|ts|tsx|js|jsx|mjs|cjs|go|java|kt|rb|c|h|cc|cpp|hpp|cs|swift|php|scala|sh|"
    "toml|yaml|yml|json|ini|cfg|sql|html|css|md|txt"
)
PATH = re.compile(rf"(?:[\w.-]+/)*[\w-][\w.-]*\.(?:{CODE_EXTENSIONS})")  # \w: any script's letters
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
    """One section: `number` is its key, the section number when the heading is numbered
    (`3.2`), else its heading path (`Architecture/Parser`)."""

    number: str
    title: str
    level: int
    line: int
    body: str
    deprecated: bool
    end: int = 0  # the heading's last line (a setext heading's underline)

    @property
    def numbered(self) -> bool:
        return SECTION_KEY.fullmatch(self.number) is not None

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
    headings: list[Heading] = field(default_factory=list)

    def by_number(self) -> dict[str, SpecSection]:
        return {s.number: s for s in self.sections}

    def live_text(self) -> str:
        """The text outside deprecated sections and the revision history."""
        dropped = [(s.line, s.level) for s in self.sections if s.deprecated]
        if self.history_line is not None:
            level = next((h.level for h in self.headings if h.line == self.history_line), 1)
            dropped.append((self.history_line, level))
        skip: set[int] = set()
        for start, level in dropped:
            after = [h.line for h in self.headings if h.line > start and h.level <= level]
            skip.update(range(start, after[0] if after else len(self.text.splitlines()) + 1))
        return "\n".join(ln for n, ln in enumerate(self.text.splitlines(), start=1) if n not in skip)


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


def _title_heading(headings: list[Heading]) -> Heading | None:
    """The document's title: a first heading of level 1 that no other level-1 heading follows."""
    if headings and headings[0].level == 1 and all(h.level > 1 for h in headings[1:]):
        return headings[0]
    return None


def parse(text: str) -> SpecDoc:
    """Parse a spec: its sections keyed by number, or by heading path when unnumbered."""
    blocks = scan(text)
    lines = text.splitlines()
    version = None
    for number, line in enumerate(lines, start=1):
        if number not in blocks.code and not line.lstrip().startswith("|"):
            match = VERSION_LINE.match(line)
            if match:
                version = match.group(1)
                break
    title = _title_heading(blocks.headings)
    headings = [h for h in blocks.headings if h is not title and h.title]
    breaks = set(blocks.breaks)
    out: list[SpecSection] = []
    anchors = {slug_anchor(h.title) for h in blocks.headings if h.title}
    anchors.update(re.findall(r'<a\s+(?:name|id)="([^"]+)"', text))
    history: list[tuple[str, ...]] = []
    history_line = None
    deprecated_prefixes: list[str] = []
    stack: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for i, head in enumerate(headings):
        stop = headings[i + 1].line - 1 if i + 1 < len(headings) else len(lines)
        body = [lines[n - 1] for n in range(head.end + 1, stop + 1) if n not in breaks]
        while stack and stack[-1][0] >= head.level:
            stack.pop()
        parsed = numbered(head.title)
        plain = re.sub(r"\s*\{#[A-Za-z0-9_-]+\}\s*$", "", parsed[1] if parsed else head.title)
        stack.append((head.level, plain.replace("/", "-")))
        if HISTORY_TITLE.search(head.title):
            history, history_line = _history_rows(body), head.line
            continue
        key = parsed[0] if parsed else "/".join(t for _, t in stack)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            key = f"{key} ({seen[key]})"
        inherited = any(key.startswith(p + ("." if parsed else "/")) for p in deprecated_prefixes)
        marked = bool(DEPRECATED_TITLE.search(plain)) or any(DEPRECATED_LINE.match(ln) for ln in body[:6])
        if marked:
            deprecated_prefixes.append(key)
        out.append(
            SpecSection(key, plain, head.level, head.line, "\n".join(body), marked or inherited, head.end)
        )
    return SpecDoc(text, version, out, history, history_line, anchors, blocks.headings)


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
