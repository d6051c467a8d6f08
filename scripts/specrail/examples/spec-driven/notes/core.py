"""Notes and the notebook that holds them (specs/notes.md)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Note:
    """One note (specs/notes.md section 2.1)."""

    id: int
    title: str
    body: str = ""


@dataclass
class NoteBook:
    """The notes of one user, in the order they were added (specs/notes.md section 2.2)."""

    notes: list[Note] = field(default_factory=list)

    def add(self, title: str, body: str = "") -> Note:
        """Section 3.1: a title is required; ids start at 1 and never repeat."""
        if not title.strip():
            raise ValueError("a note needs a title")
        note = Note(id=len(self.notes) + 1, title=title.strip(), body=body)
        self.notes.append(note)
        return note

    def list(self) -> list[Note]:
        """Section 3.2: every note, oldest first."""
        return list(self.notes)

    def search_title(self, text: str) -> list[Note]:
        """Section 3.3: notes whose title contains `text`, ignoring case."""
        wanted = text.lower()
        return [n for n in self.notes if wanted in n.title.lower()]
