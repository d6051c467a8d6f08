"""Small brainstorming sessions built in code, and a copy of the embedded example."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.cli import REPO
from tests.support.signed import sign_file

EXAMPLE = REPO / "scripts" / "specrail" / "examples" / "synthesis"
EXAMPLE_ID = "WFS-team-notes"
TS = "2026-11-20T09:00:00Z"


def copy_example(dest: Path) -> Path:
    """A fresh copy of the example project; returns its root."""
    shutil.copytree(EXAMPLE, dest)
    for session_file in dest.glob(".workflow/active/*/workflow-session.json"):
        sign_file(session_file)  # made by specrail on this machine, as a real session would be
    return dest


@dataclass
class Feat:
    id: str
    name: str
    roles: list[str]
    priority: str = "High"

    @property
    def slug(self) -> str:
        return self.name.lower().replace(" ", "-")


@dataclass
class Conf:
    topic: str
    confidence: str = "[RESOLVED]"
    roles: tuple[str, ...] = ("alpha", "beta")

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "topic": self.topic,
            "views": {r: f"{r} prefers its own approach to {self.topic.lower()}" for r in self.roles},
            "confidence": self.confidence,
        }
        if self.confidence != "[UNRESOLVED]":
            out["resolution"] = (
                f"Adopt the shared approach to {self.topic.lower()} because it is simpler, tradeoff: cost"
            )
        return out


@dataclass
class Project:
    """One project root holding sessions; `build()` writes a session from the parts given."""

    root: Path
    sid: str = "WFS-demo"
    features: list[Feat] = field(
        default_factory=lambda: [
            Feat("F-001", "Offline Sync", ["alpha", "beta"]),
            Feat("F-002", "Sharing", ["beta"]),
        ]
    )
    conflicts: dict[str, list[Conf]] = field(default_factory=dict)
    cross_refs: dict[str, list[str]] = field(default_factory=dict)
    enhancements: int = 2
    guidance: bool = True
    subdocs: bool = True
    language: str = "en"

    @property
    def session_dir(self) -> Path:
        return self.root / ".workflow" / "active" / self.sid

    @property
    def bdir(self) -> Path:
        return self.session_dir / ".brainstorming"

    @property
    def roles(self) -> list[str]:
        return sorted({r for f in self.features for r in f.roles})

    def build(self) -> Project:
        self.bdir.mkdir(parents=True, exist_ok=True)
        (self.session_dir / "workflow-session.json").write_text(
            json.dumps(
                {
                    "schema_version": 1,
                    "workflow": "synthesis",
                    "session_id": self.sid,
                    "state": "PENDING",
                    "created_at": TS,
                    "updated_at": TS,
                    "history": [],
                    "user_intent": "Ship a small notes app",
                    "language": self.language,
                }
            )
        )
        sign_file(self.session_dir / "workflow-session.json")
        if self.guidance:
            rows = "\n".join(
                f"| {f.id} | {f.name} | {f.slug} | {f.name} for teams | {', '.join(f.roles)} | {f.priority} |"
                for f in self.features
            )
            self.write(
                "guidance-specification.md",
                "# Guidance Specification\n\n## Terminology\n\n"
                "| Term | Meaning |\n|---|---|\n| Workspace | The shared container |\n"
                "| Merge notice | A marker on merged blocks |\n\n## Feature Decomposition\n\n"
                "| ID | Name | Slug | Description | Roles | Priority |\n|---|---|---|---|---|---|\n"
                f"{rows}\n",
            )
        for role in self.roles:
            self.write(f"{role}/analysis.md", f"# {role} analysis\n\nThe {role} view of the project.\n")
            self.write(f"{role}/analysis-cross-cutting.md", "# Cross-cutting\n\nShared patterns.\n")
            if self.subdocs:
                for f in self.features:
                    if role in f.roles:
                        self.write(f"{role}/analysis-{f.id}-{f.slug}.md", f"# {f.id}\n\nDetails.\n")
        self.write_json(
            "enhancement-recommendations.json", [self.enhancement(i) for i in range(1, self.enhancements + 1)]
        )
        self.write_json("feature-conflict-map.json", self.conflict_map())
        return self

    def enhancement(self, n: int) -> dict[str, Any]:
        return {
            "id": f"EP-{n:03d}",
            "title": f"Enhancement number {n} about caching",
            "affected_roles": self.roles[:1],
            "category": "Architecture",
            "current_state": "Vague",
            "enhancement": f"Make caching rule {n} precise",
            "rationale": "Testable",
            "priority": "High",
        }

    def conflict_map(self) -> dict[str, Any]:
        return {
            f.id: {
                "consensus": [f"Everyone wants {f.name}"],
                "conflicts": [c.as_json() for c in self.conflicts.get(f.id, [])],
                "cross_refs": self.cross_refs.get(f.id, []),
            }
            for f in self.features
        }

    def write(self, rel: str, text: str) -> Path:
        path = self.bdir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def write_json(self, rel: str, data: Any) -> Path:
        return self.write(rel, json.dumps(data, indent=2))

    def session(self) -> dict[str, Any]:
        return dict(json.loads((self.session_dir / "workflow-session.json").read_text()))

    def write_specs(
        self, depends: dict[str, list[str]] | None = None, extra: str = "", skip: tuple[str, ...] = ()
    ) -> None:
        """A valid spec per feature; §7 mirrors `depends` (feature -> features it depends on)."""
        depends = depends or {}
        required: dict[str, list[str]] = {f.id: [] for f in self.features}
        for fid, targets in depends.items():
            for t in targets:
                required.setdefault(t, []).append(fid)
        for f in self.features:
            if f.id in skip:
                continue
            topics = [c.topic for c in self.conflicts.get(f.id, [])]
            self.write(
                f"feature-specs/{f.id}-{f.slug}.md",
                spec_text(
                    f,
                    topics,
                    depends.get(f.id, []),
                    required.get(f.id, []),
                    [c.topic for c in self.conflicts.get(f.id, []) if c.confidence == "[UNRESOLVED]"],
                    extra,
                ),
            )
        self.write("synthesis-changelog.md", self.changelog())

    def write_single_spec(self, extra: str = "") -> None:
        self.write(
            "synthesis-specification.md", f"# Synthesis Specification\n\n## Decisions\n\n{FILLER}\n{extra}\n"
        )
        self.write("synthesis-changelog.md", self.changelog())

    def changelog(self) -> str:
        """The changelog, listing the enhancements the session records as selected."""
        context = self.session().get("spec_context") or {}
        applied = [f"- **{ep}**: applied" for ep in context.get("selected_enhancements", [])]
        return CHANGELOG.format(applied="\n".join(applied) or "- none")


REQUIREMENTS = (
    "Members edit shared notes on phones and laptops while the network comes and goes, and every edit "
    "reaches the other devices of the workspace once it returns, without overwriting a colleague's words."
)
INTERFACE = (
    "The client posts its journal entries since the last sequence number it saw, and the server answers "
    "with the entries the client is missing and the new sequence number, in one JSON format."
)
RISKS = (
    "A device offline for weeks builds a large journal, so it is compacted after each sync; clock skew "
    "between devices never changes the order of operations, which the server assigns."
)
ACCEPTANCE = (
    "An edit made offline appears on every other device within sixty seconds after the network returns, "
    "and two offline edits of one paragraph both survive the merge."
)
RATIONALE = (
    "**Rationale**: the role analyses agree that a small journal keeps mobile traffic low, and the "
    "trade-off, a compaction step after every sync, costs less than shipping whole snapshots."
)
FILLER = " ".join(
    ["The design keeps the journal small and the merge rules deterministic for every device."] * 8
)

CHANGELOG = """# Synthesis Changelog

