"""The mechanical part of the review checklist, as findings for the review agent (stdlib only)."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from functools import cached_property

from specrail.validation.json_rules import FEATURE_REF
from specrail.validation.markdown import numbered, sections
from specrail.validation.topics import Haystack, decision_surfaced, mentions

# Possessive quantifiers: a run of spaces is taken once, not split between the optional parts.
DEPENDS = re.compile(
    r"^\s*+(?:[-*+]\s*+)?(?:#+\s*+)?\**+\s*+(depends on|required by)\b\**\s*:?\**(.*)$", re.IGNORECASE
)
EP_ID = re.compile(r"EP-[0-9]{3,}")
NEW_ITEM = re.compile(r"^(?:[-*+]\s|#|\*\*)")
DEFER_PREFIXES = ("Decide later", "暂缓决定")


@dataclass(frozen=True)
class Finding:
    """One checklist item that failed: minor ones are fixed in place, major ones flagged."""

    check: str
    severity: str  # "minor" | "major"
    file: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


@dataclass
class Spec:
    """One spec file as the checks see it (`text` is not changed once read: derived forms are kept)."""

    feature_id: str | None
    file: str  # relative to .brainstorming
    text: str

    @cached_property
    def lowered(self) -> str:
        return self.text.lower()

    def section7(self) -> list[str]:
        """Lines of section 7 (Cross-Feature Dependencies), sub-headings included."""
        return list(self._section7)

    @cached_property
    def _section7(self) -> tuple[str, ...]:
        secs = sections(self.text)
        lines: list[str] = []
        inside = 0
        for sec in secs:
            parsed = numbered(sec.title) if sec.level else None
            if inside and sec.level <= inside:
                break
            if parsed and parsed[0] == "7" and "depend" in parsed[1].lower():
                inside = sec.level
                lines += sec.body
            elif inside:
                lines += [f"{'#' * sec.level} {sec.title}", *sec.body]
        return tuple(lines)

    def dependencies(self) -> dict[str, set[str]]:
        """Feature ids listed under "Depends on" and "Required by" in section 7."""
        found: dict[str, set[str]] = {"depends on": set(), "required by": set()}
        current: str | None = None
        for line in self.section7():
            match = DEPENDS.match(line)
            if match:
                current = match.group(1).lower()
                found[current].update(FEATURE_REF.findall(match.group(2)))
            elif NEW_ITEM.match(line.strip()) and not line.startswith((" ", "\t")):
                current = None
            elif current and line.strip():
                found[current].update(FEATURE_REF.findall(line))
        for ids in found.values():
            ids.discard(self.feature_id or "")
        return found


def dependency_findings(specs: list[Spec], pairs: list[tuple[str, str]]) -> list[Finding]:
    """Depends on / Required by that are not mirrored, and conflict-map cross refs not in section 7."""
    by_id = {s.feature_id: s for s in specs if s.feature_id}
    deps = {fid: s.dependencies() for fid, s in by_id.items()}
    out = []
    for fid, spec in by_id.items():
        for other in sorted(deps[fid]["depends on"]):
            if other not in by_id:
                out.append(
                    Finding("dependency", "major", spec.file, f"§7 depends on unknown feature {other}")
                )
            elif fid not in deps[other]["required by"]:
                out.append(
                    Finding(
                        "dependency",
                        "minor",
                        by_id[other].file,
                        f"{fid} depends on {other}, but §7 of {other} does not list {fid} under Required by",
                    )
                )
        for other in sorted(deps[fid]["required by"]):
            if other not in by_id:
                out.append(
                    Finding("dependency", "major", spec.file, f"§7 is required by unknown feature {other}")
                )
            elif fid not in deps[other]["depends on"]:
                out.append(
                    Finding(
                        "dependency",
                        "minor",
                        by_id[other].file,
                        f"{fid} lists {other} under Required by, but §7 of {other} does not list {fid} "
                        "under Depends on",
                    )
                )
    for a, b in pairs:
        if a in by_id and b not in "\n".join(by_id[a].section7()):
            out.append(
                Finding(
                    "cross-ref",
                    "minor",
                    by_id[a].file,
                    f"the conflict map's cross_refs of {a} name {b}, but §7 of {a} does not mention {b}",
                )
            )
    return out


def conflict_findings(
    spec_of: dict[str, Spec],
    conflicts: dict[str, list[tuple[str, str, str | None]]],
    decided: set[tuple[str, str]] | None = None,
) -> list[Finding]:
    """Conflicts (feature -> [(topic, confidence, resolution)]) that a spec does not address;
    `decided` are the (feature, topic) pairs the user answered in phase 4."""
    decided = decided or set()
    out = []
    for fid, items in conflicts.items():
        spec = spec_of.get(fid)
        if spec is None:
            continue
        for topic, confidence, resolution in items:
            if confidence == "[UNRESOLVED]" and (fid, topic) in decided:
                if not mentions(spec.text, topic):
                    out.append(
                        Finding(
                            "conflict",
                            "major",
                            spec.file,
                            f"the user decided '{topic}' in phase 4; the spec does not state the decision",
                        )
                    )
            elif confidence == "[UNRESOLVED]":
                if not decision_surfaced(spec.text, topic):
                    out.append(
                        Finding(
                            "conflict",
                            "major",
                            spec.file,
                            f"UNRESOLVED conflict '{topic}' has no [DECISION NEEDED] entry",
                        )
                    )
            elif not resolution:
                out.append(
                    Finding(
                        "conflict", "major", spec.file, f"{confidence} conflict '{topic}' has no resolution"
                    )
                )
            elif not mentions(spec.text, topic):
                out.append(
                    Finding(
                        "conflict",
                        "major",
                        spec.file,
                        f"{confidence} conflict '{topic}' is not addressed in the spec",
                    )
                )
    return out


def coverage_findings(
    specs: list[Spec], enhancements: list[tuple[str, str]], answers: list[tuple[str, str]]
) -> list[Finding]:
    """Selected enhancements (id, title) and answers (question, answer) not reflected in any spec."""
    everything = Haystack("\n".join(s.text for s in specs))  # searched once per item: kept
    target = specs[0].file if len(specs) == 1 else "(all specs)"
    by_id = {s.feature_id: s for s in specs if s.feature_id}
    out = []
    for ep, title in enhancements:
        found = ep in everything.enhancement_ids if EP_ID.fullmatch(ep) else ep in everything.text
        if not found and not mentions(everything, title, 0.8):
            out.append(
                Finding(
                    "enhancement",
                    "major",
                    target,
                    f"selected enhancement {ep} ({title}) is not reflected in any spec",
                )
            )
    for question, answer in answers:
        named = [f for f in FEATURE_REF.findall(question) if f in by_id]
        scope = by_id[named[0]] if named else None
        text = Haystack(scope.text) if scope else everything
        where = scope.file if scope else target
        if answer.startswith(DEFER_PREFIXES):
            if "[decision needed]" not in text.lowered:
                out.append(
                    Finding(
                        "clarification",
                        "major",
                        where,
                        f"the answer to '{question}' defers the decision, but no [DECISION NEEDED] is there",
                    )
                )
            continue
        chosen = answer.split(": ", 1)[1] if ": " in answer[:80] else answer
        if not mentions(text, chosen, 0.5):
            out.append(
                Finding(
                    "clarification",
                    "major",
                    where,
                    f"the answer to '{question}' ({chosen[:80]}) is not reflected",
                )
            )
    return out


def glossary(guidance: str | None) -> list[str]:
    """Terms of the first table under a "Terminology" (or "Glossary") heading."""
    if not guidance:
        return []
    for sec in sections(guidance):
        if sec.level and re.search(r"terminolog|glossary", sec.title, re.IGNORECASE):
            rows = [ln for ln in sec.body if ln.strip().startswith("|")]
            terms = [ln.strip().strip("|").split("|")[0].strip(" *`") for ln in rows[2:]]
            return [t for t in terms if t]
    return []


def _term_pattern(term: str) -> re.Pattern[str] | None:
    words = [w for w in re.split(r"[\s-]+", term.strip()) if w]
    if not words:
        return None
    if len(words) == 1:  # a single word may be split: "work space", "work-space" for "Workspace"
        if len(words[0]) < 6:
            return None
        body = r"[ -]?".join(re.escape(c) for c in words[0])
    else:
        body = r"[ -]?".join(re.escape(w) for w in words)
    return re.compile(r"\b" + body + r"(?:e?s)?\b", re.IGNORECASE)


def terminology_findings(specs: list[Spec], terms: list[str]) -> list[Finding]:
    """Glossary terms written with other separators (`merge-notice` for "Merge notice", "work space")."""
    out = []
    for term in terms:
        pattern = _term_pattern(term)
        if pattern is None:
            continue
        canonical = term.strip().lower()
        accepted = {canonical, canonical + "s", canonical + "es"}
        for spec in specs:
            variants = sorted(
                {m.group(0) for m in pattern.finditer(spec.text) if m.group(0).lower() not in accepted}
            )
            if variants:
                out.append(
                    Finding(
                        "terminology",
                        "minor",
                        spec.file,
                        f"glossary term '{term}' written as {', '.join(variants[:3])}",
                    )
                )
    return out
