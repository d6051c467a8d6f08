"""A tiny notebook: the code of the spec-driven sample project."""

from notes.core import Note, NoteBook

__all__ = ["Note", "NoteBook"]
