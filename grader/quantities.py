"""Durations and sizes as people write them in problem files: ``1``, ``"500ms"``, ``"2s"``,
``64``, ``"64MB"``, ``"1GB"``.

A bare number of seconds or mebibytes; ``k``/``M``/``G`` sizes are binary (``MB`` and
``MiB`` both mean 2**20 bytes, as in every judge's memory limit).
"""

from __future__ import annotations

import math
import re

__all__ = ["number", "parse_duration", "parse_size"]

_DURATION = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(ms|s|m)?\s*$", re.IGNORECASE)
_SIZE = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*([kmg]i?b?|b)?\s*$", re.IGNORECASE)
_SECONDS = {"ms": 0.001, "s": 1.0, "m": 60.0}
_BYTES = {"b": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}


def number(value: object) -> float | None:
    """A YAML number as a float; None for anything else (a bool is not a number)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def parse_duration(value: object) -> float:
    """Seconds from ``1``, ``0.5``, ``"500ms"``, ``"2s"``, ``"1m"``; ValueError otherwise."""
    seconds = number(value)
    if seconds is None:
        match = _DURATION.match(str(value)) if isinstance(value, str) else None
        if not match:
            raise ValueError(f'expected seconds, like 1, 0.5, "500ms" or "2s"; got {value!r}')
        seconds = float(match.group(1)) * _SECONDS[(match.group(2) or "s").lower()]
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"expected a positive duration; got {value!r}")
    return seconds


def parse_size(value: object, unit: int = 1 << 20) -> int:
    """Bytes from ``64`` (in ``unit``, MiB by default), ``"64MB"``, ``"1GB"``, ``"512k"``."""
    amount = number(value)
    if amount is not None:
        size = amount * unit
    else:
        match = _SIZE.match(value) if isinstance(value, str) else None
        if not match:
            raise ValueError(f'expected a size, like 64, "64MB" or "1GB"; got {value!r}')
        suffix = (match.group(2) or "m").lower()[0]
        size = float(match.group(1)) * _BYTES[suffix]
    if not math.isfinite(size) or size <= 0:
        raise ValueError(f"expected a positive size; got {value!r}")
    return int(size)
