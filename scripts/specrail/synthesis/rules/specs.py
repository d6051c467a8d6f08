"""Rules of the synthesis specs: a feature spec (name, title, seven sections, shares and lengths,
dependencies, decisions) and the single spec of a session without feature decomposition (stdlib only)."""

from __future__ import annotations

from pathlib import Path

from specrail.validation import hollow
from specrail.validation.kinds import FEATURE_SPEC_NAME
from specrail.validation.markdown import Section, count_words, numbered, sections, words_under
from specrail.validation.md_rules import generic
from specrail.validation.placeholders import placeholder_issues
from specrail.validation.report import FileResult, Issue
from specrail.validation.spec_decisions import decision_issues, json_near
from specrail.validation.spec_words import (
    DEPENDENCY_ENTRIES,
    FEATURE_SPEC_SECTIONS,
    SPEC_TITLES,
    expected_heading,
    has_names,
    section_name_matches,
)

SPEC_WORDS = (1500, 2500)
DESIGN_SHARE = 0.40


def _under(secs: list[Section], index: int) -> str:
    """Text of section `index` with its sub-sections."""
    parts = [secs[index].text]
    for sec in secs[index + 1 :]:
        if sec.level <= secs[index].level:
            break
        parts += [sec.title, sec.text]
    return "\n".join(parts).lower()


def _dependency_entries(file: str, secs: list[Section], index: int) -> list[Issue]:
    """Section 7 states both directions, even when the answer is "none"."""
    body = _under(secs, index)
    return [
        Issue(
            file,
            "§7 Cross-Feature Dependencies",
            f"no '{entry}' entry",
            hint=f"add '- **{entry}**: F-00x, ...' (or 'none')",
        )
        for entry, others in DEPENDENCY_ENTRIES
        if entry.lower() not in body and not any(word in body for word in others)
    ]


def feature_spec(file: str, text: str, path: Path, result: FileResult) -> list[Issue]:
    issues: list[Issue] = []
    # SYN-SPEC-NAME
    if not FEATURE_SPEC_NAME.match(path.name):
        issues.append(
            Issue(file, "", "feature spec file name must be F-{id}-{slug}.md (e.g. F-001-offline-sync.md)")
        )
    secs = sections(text)
    title = next((s for s in secs if s.level == 1), None)
    feature_id = (
        path.name.split("-", 2)[0] + "-" + path.name.split("-", 2)[1] if path.name.count("-") >= 2 else ""
    )
    language = _session_language(path)
    named = title is not None and bool(feature_id) and feature_id in title.title
    # SYN-SPEC-TITLE
    if title is None or not (title.title.startswith(SPEC_TITLES) or (named and not has_names(language))):
        issues.append(Issue(file, "line 1", "missing '# Feature Spec: {id} - {name}' title"))
    elif feature_id and feature_id not in title.title:
        issues.append(Issue(file, f"line {title.line}", f"title does not name {feature_id}"))
    # SYN-SPEC-SECTIONS
    top = [(i, s) for i, s in enumerate(secs) if s.level == 2]
    found: dict[int, tuple[int, Section]] = {}
    for i, sec in top:
        parsed = numbered(sec.title)
        if not parsed:
            continue
        number, name = parsed
        expected = (
            FEATURE_SPEC_SECTIONS[int(number) - 1] if number.isdigit() and 0 < int(number) <= 7 else None
        )
        if expected is None:
            issues.append(Issue(file, f"line {sec.line}", f"unexpected section '{sec.title}'"))
            continue
        if not section_name_matches(name, int(number)):
            wanted = expected_heading(int(number))
            if has_names(language):
                issues.append(
                    Issue(
                        file,
                        f"line {sec.line}",
                        f"unexpected section '{sec.title}': expected {wanted}",
                        hint=f"title the section {wanted}",
                    )
                )
                continue
            issues.append(  # a language whose names specrail does not know: read by its number
                Issue(
                    file,
                    f"line {sec.line}",
                    f"section '{sec.title}' is read as {expected} by its number",
                    severity="warning",
                    hint=f"if it is not, title it {wanted}",
                )
            )
        if int(number) in found:
            issues.append(Issue(file, f"line {sec.line}", f"section {number} appears twice"))
            continue
        found[int(number)] = (i, sec)
    order = [n for n, _ in sorted(found.items(), key=lambda kv: kv[1][1].line)]
    for n in range(1, 8):
        if n not in found:
            issues.append(Issue(file, f"§{n} {FEATURE_SPEC_SECTIONS[n - 1]}", "section missing"))
    if order != sorted(order):
        issues.append(Issue(file, "sections", f"sections out of order: {', '.join(map(str, order))}"))
    # SYN-PLACEHOLDER
    issues += placeholder_issues(file, secs, text)
    if 1 in found:
        first = found[1][0]
        total = sum(s.words for s in secs[first:]) + sum(count_words(s.title) for s in secs[first + 1 :])
        design = words_under(secs, found[2][0]) if 2 in found else 0
        share = design / total if total else 0.0
        result.facts.update(words=total, design_decisions_share=round(share, 3))
        # SYN-SPEC-SHARE
        if 2 in found and share < DESIGN_SHARE:
            issues.append(
                Issue(
                    file,
                    "§2 Design Decisions",
                    f"Design Decisions holds {share:.0%} of the words; at least {DESIGN_SHARE:.0%} expected",
                    hint="move rationale, options and trade-offs into section 2 or expand it",
                )
            )
        low, high = SPEC_WORDS
        contents = {n: (i, FEATURE_SPEC_SECTIONS[n - 1]) for n, (i, _) in found.items() if n <= 5}
        issues += hollow.empty_sections(file, secs, contents) + hollow.below_floor(file, total, SPEC_WORDS)
        # SYN-SPEC-LENGTH
        if total >= hollow.SPEC_FLOOR and not low <= total <= high:
            issues.append(Issue(file, "", f"{total} words; the target is {low}-{high}", severity="warning"))
    # SYN-SPEC-DEPENDENCIES
    if 7 in found:
        issues += _dependency_entries(file, secs, found[7][0])
    issues += decision_issues(file, text, secs, found, path, feature_id)
    return issues


