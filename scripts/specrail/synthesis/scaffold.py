"""`synthesis new`: a brainstorming session skeleton for the model or the team to fill.

It writes what `synthesis discover` reads: `.workflow/active/WFS-{id}/workflow-session.json` (with
the topic as `user_intent`), `.brainstorming/guidance-specification.md` (with its Feature
Decomposition table) and one folder per role holding `analysis.md` (plus one
`analysis-F-{id}-{slug}.md` per feature, which turns feature mode on). Every part left to write
carries a `[TO FILL: ...]` marker; `placeholders` finds the ones still there. Without features
there is no decomposition table: the synthesis then writes one specification.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

from specrail.errors import IOFailure, UsageFailure
from specrail.fileio import atomic_write_text, now, read_text
from specrail.models import SynthesisSession
from specrail.synthesis.inputs import ANALYSIS_NAME
from specrail.synthesis.paths import (
    BRAINSTORM,
    GUIDANCE,
    SessionPaths,
    check_session_id,
    is_role_name,
)
from specrail.synthesis.session import store_of
from specrail.validation.decomposition import slugify
from specrail.validation.normalise import language_tag

MARK = "[TO FILL:"
_MARK = re.compile(r"\[TO FILL:[^\]\n]*\]")


def _fill(what: str) -> str:
    return f"{MARK} {what}]"


def _decomposition(roles: list[str], features: list[str]) -> list[str]:
    """The Feature Decomposition section; none without features (one synthesis spec)."""
    if not features:
        return []
    rows = [
        f"| F-{n:03d} | {name} | {slugify(name) or f'f-{n:03d}'} | {_fill('what it does')} | "
        f"{', '.join(roles)} | Medium |"
        for n, name in enumerate(features, start=1)
    ]
    return [
        "## Feature Decomposition",
        "",
        "| ID | Name | Slug | Description | Roles | Priority |",
        "|----|------|------|-------------|-------|----------|",
        *rows,
        "",
    ]


def _guidance(topic: str, session_id: str, roles: list[str], features: list[str]) -> str:
    return "\n".join(
        [
            f"# Guidance Specification: {topic}",
            "",
            f"**Session**: {session_id}",
            f"**Participating roles**: {', '.join(roles)}",
            f"**Date**: {now()[:10]}",
            "",
            "## Context",
            "",
            _fill("who the product is for, the problem it solves, what exists today"),
            "",
            "## Goals",
            "",
            f"1. {_fill('a measurable goal')}",
            "",
            "## Non-goals",
            "",
            f"- {_fill('what this work will not do')}",
            "",
            "## Constraints",
            "",
            f"- {_fill('platforms, team, deadlines, budgets, rules to follow')}",
            "",
            *_decomposition(roles, features),
        ]
    )


def _analysis(role: str, topic: str, feature: tuple[str, str] | None) -> str:
    title = f"{role} analysis: {topic}" if feature is None else f"{role} analysis: {feature[0]} {feature[1]}"
    scope = "the topic as a whole" if feature is None else f"feature {feature[0]} only"
    return "\n".join(
        [
            f"# {title}",
            "",
            "## Findings",
            "",
            _fill(f"what the {role} sees in {scope}: needs, risks, open questions"),
            "",
            "## Recommendations",
            "",
            f"1. {_fill('a recommendation, with its rationale')}",
            "",
        ]
    )


def _roles(raw: str) -> list[str]:
    roles = [r.strip() for r in raw.split(",") if r.strip()]
    if not roles:
        raise UsageFailure("--roles: give at least one role, e.g. --roles product-manager,system-architect")
    bad = [r for r in roles if not is_role_name(r)]
    if bad:
        raise UsageFailure(
            f"--roles: {', '.join(repr(r[:40]) for r in bad)}: a role name is lowercase letters, "
            "digits and '-' (e.g. ux-expert)"
        )
    if len(set(roles)) != len(roles):
        raise UsageFailure("--roles: a role is named twice")
    return roles


def files(topic: str, session_id: str, roles: list[str], features: list[str]) -> dict[str, str]:
    """Path below the session folder -> content, for every Markdown file of the skeleton."""
    out = {f"{BRAINSTORM}/{GUIDANCE}": _guidance(topic, session_id, roles, features)}
    for role in roles:
        out[f"{BRAINSTORM}/{role}/analysis.md"] = _analysis(role, topic, None)
        for n, name in enumerate(features, start=1):
            fid = f"F-{n:03d}"
            out[f"{BRAINSTORM}/{role}/analysis-{fid}-{slugify(name) or fid.lower()}.md"] = _analysis(
                role, topic, (fid, name)
            )
    return out


def new(
    root: Path,
    topic: str,
    roles: str,
    session_id: str | None = None,
    language: str | None = None,
    features: str | None = None,
) -> dict[str, Any]:
    """Write the skeleton of a new brainstorming session; refuse (writing nothing) if it exists."""
    topic = " ".join(topic.split())
    if not topic:
        raise UsageFailure("--topic is empty")
    names = _roles(roles)
    wanted = [f.strip() for f in (features or "").split(",") if f.strip()]
    chosen = language_tag(language) if language else "en"
    if chosen is None:
        raise UsageFailure(f"--language {language!r}: give a BCP 47 tag such as en, zh, ja or pt-BR")
    default_id = "WFS-" + (slugify(topic)[:60].strip("-") or "session")
    sid = check_session_id(session_id if session_id is not None else default_id)
    paths = SessionPaths(root.absolute(), sid)
    if paths.session_dir.exists():
        raise UsageFailure(f"{paths.prel(paths.session_dir)} exists already; pass another --session")
    stamp = now()
    session = SynthesisSession(
        schema_version=1,
        workflow="synthesis",
        session_id=sid,
        state="PENDING",
        created_at=stamp,
        updated_at=stamp,
        history=[],
        user_intent=topic,
        language=chosen,
    )
    content = files(topic, sid, names, wanted)
    try:
        paths.session_dir.mkdir(parents=True)
        for rel, text in content.items():
            (paths.session_dir / rel).parent.mkdir(parents=True, exist_ok=True)
            atomic_write_text(paths.session_dir / rel, text)
        store_of(paths).create(session)
    except OSError as exc:
        shutil.rmtree(paths.session_dir, ignore_errors=True)  # everything in it is ours
        raise IOFailure(
            f"cannot write the session: {exc.strerror or exc}", file=str(paths.session_dir)
        ) from None
    except BaseException:
        shutil.rmtree(paths.session_dir, ignore_errors=True)
        raise
    written = [
        paths.prel(paths.session_dir / name) for name in [paths.rel(paths.session_file), *sorted(content)]
    ]
    return {
        "status": "ok",
        "session_id": sid,
        "session_dir": str(paths.session_dir),
        "user_intent": topic,
        "language": chosen,
        "roles": names,
        "features": wanted,
        "files": written,
        "placeholders": placeholders(paths),
        "next": (
            f"Fill every {MARK} ...] marker in the files above (the brainstorming), then run "
            f"/workflow:synthesis --session {sid}."
        ),
    }


def placeholders(paths: SessionPaths) -> list[str]:
    """`file:line` of each `[TO FILL: ...]` marker left in the guidance and the role analyses."""
    base = paths.brainstorm_dir
    candidates = [base / GUIDANCE] if (base / GUIDANCE).is_file() else []
    if base.is_dir():
        for folder in sorted(p for p in base.iterdir() if p.is_dir() and not p.name.startswith(".")):
            candidates += sorted(p for p in folder.iterdir() if p.is_file() and ANALYSIS_NAME.match(p.name))
    found = []
    for path in candidates:
        try:
            text = read_text(path, str(path), errors="replace")
        except (IOFailure, OSError):
            continue
        if MARK not in text:
            continue
        for number, line in enumerate(text.splitlines(), start=1):
            if _MARK.search(line):
                found.append(f"{paths.brel(path)}:{number}")
    return found


def text(answer: dict[str, Any]) -> str:
    lines = [f"created the brainstorming session {answer['session_id']}:"]
    lines += [f"  {name}" for name in answer["files"]]
    lines.append(f"{len(answer['placeholders'])} {MARK} ...] markers to fill")
    lines.append(f"next: {answer['next']}")
    return "\n".join(lines)
