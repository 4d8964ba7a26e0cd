"""Folders of small text files written for a test (a problem package, its submissions)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

__all__ = ["write_tree"]


def write_tree(root: Path, texts: Mapping[str, str]) -> Path:
    """Write each relative path of ``texts`` under ``root`` with its text; ``root``."""
    for name, text in texts.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root
