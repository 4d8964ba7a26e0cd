"""Short, safe renderings of untrusted output for checker messages and diffs.

Output is shown as UTF-8 text where it is valid and printable; every other byte is escaped
(``\\xff``, ``\\n``, ``\\u200b``), so a rendering is one line of plain text whatever the bytes.
A rendering is bounded in characters, never in input size: a window of the data around the
byte of interest, with ``...`` where it was cut.
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["MAX_MESSAGE", "MAX_SHOWN", "MIN_SHOWN", "around", "clip", "show"]

MAX_SHOWN = 40  # characters of data in one excerpt, escapes included
MAX_MESSAGE = 200  # characters of a checker's whole message, as a report shows it
MIN_SHOWN = 12  # an excerpt shrinks to make a message fit, down to this
_MARK = "..."
_BYTES_PER_CHAR = 4  # the longest UTF-8 sequence: enough input for `limit` characters


def show(data: bytes, limit: int = MAX_SHOWN) -> str:
    """``data`` quoted, at most ``limit`` characters of it from the start, its size if cut."""
    return around(data, 0, limit)


def around(data: bytes, at: int, limit: int = MAX_SHOWN) -> str:
    """``data`` quoted, a window of at most ``limit`` characters around byte ``at``."""
    cut_before, text, cut_after = _window(data, at, limit)
    quoted = (_MARK if cut_before else "") + f"'{text}'" + (_MARK if cut_after else "")
    return f"{quoted} ({len(data)} bytes)" if cut_before or cut_after else quoted


def clip(data: bytes, at: int, limit: int) -> str:
    """``data`` unquoted, at most ``limit`` characters around byte ``at``, ``...`` where cut."""
    cut_before, text, cut_after = _window(data, at, limit)
    if not (cut_before or cut_after):
        return text
    if limit <= 2 * len(_MARK):
        return _MARK[:limit]
    cut_before, text, cut_after = _window(data, at, limit - 2 * len(_MARK))
    return (_MARK if cut_before else "") + text + (_MARK if cut_after else "")


def _window(data: bytes, at: int, limit: int) -> tuple[bool, str, bool]:
    """(cut before?, escaped text of at most ``limit`` characters, cut after?)."""
    at = _char_start(data, max(0, min(at, len(data))))
    reach = _BYTES_PER_CHAR * limit
    after, cut_after = _fit(_escaped(data[at : at + reach]), limit - min(limit // 3, at))
    after_end_seen = at + reach >= len(data)
    room = limit - sum(map(len, after))
    before, cut_before = _fit(_escaped(data[max(0, at - reach) : at])[::-1], room)
    text = "".join(reversed(before)) + "".join(after)
    return cut_before or at - reach > 0, text, cut_after or not after_end_seen


def _char_start(data: bytes, at: int) -> int:
    """``at`` moved back to the start of the UTF-8 character it is inside, if any."""
    for back in range(min(3, at) + 1):
        if at - back >= len(data) or data[at - back] & 0xC0 != 0x80:
            return at - back
    return at


def _fit(pieces: Iterable[str], budget: int) -> tuple[list[str], bool]:
    """The leading ``pieces`` whose total length fits ``budget``, and whether any were left."""
    taken: list[str] = []
    used = 0
    for piece in pieces:
        if used + len(piece) > budget:
            return taken, True
        taken.append(piece)
        used += len(piece)
    return taken, False


def _escaped(data: bytes) -> list[str]:
    """One printable piece per character of ``data``."""
    return [_escape(char) for char in data.decode("utf-8", "surrogateescape")]


def _escape(char: str) -> str:
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # a byte that is not valid UTF-8
        return f"\\x{code - 0xDC00:02x}"
    if char == "'":
        return "\\'"
    return repr(char)[1:-1]
