"""``lines``: the output must equal the expected output line by line.

Trailing whitespace on each line is ignored (so CRLF line ends equal LF ones), and so are
blank lines at the end and a missing final newline. Leading and inner whitespace count.
"""

from __future__ import annotations

from grader.checkers.excerpt import around, show
from grader.checkers.result import CheckResult
from grader.checkers.scan import common_prefix, line_at, line_end, strip_line_ends

__all__ = ["check"]


def check(expected: bytes, output: bytes) -> CheckResult:
    want, got = strip_line_ends(expected), strip_line_ends(output)
    if want == got:
        return CheckResult(True)
    if not want or not got:
        return CheckResult(False, _extra_or_missing(want, got, 1, 0))
    at = common_prefix(want, got)
    line, start = line_at(want, at)
    want_line, got_line = _line(want, start), _line(got, start)
    if want_line == got_line:  # one side ends after this line, the other goes on
        return CheckResult(False, _extra_or_missing(want, got, line + 1, at + 1))
    column = at - start
    return CheckResult(
        False,
        f"line {line}, column {column + 1}: "
        f"expected {around(want_line, column)}, got {around(got_line, column)}",
    )


def _extra_or_missing(want: bytes, got: bytes, line: int, start: int) -> str:
    """The message when only one side has a line ``line``, starting at byte ``start``."""
    if len(want) > len(got):
        return f"line {line}: expected {show(_line(want, start))}, got end of output"
    return f"line {line}: expected end of output, got {show(_line(got, start))}"


def _line(data: bytes, start: int) -> bytes:
    return data[start : line_end(data, start)]
