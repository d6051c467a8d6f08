"""Behaviour of specs/notes.md sections 3.1 to 3.3."""

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

    def test_search_title_ignores_case(self) -> None:
        book = NoteBook()
        book.add("Groceries")
        book.add("Garden")
        self.assertEqual([n.title for n in book.search_title("GRO")], ["Groceries"])


if __name__ == "__main__":
    unittest.main()
