"""Phase 7's drafted commit messages: the seed's form (a conventional subject, what changed, how it
was validated, references), its subject in the words of the user's request, shortened at a word."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from specrail.models.session import SpecDrivenSession

HEADER_MAX = 72


@dataclass
class Wording:
    scope: str
    description: str
    issue: str | None
    message: str | None = None


def wording(
    session: SpecDrivenSession,
    scope: str | None,
    description: str | None,
    issue: str | None,
    message: str | None = None,
) -> Wording:
    specs = list(session.diffs)
    default_scope = Path(specs[0]).stem if specs else session.feature
    text = description or described(session.request)
    slug = re.sub(r"[^a-z0-9_-]+", "-", (scope or default_scope).lower()).strip("-")
    return Wording(slug, text, issue, message.strip() + "\n" if message and message.strip() else None)


# Words that ask rather than describe: "Please add tags" is committed as "add tags".
ASKING = re.compile(
    r"^(?:please|(?:i|we)\s+(?:want|would like|'d like|need)\s+to|can you|could you)\s+", re.I
)


def described(request: str) -> str:
    """The user's request as a commit description: its first sentence, in the user's words."""
    first = re.split(r"(?<=[.!?])\s", " ".join(request.split()), maxsplit=1)[0].rstrip(".!? ")
    first = ASKING.sub("", first).strip()
    keep_case = len(first) > 1 and first[1].isupper()  # an acronym: "API keys ...", "README ..."
    return first if keep_case else first[:1].lower() + first[1:]


def header(kind: str, scope: str, text: str) -> str:
    """The subject line, at most HEADER_MAX characters: shortened at a word, never within one."""
    line = f"{kind}({scope}): {text}"
    if len(line) <= HEADER_MAX:
        return line
    cut = line[: HEADER_MAX - 1]
    head, space, _ = cut.rpartition(" ")
    return (head if space and len(head) > len(f"{kind}({scope}):") else cut).rstrip(" ,;:-") + "…"


def message(
    session: SpecDrivenSession, w: Wording, *, specs: bool, code: bool, title: str | None = None
) -> str:
    """The seed's form: a conventional header, what changed, how it was validated, references."""
    lines = []
    if specs:
        lines += [
            f"- Updated {spec}" + (f" to v{d.version_after}" if d.version_after else "")  # unversioned specs
            for spec, d in session.diffs.items()
        ]
    if code:
        changes = session.proposal.key_changes if session.proposal else []
        lines += [f"- Implemented {c[:1].lower() + c[1:]}" for c in changes]
        passed = [r.name for r in session.validations if r.status == "PASS"]
        if passed:
            lines.append(f"- Validated with {', '.join(passed)}")
    kind = "feat" if code else "docs"
    body = [title or header(kind, w.scope if code else "specs", w.description), "", *lines]
    if w.issue:
        body += ["", f"Closes #{w.issue.lstrip('#')}"]
    co_author = session.config.commit.co_author
    if co_author:
        body += ["", f"Co-Authored-By: {co_author}"]
    return "\n".join(body).strip() + "\n"
