"""The content an Edit or MultiEdit would leave, computed as Claude Code 2.1.x computes it."""

from __future__ import annotations

from specrail.hooks.edits import apply, proposed


def test_the_replacement_is_literal() -> None:
    assert (
        apply('{"a": "x"}', [{"old_string": '"x"', "new_string": '"$& $1 \\\\1"'}]) == '{"a": "$& $1 \\\\1"}'
    )


def test_one_match_unless_replace_all() -> None:
    assert apply("a a", [{"old_string": "a", "new_string": "b"}]) is None
    assert apply("a a", [{"old_string": "a", "new_string": "b", "replace_all": True}]) == "b b"
    assert apply("a a", [{"old_string": "a", "new_string": "b", "replace_all": "yes"}]) is None


def test_refused_calls_give_none() -> None:
    assert apply("abc", [{"old_string": "x", "new_string": "y"}]) is None  # not found
    assert apply("abc", [{"old_string": "b", "new_string": "b"}]) is None  # nothing changes
    assert apply("abc", [{"old_string": "", "new_string": "y"}]) is None  # never overwrites a file
    edits = [{"old_string": "a", "new_string": "xyz"}, {"old_string": "y", "new_string": "q"}]
    assert apply("abc", edits) is None  # an edit of an earlier edit's text
    assert apply("abc", [{"old_string": 1, "new_string": "y"}]) is None


def test_deleting_a_line_takes_its_line_break() -> None:
    assert apply("one\ntwo\nthree\n", [{"old_string": "two", "new_string": ""}]) == "one\nthree\n"


def test_curly_quotes_match_and_are_kept() -> None:
    text = "The \u201cmain\u201d idea isn\u2019t new"
    out = apply(text, [{"old_string": 'The "main" idea', "new_string": 'The "first" idea'}])
    assert out == "The \u201cfirst\u201d idea isn\u2019t new"
    out = apply(text, [{"old_string": "isn't new", "new_string": "wasn't 'new'"}])
    assert out == "The \u201cmain\u201d idea wasn\u2019t \u2018new\u2019"


def test_multi_edit_applies_in_order_and_edit_sees_lf() -> None:
    edits = [{"old_string": "a", "new_string": "b"}, {"old_string": "c", "new_string": "d"}]
    assert proposed("MultiEdit", {"edits": edits}, "a\r\nc\r\n") == "b\nd\n"
    assert proposed("Edit", {"old_string": "a\nc", "new_string": "x"}, "a\r\nc\r\n") == "x\n"


def test_a_new_file_and_a_write() -> None:
    assert proposed("Edit", {"old_string": "", "new_string": "{}"}, None) == "{}"
    assert proposed("Edit", {"old_string": "a", "new_string": "b"}, None) is None
    assert proposed("Write", {"content": "{}"}, "old") == "{}"
    assert proposed("Write", {"content": 3}, None) is None
    assert proposed("MultiEdit", {"edits": "no"}, "x") is None
