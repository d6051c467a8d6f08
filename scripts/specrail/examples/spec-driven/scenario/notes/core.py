"""Notes and the notebook that holds them (specs/notes.md)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Note:
    """One note (specs/notes.md section 2.1)."""

    id: int
    title: str
    body: str = ""
    tags: tuple[str, ...] = ()


def clean_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Lowercase, stripped, distinct and sorted; a blank tag is refused (section 3.1)."""
    cleaned = set()
    for tag in tags:
        word = tag.strip().lower()
        if not word:
            raise ValueError("a tag cannot be blank")
        cleaned.add(word)
    return tuple(sorted(cleaned))


@dataclass
class NoteBook:
    """The notes of one user, in the order they were added (specs/notes.md section 2.2)."""

    notes: list[Note] = field(default_factory=list)

    def add(self, title: str, body: str = "", tags: Iterable[str] = ()) -> Note:
        """Section 3.1: a title is required; ids start at 1 and never repeat."""
        if not title.strip():
            raise ValueError("a note needs a title")
        note = Note(id=len(self.notes) + 1, title=title.strip(), body=body, tags=clean_tags(tags))
        self.notes.append(note)
        return note

    def list(self) -> list[Note]:
        """Section 3.2: every note, oldest first."""
        return list(self.notes)

    def with_tag(self, tag: str) -> list[Note]:
        """Section 3.4: notes that carry `tag`, ignoring case."""
        wanted = tag.strip().lower()
        return [n for n in self.notes if wanted in n.tags]
