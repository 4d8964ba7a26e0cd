"""Reports compared apart from what a run measures (times, dates, memory, the host)."""

from __future__ import annotations

import re
from typing import Any

MEASURED = {
    "started_at",
    "finished_at",
    "grader_version",
    "cpu_time_s",
    "wall_time_s",
    "memory_bytes",
    "environment",
    "host",
}
# A measured quantity inside a message ("peak 95.3 MiB", "1.25 s of CPU").
_QUANTITY = re.compile(r"\d+(\.\d+)?( ?)(s|ms|MiB|KiB|GiB|MB|KB|bytes|B)\b")


def normalized(value: Any) -> Any:
    """``value`` (a parsed report) without what a run measures. Which limit stops a TLE
    run, and so its message and signal, depends on the machine's load (the CPU limit, or
    the wall limit when the run is starved): a TLE case keeps only its verdict."""
    if isinstance(value, dict) and value.get("verdict") == "TLE" and "cases" not in value:
        value = {**value, "message": None, "signal": None, "exit_code": None}
    if isinstance(value, dict):
        return {k: None if k in MEASURED else normalized(v) for k, v in value.items()}
    if isinstance(value, list):
        return [normalized(v) for v in value]
    if isinstance(value, str):
        return _QUANTITY.sub(r"N\2\3", _after_memory_kill(value))
    return value


def _after_memory_kill(text: str) -> str:
    """A compile log that ends in a memory kill: only grader's line. Whether the compiler
    said more first ("gcc: fatal error: Killed signal ...") depends on who struck first, the
    kernel's OOM killer (cc1 only) or the supervisor at the cap (the whole tree)."""
    marker = "[grader] memory over"
    return text[text.index(marker) :] if marker in text else text
