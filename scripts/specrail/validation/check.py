"""Validate artifact files: parse safely, schema, cross-field and Markdown rules.

Stdlib only on the way to a verdict; jsonschema is imported only to list every error of an
invalid JSON file, and PyYAML only for the YAML config. The hooks run this same code, so the
Markdown rules and the decomposition parser are imported only by the kinds that need them.
"""

from __future__ import annotations

import importlib
import json
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

from specrail.errors import InvalidInput, IOFailure
from specrail.fileio import parse_json, read_text
from specrail.validation import json_rules, kinds, registry
from specrail.validation.patterns import DESCRIPTIONS
from specrail.validation.report import FileResult, Issue, pointer

MAX_YAML_NODES = 100_000
SHOWN_MAX = 32  # characters of an invalid value a message quotes
# A configuration is a few kilobytes; PyYAML composes a flat list at about 20 KB a second.
MAX_YAML_BYTES = 64 * 1024


def _no_repeated_yaml_key(mapping: Any, file: str) -> None:
    """PyYAML keeps the last of two equal keys silently; YAML forbids them, and so do we."""
    import yaml

    seen: set[tuple[str, str]] = set()
    for key, _ in mapping.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            continue  # only scalar keys; `<<` merges may repeat
        if (key.tag, key.value) in seen:
            mark = key.start_mark
            raise InvalidInput(
                f"duplicate key {key.value!r} at line {mark.line + 1} column {mark.column + 1}", file=file
            )
        seen.add((key.tag, key.value))


def parse_yaml(text: str, file: str) -> Any:
    """Safe YAML: size capped before parsing, standard tags only, no repeated key, alias expansion bounded."""
    size = len(text.encode("utf-8"))
    if size > MAX_YAML_BYTES:
        raise InvalidInput(f"YAML is {size} bytes; the limit is {MAX_YAML_BYTES} (not parsed)", file=file)
    import yaml

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        if node is None:
            return {}
        sizes: dict[int, int] = {}
        aliased = False

        def expanded(n: yaml.Node) -> int:
            nonlocal aliased
            if id(n) in sizes:
                aliased = True  # a node reached twice: an alias
            else:
                sizes[id(n)] = 0  # guards against recursive aliases
                children: list[Any] = []
                if isinstance(n, yaml.SequenceNode):
                    children = n.value
                elif isinstance(n, yaml.MappingNode):
                    children = [x for pair in n.value for x in pair]
                    _no_repeated_yaml_key(n, file)
                sizes[id(n)] = 1 + sum(expanded(c) for c in children)
            return sizes[id(n)]

        if expanded(node) > MAX_YAML_NODES:
            why = "through its aliases (an alias bomb)" if aliased else "(too large for a configuration)"
            raise InvalidInput(f"YAML expands to more than {MAX_YAML_NODES} nodes {why}", file=file)
        loader = yaml.SafeLoader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark else ""
        raise InvalidInput(f"invalid YAML{where}: {exc.problem or exc}", file=file) from None
    except yaml.YAMLError as exc:
        raise InvalidInput(f"invalid YAML: {exc}", file=file) from None
    except RecursionError:
        raise InvalidInput("YAML nested too deeply", file=file) from None


@cache
def compiled(kind: str) -> ModuleType:
    return importlib.import_module(f"specrail._validators.{kind.replace('-', '_')}")


@cache
def _full_validator(kind: str) -> Any:
    try:
        import jsonschema
    except ImportError:  # started without site-packages (the hooks' fast path)
        import site

        site.main()
        import jsonschema
    return jsonschema.Draft202012Validator(compiled(kind).SCHEMA)


def _leaf_errors(error: Any) -> list[Any]:
    """For oneOf/anyOf, the errors of the branch that came closest; otherwise the error itself."""
    if not error.context:
        return [error]
    branches: dict[Any, list[Any]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)

    def distance(errors: list[Any]) -> tuple[bool, int]:
        wrong_type = any(e.validator in ("type", "const") and not e.relative_path for e in errors)
        wrong_tag = any(e.validator == "const" for e in errors)
        return (wrong_type or wrong_tag, len(errors))

    closest = min(branches.values(), key=distance)
    return [leaf for sub in closest for leaf in _leaf_errors(sub)]


def shown(value: Any) -> str:
    """An invalid value as a message may quote it: a short one-line text as written, anything
    longer or with control characters only by its length (it may be text planted for a model)."""
    if isinstance(value, str) and len(value) <= SHOWN_MAX and value.isprintable():
        return repr(value)
    return f"a value of {len(value)} characters" if isinstance(value, str) else "the value"


