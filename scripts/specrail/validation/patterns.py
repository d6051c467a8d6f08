"""Regular expressions of ids, slugs and paths (stdlib only: shared by models, rules and hooks)."""

from __future__ import annotations

# Character classes are spelled out ([0-9], not \d) so that look-alike digits and letters never match.
# Each pattern ends in `(?!\n)$`: Python's `$` (pydantic, jsonschema) also matches before a final
# newline, so "F-001\n" would pass there and fail in ECMA-262 engines; the lookahead makes all agree.
FEATURE_ID_PATTERN = r"^F-[0-9]{3,}(?!\n)$"
ENHANCEMENT_ID_PATTERN = r"^EP-[0-9]{3,}(?!\n)$"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*(?!\n)$"
ROLE_PATTERN = r"^[a-z0-9]+(?:[-_][a-z0-9]+)*(?!\n)$"
SESSION_ID_PATTERN = r"^WFS-[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*(?!\n)$"
# Relative, POSIX-style, no parent segment, no control character, no backslash, no drive letter.
REL_PATH_PATTERN = r"^(?![/~])(?![A-Za-z]:)(?!.*(?:^|/)\.\.(?:/|$))[^\x00-\x1f\x7f\\]+(?!\n)$"
TIMESTAMP_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2})(?!\n)$"
)
SHA256_PATTERN = r"^[0-9a-f]{64}(?!\n)$"
# A BCP 47 language tag: a 2-3 letter language, then subtags (script, region, variant ...).
LANGUAGE_TAG_PATTERN = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*(?!\n)$"

DESCRIPTIONS = {
    FEATURE_ID_PATTERN: "a feature id like F-001",
    ENHANCEMENT_ID_PATTERN: "an enhancement id like EP-001",
    SLUG_PATTERN: "a lowercase kebab-case slug like offline-sync",
    ROLE_PATTERN: "a role name like system-architect",
    SESSION_ID_PATTERN: "a session id like WFS-team-notes",
    REL_PATH_PATTERN: "a relative path inside the session, without '..', a leading '/' or '~'",
    TIMESTAMP_PATTERN: "an ISO 8601 timestamp like 2026-11-20T09:00:00Z",
    SHA256_PATTERN: "a lowercase hex SHA-256 digest",
    LANGUAGE_TAG_PATTERN: "a BCP 47 language tag like en, ja, zh-CN or pt-BR",
}
