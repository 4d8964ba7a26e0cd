"""The checker contract: every checker, on any bytes, never raises, agrees with a plain
reference implementation, keeps its message short and stays fast on huge outputs."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.checkers import REGISTRY, Checker, resolve

MB = 1_000_000
MAX_MESSAGE = 200  # what a report shows; a message must fit whatever the output
OPTION_SETS: list[tuple[str, dict[str, object]]] = [
    ("exact", {}),
    ("lines", {}),
    ("tokens", {}),
    ("tokens", {"case_sensitive": False}),
    ("tokens", {"float_tolerance": 1e-6}),
    ("tokens", {"float_absolute_tolerance": 0.5, "float_relative_tolerance": 0.0}),
    ("unordered_lines", {}),
]
PIECES = [b"1", b"-2.5", b"1e-7", b"1e400", b"nan", b"inf", b"a", b"A", b" ", b"\t"]
PIECES += [b"\n", b"\n", b"\r\n", b"\xff", "é".encode(), b"1" * 50]
OUTPUTS = st.binary(max_size=300) | st.lists(st.sampled_from(PIECES), max_size=60).map(b"".join)


def _lines(data: bytes) -> list[bytes]:
    """The reference for `lines`: split, strip each line, drop blank lines at the end."""
    lines = [line.rstrip() for line in data.split(b"\n")]
    while lines and not lines[-1]:
        lines.pop()
    return lines


REFERENCES: dict[str, Callable[[bytes, bytes], bool]] = {
    "exact": lambda expected, output: expected == output,
    "lines": lambda expected, output: _lines(expected) == _lines(output),
    "tokens": lambda expected, output: expected.split() == output.split(),
    "unordered_lines": lambda e, o: Counter(_lines(e)) == Counter(_lines(o)),
}


@pytest.mark.parametrize(("name", "options"), OPTION_SETS)
@settings(max_examples=200, database=None)
@given(expected=OUTPUTS, output=OUTPUTS)
def test_no_checker_raises_and_every_message_is_short(
    name: str, options: dict[str, object], expected: bytes, output: bytes
) -> None:
    result = resolve(name, options)(expected, output)

    assert result.accepted or 0 < len(result.message) <= MAX_MESSAGE
    assert result.message.isprintable()


@pytest.mark.parametrize(("name", "options"), OPTION_SETS)
@settings(max_examples=50, database=None)
@given(data=OUTPUTS)
def test_every_checker_accepts_the_expected_output_itself(
    name: str, options: dict[str, object], data: bytes
) -> None:
    assert resolve(name, options)(data, data).accepted


@pytest.mark.parametrize("name", sorted(REFERENCES))
@settings(max_examples=300, database=None)
@given(expected=OUTPUTS, output=OUTPUTS)
def test_verdict_agrees_with_the_reference_definition(
    name: str, expected: bytes, output: bytes
) -> None:
    assert resolve(name, {})(expected, output).accepted is REFERENCES[name](expected, output)


@settings(max_examples=200, database=None)
@given(expected=OUTPUTS, output=OUTPUTS)
def test_case_insensitive_tokens_agree_with_the_reference(expected: bytes, output: bytes) -> None:
    checker = resolve("tokens", {"case_sensitive": False})

    assert checker(expected, output).accepted is (
        expected.lower().split() == output.lower().split()
    )


def _ten_mb_line(wrong: bytes) -> tuple[bytes, bytes]:
    half = b"x" * (5 * MB)
    return half + b"a" + half + b"\n", half + wrong + half + b"\n"


@pytest.mark.parametrize(
    ("name", "where"),
    [
        ("exact", "byte 5000001 (line 1, column 5000001)"),
        ("lines", "line 1, column 5000001"),
        ("tokens", "token 1 (line 1)"),
        ("unordered_lines", "line 1, "),
    ],
)
def test_a_10mb_wrong_line_gets_a_short_message_at_the_difference(name: str, where: str) -> None:
    expected, output = _ten_mb_line(b"b")

    message = resolve(name, {})(expected, output).message

    assert message.startswith(where)
    assert len(message) <= MAX_MESSAGE
    assert "(10000002 bytes)" in message or "(10000001 bytes)" in message


def test_the_excerpt_of_a_10mb_line_is_centred_on_the_difference() -> None:
    expected, output = _ten_mb_line(b"b")

    message = resolve("lines", {})(expected, output).message

    assert "xxa" in message and "xxb" in message


def test_tokens_count_across_blocks_of_different_layout() -> None:
    # Over a megabyte each, laid out differently, so both sides are read in unaligned blocks.
    expected = b"\n".join(b"%d" % i for i in range(300_000))
    output = b"   ".join(b"%d" % i for i in range(300_000)).replace(b" 299990 ", b" 299999 ")

    message = resolve("tokens", {})(expected, output).message

    assert message.startswith("token 299991 (line 1; expected on line 299991): ")


def test_tolerated_numbers_are_compared_across_blocks() -> None:
    expected = b"\n".join(b"%d" % i for i in range(300_000))
    output = b" ".join(b"%d.00001" % i for i in range(300_000))

    assert resolve("tokens", {"float_absolute_tolerance": 1e-4})(expected, output).accepted


Pathology = tuple[str, dict[str, object], bytes, bytes]
PATHOLOGIES: dict[str, Pathology] = {
    "lines: 10 MB of spaces before the difference": (
        "lines",
        {},
        b" " * (10 * MB) + b"x\n",
        b" " * (10 * MB) + b"y\n",
    ),
    "lines: 10 MB of trailing spaces on every line": (
        "lines",
        {},
        b"a\n" * MB,
        b"a \r\n" * (2 * MB) + b" " * (10 * MB),
    ),
    "tokens: a 10 MB number with a tolerance": (
        "tokens",
        {"float_tolerance": 1e-6},
        b"1" * (10 * MB),
        b"1" * (10 * MB - 1) + b"2",
    ),
    "tokens: a 10 MB word that almost parses as a number": (
        "tokens",
        {"float_tolerance": 1e-6},
        b"1" * (10 * MB) + b"x",
        b"1" * (10 * MB) + b"y",
    ),
    "tokens: 20 MB of one-byte tokens, last one wrong": (
        "tokens",
        {},
        b"1 " * (10 * MB),
        b"1\n" * (10 * MB - 1) + b"2\n",
    ),
    "unordered_lines: 20 MB of lines": (
        "unordered_lines",
        {},
        b"ab\n" * (7 * MB),
        b"ba\n" + b"ab\n" * (7 * MB - 1),
    ),
    "exact: 20 MB differing at the end": (
        "exact",
        {},
        b"x" * (20 * MB),
        b"x" * (20 * MB - 1) + b"y",
    ),
}


@pytest.mark.parametrize("case", sorted(PATHOLOGIES))
def test_huge_outputs_are_checked_in_linear_time(case: str) -> None:
    name, options, expected, output = PATHOLOGIES[case]
    checker: Checker = resolve(name, options)

    started = time.perf_counter()
    checker(expected, output)

    assert time.perf_counter() - started < 10  # a quadratic scan would take minutes


def test_every_registered_checker_is_covered_here() -> None:
    assert {name for name, _ in OPTION_SETS} | {"sorted"} == set(REGISTRY)


def test_a_long_numeric_mismatch_message_still_fits() -> None:
    # Found by the property test above: two cut excerpts, two line numbers and the
    # tolerance's explanation made 202 characters.
    before = b"0 " * 99_999  # token 100000, on line 100000 of the output
    expected = before + b"7" * 30 + b"1" * 13 + b"." + b"0" * 60 + b"\n"
    output = before + b"\n" * 99_999 + b"7" * 30 + b"1" * 15 + b"." + b"0" * 60 + b"\n"
    message = resolve("tokens", {"float_tolerance": 1e-6})(expected, output).message
    assert "off by" in message
    assert len(message) <= MAX_MESSAGE
