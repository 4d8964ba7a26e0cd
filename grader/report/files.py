"""Writing report files atomically, or to stdout for ``-``."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

__all__ = ["write_atomically"]


def write_atomically(path: Path | str, text: str) -> None:
    """Write ``text`` to ``path`` via a temp file and a rename; ``-`` means stdout. Line
    ends are written as given (no newline translation)."""
    if str(path) == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:  # CSV's CRLF as is
            handle.write(text)
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
