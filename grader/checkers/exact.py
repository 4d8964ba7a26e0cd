"""``exact``: the output must equal the expected bytes, whitespace and line ends included."""

from __future__ import annotations

from grader.checkers.excerpt import around
from grader.checkers.result import CheckResult
from grader.checkers.scan import common_prefix, line_at

__all__ = ["check"]


def check(expected: bytes, output: bytes) -> CheckResult:
    if output == expected:
        return CheckResult(True)
    at = common_prefix(expected, output)
    line, start = line_at(expected, at)
    return CheckResult(
        False,
        f"byte {at + 1} (line {line}, column {at - start + 1}): "
        f"expected {_from(expected, at)}, got {_from(output, at)}",
    )


def _from(data: bytes, at: int) -> str:
    return around(data, at) if at < len(data) else "end of output"
