"""Answers that fit the model's context: long lists go to a file of the session, read by path.

Every helper's JSON answer lands in the model's context in full. When one would exceed BUDGET
(large sessions: hundreds of features), the whole answer is written to
`.process/synthesis/{step}.json` and the printed answer keeps the first items of each long list,
says how many it left out (`omitted`) and where they are (`detail_file`).
"""

from __future__ import annotations

import json
from typing import Any

from specrail.fileio import atomic_write_json
from specrail.synthesis.paths import SessionPaths

BUDGET = 20 * 1024  # bytes of the printed answer; the hard limit is 24 KB
DETAIL_DIR = ".process/synthesis"
KEEP = (20, 5, 1, 0)  # items kept per long list, tried in turn until the answer fits
NOTE = 400  # bytes left for the note that `next` gains

Path_ = tuple[str, ...]


def size(answer: dict[str, Any]) -> int:
    """Bytes of `answer` as the CLI prints it."""
    return len(json.dumps(answer, indent=2, ensure_ascii=False).encode("utf-8")) + 1


def _shorten(answer: dict[str, Any], where: Path_, keep: int, omitted: dict[str, int]) -> None:
    parent: Any = answer
    for key in where[:-1]:
        parent = parent.get(key) if isinstance(parent, dict) else None
    if not isinstance(parent, dict):
        return
    value = parent.get(where[-1])
    name = "/".join(where)
    total = omitted.get(name, 0) + (len(value) if isinstance(value, (list, dict)) else 0)
    if isinstance(value, list) and len(value) > keep:
        parent[where[-1]] = value[:keep]
    elif isinstance(value, dict) and len(value) > keep:
        parent[where[-1]] = dict(list(value.items())[:keep])
    else:
        return
    omitted[name] = total - keep


def _copy(value: Any) -> Any:
    return json.loads(json.dumps(value))


def bounded(answer: dict[str, Any], paths: SessionPaths, step: str, lists: list[Path_]) -> dict[str, Any]:
    """`answer` itself when it fits BUDGET; else the shortened form, the full one written to a file."""
    if size(answer) <= BUDGET:
        return answer
    detail = paths.session_dir / DETAIL_DIR / f"{step}.json"
    atomic_write_json(detail, answer)
    short = _copy(answer)
    omitted: dict[str, int] = {}
    short["omitted"] = omitted
    short["detail_file"] = str(detail)
    for keep in KEEP:  # the first lists first, each down to `keep` items, until the answer fits
        for where in lists:
            _shorten(short, where, keep, omitted)
            if size(short) + NOTE <= BUDGET:
                break
        else:
            continue
        break
    if "next" in short:
        short["next"] = (
            f"This answer is shortened ({', '.join(f'{k}: {n} more' for k, n in omitted.items())}); "
            f"the full answer is in {detail}: read it (or pass its path to the agent). " + short["next"]
        )
    return short