def _session_language(path: Path) -> str | None:
    """The language of the session a spec belongs to (None when the spec is outside a session)."""
    session = json_near(path.parent.parent.parent / "workflow-session.json")
    language = session.get("language") if isinstance(session, dict) else None
    return language if isinstance(language, str) else None


SINGLE_SPEC_WORDS = 300
DECISION_HEADINGS = ("decision", "决策", "决定", "決定", "設計判断", "결정", "entscheidung")
SINGLE_SPEC_ADVISED = (
    ("Requirements Summary", ("requirement", "需求", "要件", "요구", "anforderung")),
    (
        "Acceptance Criteria",
        ("acceptance", "验收", "受け入れ", "受入", "인수", "수용", "abnahme", "akzeptanz"),
    ),
)


def synthesis_specification(file: str, text: str, path: Path, result: FileResult) -> list[Issue]:
    """The single spec of a session without feature decomposition: a titled document that carries
    the synthesis decisions (the seed: every decision, resolution and answer ends up in the spec)."""
    secs = sections(text)
    issues = generic("synthesis-specification")(file, text, path, result)
    if not text.strip():
        return issues
    titles = [s.title.lower() for s in secs if s.level]
    # SYN-SINGLE-TITLE
    if not any(s.level == 1 for s in secs):
        issues.append(
            Issue(file, "line 1", "no '# ' title", hint="start with '# Synthesis Specification: {topic}'")
        )
    # SYN-SINGLE-DECISIONS
    if not any(word in t for t in titles for word in DECISION_HEADINGS):
        issues.append(
            Issue(
                file,
                "sections",
                "no Design Decisions section: the spec must carry the synthesis decisions",
                hint="add '## Design Decisions' with each decision, its options, rationale and trade-offs",
            )
        )
    # SYN-SINGLE-ADVISED
    for name, words in SINGLE_SPEC_ADVISED:
        if not any(word in t for t in titles for word in words):
            issues.append(
                Issue(
                    file,
                    "sections",
                    f"no {name} section",
                    severity="warning",
                    hint=f"add '## {name}' as the feature spec template has it",
                )
            )
    total = sum(s.words for s in secs)
    result.facts.update(words=total)
    # SYN-SINGLE-LENGTH
    if total < SINGLE_SPEC_WORDS:
        issues.append(
            Issue(
                file,
                "",
                f"{total} words: too short to consolidate the role analyses",
                severity="warning",
                hint="consolidate requirements, decisions, interfaces, risks and acceptance criteria",
            )
        )
    return issues
