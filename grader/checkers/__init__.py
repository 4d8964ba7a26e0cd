"""Output checkers: one small module per comparison rule, all behind one contract.

A checker is a function ``check(expected: bytes, output: bytes, **options) -> CheckResult``;
``resolve(spec)`` binds a problem's YAML options with ``functools.partial`` and validates
them once, when the problem is loaded. The default is ``tokens``: whitespace-separated
tokens equal, case-sensitive.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable

from grader.checkers import exact, tokens
from grader.checkers.result import CheckResult

__all__ = ["REGISTRY", "CheckResult", "Checker", "resolve"]

Checker = Callable[[bytes, bytes], CheckResult]

REGISTRY: dict[str, Callable[..., CheckResult]] = {
    "exact": exact.check,
    "tokens": tokens.check,
}


def resolve(name: str, options: dict[str, object]) -> Checker:
    """The checker ``name`` with ``options`` bound; ValueError names what is wrong."""
    if name not in REGISTRY:
        raise ValueError(f"unknown checker {name!r} (known: {', '.join(sorted(REGISTRY))})")
    check = REGISTRY[name]
    accepted = [p for p in inspect.signature(check).parameters.values() if p.kind is p.KEYWORD_ONLY]
    known = {p.name for p in accepted}
    for key in options:
        if key not in known:
            allowed = ", ".join(sorted(known)) or "none"
            raise ValueError(f"checker {name!r} has no option {key!r} (options: {allowed})")
    return functools.partial(check, **options)
