"""`proposal.md`: the seed's ProposalSummary layout, parsed into fields (stdlib only)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

FIELD = re.compile(r"^\s*(?:[*_]{2})([A-Za-z ]+?)\s*:?\s*(?:[*_]{2})\s*:?\s*(.*)$")
ITEM = re.compile(r"^\s*(?:[-*+]|[0-9]+[.)])\s+(.*)$")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
# The user's answer to an open question: an indented `- Answer:` line below it (`answer-question` writes it).
ANSWER = re.compile(r"^\s+[-*+]\s+(?:[*_]{2})?Answer:(?:[*_]{2})?\s*(.*)$", re.IGNORECASE)
NEW_MARK = re.compile(r"[(\[]\s*new(?:\s+spec|\s+file)?\s*[)\]]", re.IGNORECASE)
NONE_WORDS = {
    "",
    "none",
    "none.",
    "n/a",
    "-",
    "no",
    "nothing",
    "(none)",
    "no open questions",
    "no open questions.",
}
REQUIRED = ("request", "intent", "affected specs", "key changes", "open questions")


@dataclass(frozen=True)
class AffectedSpec:
    path: str
    new: bool
    note: str


@dataclass
class ProposalDoc:
    request: str = ""
    intent: str = ""
    affected: list[AffectedSpec] = field(default_factory=list)
    key_changes: list[str] = field(default_factory=list)
    open_questions: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (location, message)


PLAIN_MD_PATH = re.compile(r"^(\S.*?\.md)(?=[\s,;:]|$)", re.IGNORECASE)


def _affected(item: str) -> AffectedSpec | None:
    new = bool(NEW_MARK.search(item))
    body = NEW_MARK.sub("", item).strip()
    link = LINK.search(body)
    tick = re.match(r"^`([^`]+)`", body)
    if link:
        path, rest = link.group(1), body[link.end() :]
    elif tick:
        path, rest = tick.group(1), body[tick.end() :]
    elif spaced := PLAIN_MD_PATH.match(body):  # a plain path may hold spaces: up to its `.md`
        path, rest = spaced.group(1), body[spaced.end() :]
    else:
        head, _, rest = body.partition(" ")
        path = head
    path = path.strip().rstrip(",;:").removeprefix("./")
    if not path:
        return None
    return AffectedSpec(path, new, rest.strip(" -:\u2013\u2014"))


def parse(text: str) -> ProposalDoc:
    """Fields of the first `Proposal Summary` section; problems name the field and line."""
    doc = ProposalDoc()
    lines = text.splitlines()
    start = next(
        (i for i, ln in enumerate(lines) if ln.lstrip().startswith("#") and "proposal summary" in ln.lower()),
        None,
    )
    if start is None:
        doc.problems.append(("section 'Proposal Summary'", "missing '## Proposal Summary' heading"))
        return doc
    fields: dict[str, tuple[int, str, list[str]]] = {}
    current: str | None = None
    for number, line in enumerate(lines[start + 1 :], start=start + 2):
        if re.match(r"^#{1,2}\s", line):
            break  # the summary ends at the next section of the same or a higher level
        match = FIELD.match(line)
        if match:
            current = match.group(1).strip().lower()
            fields[current] = (number, match.group(2).strip(), [])
            continue
        if current is not None:
            fields[current][2].append(line)
    for name in REQUIRED:
        if name not in fields:
            doc.problems.append((f"field '{name.title()}'", f"missing '**{name.title()}:**' line"))

    def items(name: str) -> list[tuple[int, str]]:
        if name not in fields:
            return []
        number, inline, rest = fields[name]
        out = [(number, inline)] if inline else []
        after_blank = False
        for offset, line in enumerate(rest, start=1):
            if ANSWER.match(line):
                continue  # an answer belongs to the question above it
            match = ITEM.match(line)
            if match:
                out.append((number + offset, match.group(1).strip()))
                after_blank = False
            elif not line.strip():
                after_blank = True
            elif out and not after_blank:  # a wrapped item continues; a new paragraph does not
                out[-1] = (out[-1][0], out[-1][1] + " " + line.strip())
        return out

    def prose(name: str) -> str:
        if name not in fields:
            return ""
        _, inline, rest = fields[name]
        return " ".join([inline, *(ln.strip() for ln in rest if ln.strip())]).strip()

    doc.request = prose("request")
    doc.intent = prose("intent")
    for name, value in (("request", doc.request), ("intent", doc.intent)):
        if name in fields and not value:
            doc.problems.append((f"line {fields[name][0]}", f"'{name.title()}' is empty"))
    for number, item in items("affected specs"):
        spec = _affected(item)
        if spec is None:
            doc.problems.append((f"line {number}", f"cannot read a spec path from {item!r}"))
        else:
            doc.affected.append(spec)
    doc.key_changes = [item for _, item in items("key changes")]
    questions = [item for _, item in items("open questions")]
    doc.open_questions = [q for q in questions if q.lower().strip(" *_") not in NONE_WORDS]
    for name, values in (("affected specs", doc.affected), ("key changes", doc.key_changes)):
        if name in fields and not values:
            doc.problems.append((f"line {fields[name][0]}", f"'{name.title()}' lists nothing"))
    return doc


def with_answers(text: str, answers: list[str | None]) -> str:
    """`text` with the answer to each open question (in order) on an indented `- Answer:` line below
    it, replacing any answer line there before; other lines unchanged."""
    out: list[str] = []
    inside = False
    index = -1
    pending: str | None = None

    def flush() -> None:
        nonlocal pending
        if pending:
            out.append(f"  - Answer: {' '.join(pending.split())}")
        pending = None

    for line in text.splitlines():
        field = FIELD.match(line)
        if inside and (field or re.match(r"^#{1,2}\s", line)):
            flush()
            inside = False
        if field and field.group(1).strip().lower() == "open questions":
            inside = True
            out.append(line)
            inline = field.group(2).strip()
            if inline and inline.lower().strip(" *_") not in NONE_WORDS:
                index += 1
                pending = answers[index] if index < len(answers) else None
            continue
        if inside:
            if ANSWER.match(line):
                continue
            item = ITEM.match(line)
            if item or not line.strip():
                flush()
            if item and item.group(1).strip().lower().strip(" *_") not in NONE_WORDS:
                index += 1
                pending = answers[index] if index < len(answers) else None
        out.append(line)
    if inside:
        flush()
    return "\n".join(out) + "\n"