def _describe(error: Any) -> tuple[str, str]:
    """Message and fix hint of one jsonschema error."""
    if error.validator == "pattern" and error.validator_value in DESCRIPTIONS:
        expected = DESCRIPTIONS[error.validator_value]
        return f"{shown(error.instance)} is not {expected}", f"use {expected}"
    if error.validator == "enum":
        return error.message, "one of: " + ", ".join(json.dumps(v) for v in error.validator_value)
    hints = {
        "required": "add the missing key",
        "minLength": "write a non-empty value",
        "minItems": "list at least one item",
        "minProperties": "give at least one entry",
        "type": f"use a JSON {error.validator_value}"
        if isinstance(error.validator_value, str)
        else "use the expected JSON type",
        "additionalProperties": "remove the key (or check its spelling)",
    }
    return error.message, hints.get(str(error.validator), "")


def schema_issues(kind: str, data: Any, file: str) -> list[Issue]:
    """Every schema violation (all of them, each with its JSON pointer); [] when valid."""
    module = compiled(kind)
    try:
        module.validate(data)
        return []
    except module.JsonSchemaValueException as first:
        fast_message = first.message
    except RecursionError:
        return [Issue(file, "", "JSON nested too deeply")]
    found = [leaf for error in _full_validator(kind).iter_errors(data) for leaf in _leaf_errors(error)]
    errors = sorted(found, key=lambda e: [str(p) for p in e.absolute_path])
    if not errors:
        return [Issue(file, "", fast_message)]
    issues = []
    for error in errors[:50]:
        path = pointer(*error.absolute_path)
        message, hint = _describe(error)
        issues.append(Issue(file, path or "/", message, hint=hint))
    if len(errors) > 50:
        issues.append(Issue(file, "", f"{len(errors) - 50} more errors not shown"))
    return issues


def _decomposition_ids(brainstorm_dir: Path) -> list[str] | None:
    from specrail.validation import decomposition

    return decomposition.feature_ids(brainstorm_dir)


def context_issues(kind: str, data: Any, path: Path, file: str) -> list[Issue]:
    """Rules that need the files around the artifact (the decomposition, the spec files)."""
    if path.parent.name != ".brainstorming":
        return []
    issues = []
    if kind == "feature-conflict-map":
        # SYN-MAP-FEATURES
        expected = _decomposition_ids(path.parent)
        if expected is not None:
            issues += [
                Issue(file, "/", f"no entry for {fid} of the Feature Decomposition")
                for fid in expected
                if fid not in data
            ]
            known = set(expected)  # a set: the map has one entry per feature
            issues += [
                Issue(file, pointer(fid), f"{fid} is not in the Feature Decomposition")
                for fid in data
                if fid not in known
            ]
    elif kind == "feature-index":
        # SYN-INDEX-SPECS
        for i, feature in enumerate(data["features"]):
            if not (path.parent / feature["spec_path"]).is_file():
                issues.append(
                    Issue(file, pointer("features", i, "spec_path"), f"{feature['spec_path']} does not exist")
                )
    return issues


def _outside(path: Path, root: Path | None) -> bool:
    if root is None:
        return False
    try:
        path.absolute().relative_to(root.absolute())
    except ValueError:
        return False  # named explicitly outside the project: not a symlink escape
    return not path.resolve().is_relative_to(root.resolve())


def check_file(
    path: Path,
    kind: str | None = None,
    root: Path | None = None,
    label: str | None = None,
    content: str | None = None,
) -> FileResult:
    """Validate one file, or `content` as that file's text; every problem is returned as an Issue."""
    file = label or str(path)
    kind = kind or kinds.classify(path)
    result = FileResult(file, kind)
    if kind is None:
        result.issues.append(Issue(file, "", "not a workflow artifact (pass --kind to say which it is)"))
        result.io_error = True
        return result
    if kind not in kinds.ALL_KINDS:
        result.issues.append(Issue(file, "", f"unknown kind {kind!r}; kinds: {', '.join(kinds.ALL_KINDS)}"))
        result.io_error = True
        return result
    try:
        if content is None and _outside(path, root):
            raise InvalidInput("is a symlink to a file outside the project", file=file)
        text = read_text(path, file) if content is None else content
        if kind in kinds.MARKDOWN_KINDS:
            from specrail.validation import md_rules

            document = registry.document_rule(kind) or md_rules.RULES[kind]
            result.issues += document(file, text, path, result)
            return result
        data = parse_yaml(text, file) if kind in kinds.YAML_KINDS else parse_json(text, file)
        issues = schema_issues(kind, data, file)
        if not issues:
            issues = json_rules.RULES.get(kind, lambda *_: [])(file, data, path)
            for rule in registry.rules_for(kind):
                issues += rule(file, data, path)
            issues += context_issues(kind, data, path, file)
        result.issues += issues
    except IOFailure as exc:
        result.issues.append(Issue(file, "", exc.message))
        result.io_error = True
    except InvalidInput as exc:
        result.issues.append(Issue(file, exc.pointer or "", exc.message))
    return result
