"""``unordered_lines`` (alias ``sorted``): the same lines as expected, in any order.

The lines are compared as a multiset: a line repeated in the expected output must be repeated
as often in the output. With ``distinct: true`` they are compared as a set: a line counts
once however often either side repeats it. Trailing whitespace on each line (CR included)
and blank lines at the end are ignored, as in ``lines``; blank lines elsewhere count.
"""

from __future__ import annotations

from collections import Counter

from grader.checkers.excerpt import show
from grader.checkers.result import CheckResult
from grader.checkers.scan import strip_line_ends

__all__ = ["check"]


def check(expected: bytes, output: bytes, *, distinct: bool = False) -> CheckResult:
    want, got = _lines(expected), _lines(output)
    if distinct:
        want, got = list(dict.fromkeys(want)), list(dict.fromkeys(got))
    wanted, given = Counter(want), Counter(got)
    if wanted == given:
        return CheckResult(True)
    extra = _first_beyond(got, wanted)
    if extra is not None:
        line = got[extra]
        message = f"line {extra + 1}, {show(line)}, is {_unexpected(wanted[line], given[line])}"
    else:  # the multisets differ and the output has no line too many: one is missing
        missing = _first_beyond(want, given)
        assert missing is not None
        line = want[missing]
        message = (
            f"expected line {missing + 1}, {show(line)}, {_missing(wanted[line], given[line])}"
        )
    return CheckResult(False, f"{message} (output has {_count(len(got))}, expected {len(want)})")


def _unexpected(wanted: int, given: int) -> str:
    if wanted == 0:
        return "not an expected line"
    return f"one too many: expected {_times(wanted)}, output has it {_times(given)}"


def _missing(wanted: int, given: int) -> str:
    if given == 0:
        return "is missing from the output"
    return f"is missing: expected {_times(wanted)}, output has it {_times(given)}"


def _times(count: int) -> str:
    return "once" if count == 1 else f"{count} times"


def _count(lines: int) -> str:
    return "1 line" if lines == 1 else f"{lines} lines"


def _lines(data: bytes) -> list[bytes]:
    stripped = strip_line_ends(data)
    return stripped.split(b"\n") if stripped else []


def _first_beyond(lines: list[bytes], allowed: Counter[bytes]) -> int | None:
    """The index of the first line seen more often than ``allowed`` says, if any."""
    seen: Counter[bytes] = Counter()
    for index, line in enumerate(lines):
        seen[line] += 1
        if seen[line] > allowed[line]:
            return index
    return None
