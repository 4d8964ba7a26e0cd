"""A bounded unified diff of an expected output and an output, for reports.

Only a window of lines from the first difference on is compared, so the cost does not grow
with the outputs. The result has at most ``max_lines`` lines of at most ``max_line_chars``
characters; a long line is shown as a window around the column of the first difference, and
bytes are escaped as in ``excerpt`` (``\\r``, ``\\t``, ``\\xff``), so any bytes are safe.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from difflib import SequenceMatcher

from grader.checkers.excerpt import clip
from grader.checkers.scan import common_prefix, line_at

__all__ = ["unified"]

CONTEXT = 3  # unchanged lines shown around a change
_NO_NEWLINE = "\\ No newline at end of file"
_NEWLINE = b"\n"


def unified(expected: bytes, output: bytes, max_lines: int = 40, max_line_chars: int = 200) -> str:
    """A unified diff (``--- expected``, ``+++ output``) of the first differences; "" if none."""
    if max_lines < 1 or max_line_chars < 1:
        raise ValueError("a diff needs at least one line of at least one character")
    if expected == output:
        return ""
    at = common_prefix(expected, output)
    line, line_start = line_at(expected, at)
    start = _lines_back(expected, line_start, CONTEXT)
    window = _Window.of(expected, output, start, max_lines + CONTEXT)
    first = line - 1 - expected.count(_NEWLINE, start, line_start)  # window's 0-based line
    body = window.hunks(first, at - line_start, max_line_chars - 1)
    lines = ["--- expected", "+++ output", *body, *window.rest(expected, output)]
    return "\n".join(line[:max_line_chars] for line in _at_most(lines, max_lines))


@dataclass(frozen=True)
class _Window:
    """The lines compared: both sides' lines from byte ``start`` on, each with its newline."""

    start: int
    want: list[bytes]
    got: list[bytes]

    @classmethod
    def of(cls, expected: bytes, output: bytes, start: int, count: int) -> _Window:
        """Up to ``count`` lines of each; if both go on, up to their last common line only,
        since past it the cut windows are misaligned rather than different."""
        want, got = _lines(expected, start, count), _lines(output, start, count)
        if _reached(want, start, expected) or _reached(got, start, output):
            return cls(start, want, got)
        matcher = SequenceMatcher(None, want, got, autojunk=False)
        ends = [(i2, j2) for tag, _, i2, _, j2 in matcher.get_opcodes() if tag == "equal"]
        i2, j2 = ends[-1] if ends else (len(want), len(got))
        return cls(start, want[:i2], got[:j2])

    def hunks(self, first: int, focus: int, width: int) -> Iterator[str]:
        """The hunks, line numbers counted from ``first``, lines clipped around ``focus``."""
        matcher = SequenceMatcher(None, self.want, self.got, autojunk=False)
        for group in matcher.get_grouped_opcodes(CONTEXT):
            i1, j1, i2, j2 = group[0][1], group[0][3], group[-1][2], group[-1][4]
            yield f"@@ -{_range(first + i1, first + i2)} +{_range(first + j1, first + j2)} @@"
            for tag, a1, a2, b1, b2 in group:
                yield from _render("-" if tag != "equal" else " ", self.want[a1:a2], focus, width)
                if tag != "equal":
                    yield from _render("+", self.got[b1:b2], focus, width)

    def rest(self, expected: bytes, output: bytes) -> list[str]:
        """A closing note if the outputs differ beyond the lines compared."""
        want_end = self.start + sum(len(line) for line in self.want)
        got_end = self.start + sum(len(line) for line in self.got)
        if expected[want_end:] == output[got_end:]:
            return []
        return [f"... (not compared past line {expected.count(_NEWLINE, 0, want_end)} of expected)"]


def _lines_back(data: bytes, start: int, count: int) -> int:
    """The start of the line ``count`` lines before the one starting at ``start``."""
    for _ in range(count):
        if start == 0:
            break
        start = data.rfind(_NEWLINE, 0, start - 1) + 1
    return start


def _lines(data: bytes, start: int, count: int) -> list[bytes]:
    """Up to ``count`` lines of ``data`` from ``start``, each with its newline if it has one."""
    lines: list[bytes] = []
    while start < len(data) and len(lines) < count:
        end = data.find(_NEWLINE, start)
        end = len(data) if end < 0 else end + 1
        lines.append(data[start:end])
        start = end
    return lines


def _reached(lines: list[bytes], start: int, data: bytes) -> bool:
    """Whether ``lines``, taken from ``start``, run to the end of ``data``."""
    return start + sum(len(line) for line in lines) >= len(data)


def _range(start: int, stop: int) -> str:
    """A unified diff range as difflib writes it: 1-based; an empty one names the line before."""
    if stop - start == 1:
        return str(start + 1)
    return f"{start + 1 if stop > start else start},{stop - start}"


def _render(prefix: str, lines: list[bytes], focus: int, width: int) -> Iterator[str]:
    for line in lines:
        if line.endswith(_NEWLINE):
            yield prefix + clip(line[:-1], focus, width)
        else:
            yield prefix + clip(line, focus, width)
            yield _NO_NEWLINE


def _at_most(lines: list[str], count: int) -> list[str]:
    if len(lines) <= count:
        return lines
    return [*lines[: count - 1], "... (diff truncated)"]