**Session**: WFS-demo

## Enhancements Applied
{applied}

## Clarifications Resolved
- none

## Conflicts Resolved
- none

## Unresolved Items
- none
"""


def spec_text(
    f: Feat,
    topics: list[str],
    depends: list[str],
    required: list[str],
    unresolved: list[str],
    extra: str = "",
) -> str:
    decisions = "\n\n".join(
        f"### 2.{i} {t}\n\n**Decision**: settle {t.lower()} now. {FILLER}\n\n{RATIONALE}"
        for i, t in enumerate(topics or ["Storage"], start=1)
    )
    needed = "\n\n".join(f"**[DECISION NEEDED]**: {t}. **Options**: alpha vs beta." for t in unresolved)
    warning = f"> **Warning**: {len(unresolved)} unresolved conflicts.\n\n" if len(unresolved) > 1 else ""
    return f"""# Feature Spec: {f.id} - {f.name}

**Priority**: {f.priority}
**Contributing Roles**: {", ".join(f.roles)}
**Status**: Draft (from synthesis)

## 1. Requirements Summary

Requirements of {f.name} from every role. {REQUIREMENTS}

## 2. Design Decisions

{warning}{decisions}

{needed}

{extra}

## 3. Interface Contract

One endpoint. {INTERFACE}

## 4. Constraints & Risks

Battery use. {RISKS}

## 5. Acceptance Criteria

Works offline. {ACCEPTANCE}

## 6. Detailed Analysis References

- @../guidance-specification.md#feature-decomposition

## 7. Cross-Feature Dependencies

- **Depends on**: {", ".join(depends) or "none"}
- **Required by**: {", ".join(required) or "none"}
- **Shared patterns**: the journal
"""


REVIEW_REPORT = """# Review Report

**Complexity Score**: 5
**Specs Reviewed**: 2
**Minor Fixes Applied**: 1
**Major Flags Raised**: 1

## Fixes Applied
- feature-specs/F-001-offline-sync.md: mirrored Required by

## Flags Raised
- feature-specs/F-002-sharing.md: [REVIEW-FLAG] storage decision contradicts F-001
"""

REVIEW_RESULTS = """
## Review Results
**Complexity Score**: 5

### Fixes Applied
- feature-specs/F-001-offline-sync.md: mirrored Required by

### Flags Raised
- feature-specs/F-002-sharing.md: [REVIEW-FLAG] storage decision contradicts F-001
"""
