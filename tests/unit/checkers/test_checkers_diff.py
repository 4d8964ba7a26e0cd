"""``diff.unified``: a unified diff for reports, bounded whatever the outputs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.checkers.diff import unified

NUMBERED = b"".join(b"line %d\n" % i for i in range(1, 10001))
PIECES = [b"a", b"b", b"\n", b"\n", b"\r\n", b" ", b"\t", b"\xff", "é".encode()]
OUTPUTS = st.binary(max_size=600) | st.lists(st.sampled_from(PIECES), max_size=300).map(b"".join)


def test_equal_outputs_have_no_diff() -> None:
    assert unified(b"a\nb\n", b"a\nb\n") == ""


def test_a_changed_line_is_shown_with_context() -> None:
    diff = unified(b"a\nb\nc\nd\ne\n", b"a\nb\nX\nd\ne\n")

    assert diff == "--- expected\n+++ output\n@@ -1,5 +1,5 @@\n a\n b\n-c\n+X\n d\n e"


def test_hunk_line_numbers_are_those_of_the_files() -> None:
    diff = unified(NUMBERED, NUMBERED.replace(b"line 500\n", b"line 500\nextra\n"))

    assert "@@ -498,6 +498,7 @@" in diff.splitlines()
    assert "+extra" in diff.splitlines()


def test_a_missing_final_newline_is_marked() -> None:
    diff = unified(b"a\n", b"a")

    assert diff.splitlines()[-3:] == ["-a", "+a", "\\ No newline at end of file"]


def test_line_end_bytes_are_visible() -> None:
    assert "+a\\r" in unified(b"a\n", b"a\r\n").splitlines()


def test_bytes_that_are_not_utf8_are_escaped() -> None:
    assert "+\\xff\\xfe" in unified(b"ok\n", b"\xff\xfe\n").splitlines()


def test_a_removed_line_does_not_misalign_the_lines_after_it() -> None:
    diff = unified(NUMBERED, NUMBERED.replace(b"line 50\n", b""))

    assert [line for line in diff.splitlines() if line[:1] in "+-"] == [
        "--- expected",
        "+++ output",
        "-line 50",
    ]


def test_differences_beyond_the_window_are_noted() -> None:
    output = NUMBERED.replace(b"line 50\n", b"line 50\nextra\n").replace(b"line 9000", b"LINE")

    assert unified(NUMBERED, output).splitlines()[-1].startswith("... (not compared past line ")


def test_the_number_of_lines_is_bounded() -> None:
    diff = unified(NUMBERED, b"", max_lines=10)

    assert len(diff.splitlines()) == 10
    assert diff.splitlines()[-1] == "... (diff truncated)"


def test_a_10mb_line_is_shown_around_its_first_difference() -> None:
    expected = b"x" * 10_000_000 + b"\n"
    output = b"x" * 5_000_000 + b"Y" + b"x" * 4_999_999 + b"\n"

    lines = unified(expected, output, max_line_chars=80).splitlines()

    assert all(len(line) <= 80 for line in lines)
    assert lines[-1].startswith("+...x") and "Y" in lines[-1]


@pytest.mark.parametrize(("max_lines", "max_line_chars"), [(0, 200), (40, 0)])
def test_bounds_must_be_positive(max_lines: int, max_line_chars: int) -> None:
    with pytest.raises(ValueError, match="at least one line of at least one character"):
        unified(b"a", b"b", max_lines, max_line_chars)


@settings(max_examples=300, database=None)
@given(
    OUTPUTS,
    OUTPUTS,
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=50),
)
def test_any_bytes_give_a_bounded_printable_diff(
    expected: bytes, output: bytes, max_lines: int, max_line_chars: int
) -> None:
    lines = unified(expected, output, max_lines, max_line_chars).split("\n")

    assert len(lines) <= max_lines
    assert all(len(line) <= max_line_chars and line.isprintable() for line in lines)
