"""Linear-time scans over whole outputs, shared by the checkers.

Everything here works on outputs of tens of megabytes at C speed: byte-string methods and
regular expressions that cannot backtrack, no Python loop per byte or per line.
"""

from __future__ import annotations

import re

__all__ = ["common_prefix", "line_at", "line_end", "strip_line_ends"]

_BLOCK = 4096
_SPACES = (b" ", b"\t", b"\r", b"\x0b", b"\x0c")  # ASCII whitespace other than the newline
# A run of trailing spaces, matched only from its start so that a long run is scanned once.
_TRAILING_SPACE = re.compile(rb"(?<![ \t\r\x0b\x0c])[ \t\r\x0b\x0c]++(?=\n)")


def common_prefix(a: bytes, b: bytes) -> int:
    """The length of the longest common prefix of ``a`` and ``b``."""
    end = min(len(a), len(b))
    start = 0
    while start < end and a[start : start + _BLOCK] == b[start : start + _BLOCK]:
        start += _BLOCK
    stop = min(start + _BLOCK, end)
    return next((i for i in range(start, stop) if a[i] != b[i]), stop)


def line_at(data: bytes, at: int) -> tuple[int, int]:
    """(1-based line number, offset of the line's start) of the line holding byte ``at``."""
    return data.count(b"\n", 0, at) + 1, data.rfind(b"\n", 0, at) + 1


def line_end(data: bytes, start: int) -> int:
    """The offset just past the last byte (newline excluded) of the line starting at ``start``."""
    end = data.find(b"\n", start)
    return len(data) if end < 0 else end


def strip_line_ends(data: bytes) -> bytes:
    """``data`` without trailing whitespace on any line (CR included) nor trailing blank lines.

    Line numbers are kept: only bytes before a newline, and the whitespace at the very end,
    are removed.
    """
    data = data.replace(b"\r\n", b"\n")
    if any(space + b"\n" in data for space in _SPACES):
        data = _TRAILING_SPACE.sub(b"", data)
    return data.rstrip()
