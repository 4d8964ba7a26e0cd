"""The result every checker returns."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["CheckResult"]


@dataclass(frozen=True)
class CheckResult:
    accepted: bool
    message: str = ""  # for a rejection: where the first difference is, expected vs got
