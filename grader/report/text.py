"""How report writers show untrusted text and measurements to people.

Program output reaches reports through checker messages, run-time error tails and compile
logs, and submission ids come from file names: any of them may hold NUL, terminal escapes
or undecodable bytes. ``visible`` turns every character that XML 1.0 forbids or a reader
cannot see into a visible backslash escape, so nothing is silently dropped and every
writer (XML, HTML, CSV) gets text it can encode.
"""

from __future__ import annotations

import re

from grader.judging.verdicts import signal_name
from grader.model import MIB

__all__ = ["exit_status", "mebibytes", "memory_limit", "seconds", "visible"]

# C0 controls but tab, newline and carriage return; DEL and C1 controls; lone surrogates
# (undecodable bytes from os.fsdecode or errors="surrogateescape"); U+FFFE and U+FFFF.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_ESCAPED_BYTES = range(0xDC80, 0xDD00)  # surrogateescape's stand-ins for bytes 0x80-0xff


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code in _ESCAPED_BYTES:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def visible(text: str) -> str:
    r"""``text`` with forbidden and invisible characters escaped: NUL becomes ``\x00``,
    ESC ``\x1b``, an undecodable byte 0xff (a surrogate escape) ``\xff``."""
    return _INVISIBLE.sub(_escape, text)


def seconds(value: float | None) -> str:
    """``0.123 s``; ``-`` when not measured."""
    return "-" if value is None else f"{value:.3f} s"


def mebibytes(value: int | None) -> str:
    """``12.3 MiB``; ``-`` when not measured."""
    return "-" if value is None else f"{value / MIB:.1f} MiB"


def memory_limit(size: int) -> str:
    """A limit as people set it: ``64 MiB``, ``0.5 MiB``."""
    return f"{size / MIB:g} MiB"


def exit_status(exit_code: int | None, signal: int | None) -> str:
    """``killed by SIGSEGV``, ``exit code 1``, or ``-`` for a run that did not happen."""
    if signal is not None:
        return f"killed by {signal_name(signal)}"
    return "-" if exit_code is None else f"exit code {exit_code}"
