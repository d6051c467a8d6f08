"""Saving a notebook to a JSON file and loading it back (specs/storage.md)."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from pathlib import Path

from notes.core import Note, NoteBook


def save(book: NoteBook, path: Path) -> None:
    """Section 2: one JSON object with a `notes` list, written whole."""
    path.write_text(json.dumps({"notes": [asdict(n) for n in book.notes]}, indent=2) + "\n", encoding="utf-8")


def load(path: Path) -> NoteBook:
    """Section 3: unknown keys of a note are ignored, so older and newer files both load; lists
    are read back as tuples, since notes are immutable."""
    data = json.loads(path.read_text(encoding="utf-8"))
    known = {f.name for f in fields(Note)}
    return NoteBook(
        [
            Note(**{k: tuple(v) if isinstance(v, list) else v for k, v in item.items() if k in known})
            for item in data["notes"]
        ]
    )
