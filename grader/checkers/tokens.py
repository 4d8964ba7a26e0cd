"""``tokens`` (the default): whitespace-separated tokens must be equal, case-sensitive."""

from __future__ import annotations

import re
from collections.abc import Iterator

from grader.checkers.excerpt import show
from grader.checkers.result import CheckResult

__all__ = ["check"]

_TOKEN = re.compile(rb"\S+")


def _tokens(data: bytes) -> Iterator[tuple[int, bytes]]:
    """(line number, token) pairs."""
    line, last = 1, 0
    for match in _TOKEN.finditer(data):
        line += data.count(b"\n", last, match.start())
        last = match.start()
        yield line, match.group()


def check(expected: bytes, output: bytes) -> CheckResult:
    want, got = _tokens(expected), _tokens(output)
    index = 0
    while True:
        index += 1
        a, b = next(want, None), next(got, None)
        if a is None and b is None:
            return CheckResult(True)
        if a is None:
            assert b is not None
            return CheckResult(False, f"line {b[0]}: extra output {show(b[1])}")
        if b is None:
            return CheckResult(False, f"line {a[0]}: output ended, expected {show(a[1])}")
        if a[1] != b[1]:
            return CheckResult(
                False, f"line {b[0]}, token {index}: expected {show(a[1])}, got {show(b[1])}"
            )
