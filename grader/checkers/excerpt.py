"""Short, safe renderings of untrusted output for checker messages."""

from __future__ import annotations

__all__ = ["show"]

MAX_SHOWN = 40


def show(data: bytes, limit: int = MAX_SHOWN) -> str:
    """``data`` as a quoted, escaped excerpt of at most ``limit`` bytes."""
    if len(data) > limit:
        return repr(data[:limit])[1:] + f" ... ({len(data)} bytes)"
    return repr(data)[1:]
