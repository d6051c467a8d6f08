"""Behaviour of specs/notes.md sections 3.1, 3.2 and 3.4."""

from __future__ import annotations

import unittest

from notes.core import NoteBook


class NoteBookTest(unittest.TestCase):
    def test_add_numbers_notes_from_one(self) -> None:
        book = NoteBook()
        self.assertEqual(book.add("First").id, 1)
        self.assertEqual(book.add("Second").id, 2)

    def test_add_needs_a_title(self) -> None:
        with self.assertRaises(ValueError):
            NoteBook().add("  ")

    def test_list_keeps_the_order(self) -> None:
        book = NoteBook()
        book.add("b")
        book.add("a")
        self.assertEqual([n.title for n in book.list()], ["b", "a"])

    def test_tags_are_cleaned(self) -> None:
        note = NoteBook().add("Groceries", tags=[" Food", "food", "Weekly"])
        self.assertEqual(note.tags, ("food", "weekly"))

    def test_blank_tag_is_refused(self) -> None:
        with self.assertRaises(ValueError):
            NoteBook().add("Groceries", tags=[" "])

    def test_with_tag_ignores_case(self) -> None:
        """spec: specs/notes.md#3.4"""
        book = NoteBook()
        book.add("Groceries", tags=["food"])
        book.add("Garden", tags=["outdoor"])
        self.assertEqual([n.title for n in book.with_tag("FOOD")], ["Groceries"])


if __name__ == "__main__":
    unittest.main()
