"""Hypothesis strategies that build JSON instances from our exported JSON Schemas, and mutate them.

Only the keywords our schemas use are understood: $ref, type, properties, required,
additionalProperties, patternProperties, propertyNames, anyOf, oneOf, allOf, enum, const,
pattern, min/maxLength, minimum/maximum, min/maxItems, minProperties, default.
Instances come out valid-ish (optional keys and bounds are not always honoured); the tests
compare verdicts, so invalid instances are as useful as valid ones.
"""

from __future__ import annotations

import re
from typing import Any

from hypothesis import strategies as st

from specrail.validation import patterns

Json = Any
CHARS = st.characters(codec="utf-8")  # no lone surrogates: they cannot be encoded
SMALL_TEXT = st.text(CHARS, min_size=1, max_size=12)
MAX_OPTIONAL_DEPTH = 4
KEYS = st.text("abcxyz_", min_size=1, max_size=8)
LOOK_ALIKES = ("\n", "\u0430", "\uff10", "\u0660", "\u200b", "/", "..", "\x00", " ")


def _resolve(schema: dict[str, Any], root: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = {**root["$defs"][name], **{k: v for k, v in schema.items() if k != "$ref"}}
    return schema


def _words(alphabet: str, joiners: str = "-") -> st.SearchStrategy[str]:
    word = st.text(alphabet, min_size=1, max_size=6)
    return st.tuples(word, st.lists(st.tuples(st.sampled_from(joiners), word), max_size=2)).map(
        lambda t: t[0] + "".join(j + w for j, w in t[1])
    )


_DIGITS = st.integers(0, 12345).map(lambda n: f"{n:03d}")
_LOWER = "abcdxyz0189"
_SECTION = st.lists(st.integers(0, 12).map(str), min_size=1, max_size=3).map(".".join)
_PATH_PART = st.text("abcz09-_. \u00e9", min_size=1, max_size=8)
_REL_PATH = st.lists(_PATH_PART, min_size=1, max_size=3).map("/".join)
_STAMP = st.tuples(*(st.integers(0, n) for n in (2999, 19, 39, 29, 69, 69))).map(
    lambda t: "{:04d}-{:02d}-{:02d}T{:02d}:{:02d}:{:02d}Z".format(*t)
)
# Fast strategies for the patterns our models use (from_regex is slow); others fall back to it.
KNOWN: dict[str, st.SearchStrategy[str]] = {
    patterns.FEATURE_ID_PATTERN: _DIGITS.map("F-".__add__),
    patterns.ENHANCEMENT_ID_PATTERN: _DIGITS.map("EP-".__add__),
    patterns.SLUG_PATTERN: _words(_LOWER),
    patterns.ROLE_PATTERN: _words(_LOWER, "-_"),
    patterns.SESSION_ID_PATTERN: _words("abXY09", "-_").map("WFS-".__add__),
    patterns.REL_PATH_PATTERN: _REL_PATH,
    patterns.TIMESTAMP_PATTERN: _STAMP,
    patterns.SHA256_PATTERN: st.binary(min_size=32, max_size=32).map(bytes.hex),
    r"^[a-z][a-z0-9_-]*(?!\n)$": _words("abcz09", "-_").filter(lambda w: w[0].isalpha()),
    r"^T-[0-9]{3,}(?!\n)$": _DIGITS.map("T-".__add__),
    r"^[0-9]+(?:\.[0-9]+)*(?!\n)$": _SECTION,
    r"^(?:[0-9]+(?:\.[0-9]+)*|T-[0-9]{3,})(?!\n)$": st.one_of(_SECTION, _DIGITS.map("T-".__add__)),
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}(?!\n)$": _STAMP.map(lambda t: t[:10]),
    r"^[0-9a-f]{7,64}(?!\n)$": st.binary(min_size=4, max_size=20).map(bytes.hex),
    r"^[A-Z_]+(?!\n)$": st.sampled_from(("PENDING", "DISCOVERED", "REFINING", "COMPLETE", "X_Y")),
}


def matching(pattern: str) -> st.SearchStrategy[str]:
    """Strings matching `pattern` (fast for the known ones)."""
    if pattern == patterns.REL_PATH_PATTERN:
        return _REL_PATH.filter(lambda s: re.search(pattern, s) is not None)
    return KNOWN[pattern] if pattern in KNOWN else st.from_regex(pattern, fullmatch=True)


def _string(schema: dict[str, Any]) -> st.SearchStrategy[str]:
    if "pattern" in schema:
        base = matching(schema["pattern"])
        limit = schema.get("maxLength")
        return base.map(lambda s: s[:limit]) if limit else base
    low = schema.get("minLength", 0)
    return st.text(CHARS, min_size=low, max_size=max(low, 12))


