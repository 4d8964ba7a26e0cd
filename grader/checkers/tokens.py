"""``tokens`` (the default): the whitespace-separated tokens must be equal.

How the tokens are laid out in lines and spaces does not matter. Options:

- ``case_sensitive`` (default true): false compares ASCII letters regardless of case.
- ``float_absolute_tolerance``, ``float_relative_tolerance``, ``float_tolerance`` (sets both,
  each of the other two overrides it): when any is given, tokens that are numbers compare as
  numbers, and pass if within either tolerance (see ``tolerance``); others must be equal.

Outputs are read in blocks of about a megabyte, so memory stays proportional to a block, and
runs of tokens equal as text are compared at C speed; only tokens that differ as text cost a
Python-level comparison (about a microsecond each, with a tolerance).
"""

from __future__ import annotations

import operator
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import islice

from grader.checkers.excerpt import MAX_MESSAGE, MAX_SHOWN, MIN_SHOWN, around
from grader.checkers.result import CheckResult
from grader.checkers.scan import common_prefix
from grader.checkers.tolerance import Tolerance

__all__ = ["check"]

_BLOCK = 1 << 20
_TOKEN = re.compile(rb"\S+")
_WHITESPACE = re.compile(rb"\s")  # the same ASCII whitespace that bytes.split() splits on


def check(
    expected: bytes,
    output: bytes,
    *,
    case_sensitive: bool = True,
    float_tolerance: float | None = None,
    float_absolute_tolerance: float | None = None,
    float_relative_tolerance: float | None = None,
) -> CheckResult:
    if output == expected:
        return CheckResult(True)
    tolerances = (float_tolerance, float_absolute_tolerance, float_relative_tolerance)
    numbers = None if tolerances == (None, None, None) else Tolerance.of(*tolerances)
    options = _Options(not case_sensitive, numbers)
    index = _first_mismatch(options.fold(expected), options.fold(output), numbers)
    if index is None:
        return CheckResult(True)
    return CheckResult(False, _describe(expected, output, index, options))


@dataclass(frozen=True)
class _Options:
    case_insensitive: bool
    numbers: Tolerance | None  # None: tokens compare as text only

    def fold(self, data: bytes) -> bytes:
        return data.lower() if self.case_insensitive else data


def _first_mismatch(want: bytes, got: bytes, numbers: Tolerance | None) -> int | None:
    """The 0-based index of the first token pair that does not pass, if any."""
    index = 0
    for wanted, given in _runs(want, got):
        if wanted != given:
            offset = _first_rejected(wanted, given, numbers)
            if offset is not None:
                return index + offset
        index += len(wanted)
    return None


def _first_rejected(
    wanted: list[bytes], given: list[bytes], numbers: Tolerance | None
) -> int | None:
    """The first offset where ``given`` does not pass for ``wanted``, if any."""
    passes = numbers.accepts if numbers else operator.eq
    if len(wanted) == len(given) and all(map(passes, wanted, given)):
        return None
    rejected = (offset for offset, ok in enumerate(map(passes, wanted, given)) if not ok)
    return next(rejected, min(len(wanted), len(given)))


def _runs(want: bytes, got: bytes) -> Iterator[tuple[list[bytes], list[bytes]]]:
    """Both sides' tokens in order, as runs of equal length; the last pair holds what is left."""
    wants, gots = (tokens for _, tokens in _blocks(want)), (tokens for _, tokens in _blocks(got))
    wanted: list[bytes] = []
    given: list[bytes] = []
    while True:
        wanted, given = wanted or next(wants, []), given or next(gots, [])
        length = min(len(wanted), len(given))
        if length == 0:
            yield wanted, given
            return
        yield wanted[:length], given[:length]
        wanted, given = wanted[length:], given[length:]


def _blocks(data: bytes) -> Iterator[tuple[int, list[bytes]]]:
    """(offset, tokens) of consecutive blocks of about ``_BLOCK`` bytes, cut at whitespace."""
    start = 0
    while start < len(data):
        cut = _WHITESPACE.search(data, start + _BLOCK)
        end = cut.start() if cut else len(data)
        tokens = data[start:end].split()
        if tokens:
            yield start, tokens
        start = end


def _locate(data: bytes, index: int) -> tuple[bytes, int] | None:
    """Token ``index`` (0-based) of ``data`` and its 1-based line number, if there is one."""
    for start, tokens in _blocks(data):
        if index < len(tokens):
            match = next(islice(_TOKEN.finditer(data, start), index, None))
            return match.group(), data.count(b"\n", 0, match.start()) + 1
        index -= len(tokens)
    return None


def _describe(expected: bytes, output: bytes, index: int, options: _Options) -> str:
    """Where token ``index`` differs, expected vs got, and by how much for numbers."""
    want, got = _locate(expected, index), _locate(output, index)
    if want is None or got is None:
        return _ended(index, want, got)
    (wanted, want_line), (given, got_line) = want, got
    where = f"line {got_line}" + (
        "" if got_line == want_line else f"; expected on line {want_line}"
    )
    at = common_prefix(options.fold(wanted), options.fold(given))
    how_far = options.numbers.explain(wanted, given) if options.numbers else ""
    limit = MAX_SHOWN
    while True:  # long line numbers and a numeric explanation leave the excerpts less room
        message = (
            f"token {index + 1} ({where}): "
            f"expected {around(wanted, at, limit)}, got {around(given, at, limit)}{how_far}"
        )
        if len(message) <= MAX_MESSAGE or limit <= MIN_SHOWN:
            return message
        limit = max(MIN_SHOWN, limit - (len(message) - MAX_MESSAGE + 1) // 2)


def _ended(index: int, want: tuple[bytes, int] | None, got: tuple[bytes, int] | None) -> str:
    """The message when only one side has a token number ``index``."""
    if want is not None:
        return (
            f"token {index + 1} (expected on line {want[1]}): "
            f"expected {around(want[0], 0)}, got end of output"
        )
    assert got is not None
    return f"token {index + 1} (line {got[1]}): expected end of output, got {around(got[0], 0)}"
