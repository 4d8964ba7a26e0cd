"""``exact``: the output must equal the expected bytes."""

from __future__ import annotations

from grader.checkers.excerpt import show
from grader.checkers.result import CheckResult

__all__ = ["check"]


def check(expected: bytes, output: bytes) -> CheckResult:
    if output == expected:
        return CheckResult(True)
    at = next(
        (i for i, (a, b) in enumerate(zip(expected, output, strict=False)) if a != b),
        min(len(expected), len(output)),
    )
    line = expected.count(b"\n", 0, at) + 1
    start = max(0, at - 10)
    return CheckResult(
        False,
        f"byte {at + 1} (line {line}): expected {show(expected[start : at + 30])}, "
        f"got {show(output[start : at + 30])}",
    )