def _object(schema: dict[str, Any], root: dict[str, Any], depth: int) -> st.SearchStrategy[Json]:
    props: dict[str, Any] = schema.get("properties", {})
    required = set(schema.get("required", []))
    members: dict[str, st.SearchStrategy[Json]] = {}
    optional: dict[str, st.SearchStrategy[Json]] = {}
    for name, sub in props.items():
        if name in required:
            members[name] = from_schema(sub, root, depth + 1)
        elif depth < MAX_OPTIONAL_DEPTH:  # deeper optional keys only slow the search down
            optional[name] = from_schema(sub, root, depth + 1)
    fixed = st.fixed_dictionaries(members, optional=optional)
    extra: st.SearchStrategy[dict[str, Json]] = st.just({})
    if schema.get("patternProperties"):
        pattern, sub = next(iter(schema["patternProperties"].items()))
        key = matching(pattern)
        limit = schema.get("propertyNames", {}).get("maxLength")
        if limit:
            key = key.filter(lambda k: len(k) <= limit)
        extra = st.dictionaries(
            key, from_schema(sub, root, depth + 1), min_size=schema.get("minProperties", 0), max_size=3
        )
    elif schema.get("additionalProperties") is True or ("additionalProperties" not in schema and not props):
        extra = st.dictionaries(KEYS, scalars(), max_size=2)
    elif isinstance(schema.get("additionalProperties"), dict):
        extra = st.dictionaries(
            KEYS,
            from_schema(schema["additionalProperties"], root, depth + 1),
            min_size=schema.get("minProperties", 0),
            max_size=2,
        )
    return st.tuples(fixed, extra).map(lambda pair: {**pair[1], **pair[0]})


def scalars() -> st.SearchStrategy[Json]:
    return st.one_of(st.none(), st.booleans(), st.integers(-3, 10), SMALL_TEXT)


def from_schema(schema: dict[str, Any], root: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Json]:
    """Instances of `schema` (a node of the schema `root`)."""
    schema = _resolve(schema, root)
    for key in ("oneOf", "anyOf"):
        if key in schema:
            return st.one_of([from_schema(sub, root, depth) for sub in schema[key]])
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of([from_schema({**schema, "type": k}, root, depth) for k in kind])
    if kind == "object" or "properties" in schema:
        return _object(schema, root, depth)
    if kind == "array":
        items = from_schema(schema.get("items", {}), root, depth + 1)
        low = schema.get("minItems", 0)
        return st.lists(items, min_size=low, max_size=max(low, 2 if depth < 3 else 1))
    if kind == "string":
        return _string(schema)
    if kind == "integer":
        return st.integers(schema.get("minimum", -5), schema.get("maximum", 60))
    if kind == "number":
        return st.floats(schema.get("minimum", -5), schema.get("maximum", 60), allow_nan=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "null":
        return st.none()
    return scalars()


def _paths(value: Json, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(value, dict):
        for key, sub in value.items():
            found += _paths(sub, (*path, key))
    elif isinstance(value, list):
        for index, sub in enumerate(value):
            found += _paths(sub, (*path, index))
    return found


def _replacements(old: Json) -> st.SearchStrategy[Json]:
    """Values that break `old` in the ways hostile or careless writers do."""
    options: list[st.SearchStrategy[Json]] = [scalars(), st.just([]), st.just({})]
    if isinstance(old, bool):
        options += [st.just(int(old))]
    elif isinstance(old, int):
        options += [st.just(float(old)), st.just(str(old)), st.just(old + 1000), st.just(-old - 1)]
    elif isinstance(old, str):
        options += [
            st.sampled_from(LOOK_ALIKES).map(lambda c: old + c),
            st.sampled_from(LOOK_ALIKES).map(lambda c: c + old),
            st.just(""),
            st.just(old.upper()),
            st.just("/" + old),
            st.just("../" + old),
        ]
    elif isinstance(old, list):
        options += [st.just(old * 2), st.just(old[:-1])]
    return st.one_of(options)


@st.composite
def mutated(draw: st.DrawFn, instances: st.SearchStrategy[Json]) -> Json:
    """An instance with one value replaced, one key removed, or one unknown key added."""
    value = draw(instances)
    paths = _paths(value)
    # Pick the kind of value first, so that rare kinds (an integer among many strings) get hit.
    by_kind: dict[str, list[tuple[Any, ...]]] = {}
    for candidate in paths:
        target = value
        for step in candidate:
            target = target[step]
        by_kind.setdefault(type(target).__name__, []).append(candidate)
    path = draw(st.sampled_from(by_kind[draw(st.sampled_from(sorted(by_kind)))]))
    if not path:
        return draw(_replacements(value))
    parent = value
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    action = draw(st.sampled_from(("replace", "remove", "add")))
    if action == "remove":
        del parent[last]
    elif action == "add" and isinstance(parent, dict):
        parent[draw(st.sampled_from(("extra", "id", "__proto__", "ID")))] = draw(scalars())
    else:
        parent[last] = draw(_replacements(parent[last]))
    return value
