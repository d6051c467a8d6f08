"""Placeholders: the template's unfilled fields and explicit markers, in any language (stdlib only)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from specrail.validation.markdown import Section
from specrail.validation.report import Issue

# Placeholders are the seed template's unfilled fields and explicit markers, nothing else: code
# spans, links, URLs and ordinary words ("todo", "[Done]", "{account_id}" in code) are content.
TEMPLATE_FIELDS = frozenset(
    (
        "feature_id",
        "feature_name",
        "feature_priority",
        "feature_slug",
        "feature id",
        "role",
        "role-1",
        "role-n",
        "timestamp",
        "session_id",
        "sessionid",
        "session-id",
        "title",
        "topic",
        "resolution",
        "confidence",
        "question",
        "answer",
        "category",
        "ep-id",
        "score",
        "count",
        "spec_file",
        "description of fix",
        "description of issue",
        # the spec-driven seed's templates (Proposal Summary, Refinement Summary, Final Summary)
        "user's request, paraphrased",
        "what this achieves",
        "spec_file_1",
        "spec_file_2",
        "change_1",
        "change_2",
        "decision_1",
        "decision_2",
        "issue_1",
        "total_time",
        "commit_hash",
        "files_changed",
        "lines_added",
        "lines_removed",
    )
)
TEMPLATE_BRACKETS = frozenset(
    s.lower()
    for s in (
        "list of roles",
        "Consolidated requirements from all role perspectives",
        "Key architectural and design decisions with rationale - 40%+ of word count",
        "What was decided",
        "Why this decision was needed",
        "Alternatives from different roles",
        "Selected option with rationale",
        "What we gain vs. what we sacrifice",
        "Which role(s) drove this decision",
        "API endpoints, data models, component interfaces",
        "Technical constraints, business risks, mitigation strategies",
        "Testable criteria for feature completion",
        "Pointers back to role-specific analysis documents",
        "Dependencies on and from other features",
        "Feature IDs this feature requires",
        "Feature IDs that depend on this feature",
        "Specific interfaces between features",
        "resolution",
        "topic",
        "tradeoff",
        "reason",
        "consequence",
        "pros/cons of each",
        "strongest competing view",
        "role1: approach1",
        "role2: approach2",
        "from conflict.resolution",
    )
)
# Markers of the languages the sessions are written in: "undecided", "to be decided", "needs review",
# "to be filled in" stand alone (未定義, "undefined", and 待定事项, "pending items", are words), and
# runs of circles or crosses (U+3007, U+25CB, U+00D7 twice or more, XX) stand for a value to write.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_MARKERS = ("未定", "待定", "要検討", "要检讨", "待补充", "待填写", "待确认", "待確認", "未決定", "未决定")
_FILL_IN = "ここに|記入|入力して|填写|填入|请输入|此处|여기에|입력|eintragen|einfügen|ausfüllen"
MARKER = re.compile(
    r"\bTBD\b|\bTODO\b:?|\bFIXME\b|[?\uff1f]{3}|(?i:lorem ipsum)|\[(?:INSERT|FILL IN|PLACEHOLDER)\b[^\]\n]*\]"
    rf"|(?:{'|'.join(CJK_MARKERS)})(?![{_HAN}])|(?<![\uac00-\ud7af])미정(?![\uac00-\ud7af])"
    r"|[\u3007\u25cb\u25ef]{2,}|\u00d7{2,}|(?<![A-Za-z0-9])X{2,}(?![A-Za-z0-9])"
    rf"|\[[^\[\]\n]{{0,40}}?(?:{_FILL_IN})[^\[\]\n]{{0,40}}\](?!\()"
    r"|\{([^{}\n]{1,40})\}|\[([^\[\]\n]{2,90})\](?!\()"
)
# Code spans, autolinks, URLs and link targets are content. A link target holds no parenthesis
# or bracket, so no start rescans the rest of the line (the match stays linear in its length).
CODE_OR_URL = re.compile(r"`+[^`\n]*`+|<?https?://[^\s)>]+>?|\]\([^()\[\]\n]*\)")
# A quick proof that a text holds no placeholder: none of the markers' first characters.
PLACEHOLDER_WORDS = ("lorem ipsum",)
IGNORECASE_FOLD = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s"})
_TRIGGERS: tuple[str, ...] = ("TBD", "TODO", "FIXME", "???", "\uff1f", "{", "[", "XX", "\u00d7\u00d7")
_TRIGGERS += ("\u3007", "\u25cb", "\u25ef", "미정", *CJK_MARKERS)


def has_no_placeholder(text: str) -> bool:
    """True only when `placeholders_in` finds nothing in any line of `text` (False: look closer)."""
    if any(t in text for t in _TRIGGERS):
        return False
    lowered = text.translate(IGNORECASE_FOLD).lower()
    return not any(word in lowered for word in PLACEHOLDER_WORDS)


def _template_field(field: str) -> bool:
    """`{feature_name}`, `{...}`, or a field named in another script (`{機能名}`, `{功能名称}`)."""
    name = field.strip()
    return (
        name.lower() in TEMPLATE_FIELDS
        or name.strip(".\u2026") == ""
        or any(c.isalpha() and not c.isascii() for c in name)
    )


def placeholders_in(line: str) -> list[str]:
    """The placeholders of one line outside code spans, links and URLs."""
    visible = CODE_OR_URL.sub(lambda m: " " * len(m.group(0)), line)
    found = []
    for match in MARKER.finditer(visible):
        field, bracket = match.group(1), match.group(2)
        if field is not None and (
            not _template_field(field) or visible[match.start() - 1 : match.start()] == "/"
        ):
            continue  # not a template field, or a path parameter such as /notes/{topic}
        if bracket is not None and bracket.strip().lower() not in TEMPLATE_BRACKETS:
            continue
        found.append(match.group(0))
    return found


def outside_fences(lines: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(1-based number, line) of each line outside a fenced code block (a fence's opening line is
    inside it, its closing line outside)."""
    fenced = False
    for number, line in enumerate(lines, start=1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        if not fenced:
            yield number, line


def placeholder_issues(file: str, secs: list[Section], text: str | None = None) -> list[Issue]:
    """Placeholders outside code fences; with the whole `text`, a text without any is passed at once
    (no match spans two lines, so the lines hold no more matches than the whole text)."""
    if text is not None and has_no_placeholder(text):
        return []
    issues = []
    for sec in secs:
        for offset, line in outside_fences(sec.body):
            for found in placeholders_in(line):
                issues.append(
                    Issue(
                        file,
                        f"line {sec.line + offset}",
                        f"placeholder {found!r}",
                        hint="write the content, or mark a genuinely open decision with [DECISION NEEDED]",
                    )
                )
    return issues
