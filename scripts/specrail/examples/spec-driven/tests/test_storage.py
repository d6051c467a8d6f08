"""Behaviour of specs/storage.md."""

from __future__ import annotations

import tempfile
import unittest
from pathlib import Path

from notes.core import NoteBook
from notes.storage import load, save


class StorageTest(unittest.TestCase):
    def test_round_trip(self) -> None:
        """spec: specs/storage.md#2"""
        book = NoteBook()
        book.add("Kept", "body")
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "notes.json"
            save(book, path)
            self.assertEqual(load(path).list(), book.list())


if __name__ == "__main__":
    unittest.main()
