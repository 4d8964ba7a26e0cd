"""``excerpt``: untrusted output rendered as short, single-line, escaped text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from grader.checkers.excerpt import MAX_SHOWN, around, clip, show


def test_short_data_is_shown_whole_and_quoted() -> None:
    assert show(b"hello") == "'hello'"


def test_bytes_that_are_not_utf8_are_escaped() -> None:
    assert show(b"a\xff\x00") == "'a\\xff\\x00'"


def test_valid_utf8_is_shown_as_text() -> None:
    assert show("café".encode()) == "'café'"


def test_control_and_invisible_characters_are_escaped() -> None:
    assert show("a\r\n\t\u200b".encode()) == "'a\\r\\n\\t\\u200b'"


def test_quotes_and_backslashes_are_escaped() -> None:
    assert show(b"it's \\") == "'it\\'s \\\\'"


def test_long_data_is_cut_with_its_size() -> None:
    assert show(b"x" * 1000) == f"'{'x' * MAX_SHOWN}'... (1000 bytes)"


def test_window_is_around_the_byte_of_interest() -> None:
    data = b"a" * 5000 + b"B" + b"c" * 5000

    shown = around(data, 5000)

    assert shown.startswith("...'aaa") and shown.endswith("ccc'... (10001 bytes)")
    assert "aB" in shown


def test_window_does_not_split_a_utf8_character() -> None:
    data = "é".encode() * 100

    assert "\\x" not in around(data, 101)  # byte 101 is inside the 51st 'é'


def test_window_at_the_end_shows_the_tail() -> None:
    assert around(b"x" * 100 + b"end", 103).endswith("xend' (103 bytes)")


@settings(max_examples=300, database=None)
@given(st.binary(max_size=2000), st.integers(min_value=-5, max_value=2100))
def test_an_excerpt_is_one_bounded_printable_line(data: bytes, at: int) -> None:
    shown = around(data, at)

    assert len(shown) <= MAX_SHOWN + len("...''... (2000 bytes)")
    assert shown.isprintable()  # so no newline, CR or other control character


@settings(max_examples=300, database=None)
@given(st.binary(max_size=500), st.integers(min_value=0, max_value=500), st.integers(0, 80))
def test_a_clip_is_printable_and_at_most_its_limit(data: bytes, at: int, limit: int) -> None:
    clipped = clip(data, at, limit)

    assert len(clipped) <= limit
    assert clipped.isprintable()
