"""Checker options from a problem's YAML, validated and bound once, when the problem loads.

An option is a keyword-only parameter of a checker's ``check`` function, and its annotation
says what it takes: a ``bool`` option must be a YAML boolean, a ``float`` option (all of them
are tolerances) a non-negative number. Errors are ValueErrors naming the checker, the option
and what was expected, for the problem loader to report.
"""

from __future__ import annotations

import functools
import inspect
import math
import types
from collections.abc import Callable, Mapping

from grader.checkers.result import CheckResult

__all__ = ["Checker", "bind"]

Checker = Callable[[bytes, bytes], CheckResult]


def bind(name: str, check: Callable[..., CheckResult], options: Mapping[str, object]) -> Checker:
    """``check`` with ``options`` bound, after checking each name and value."""
    kinds = _option_kinds(check)
    for key, value in options.items():
        if key not in kinds:
            known = ", ".join(sorted(kinds)) or "none"
            raise ValueError(f"checker {name!r} has no option {key!r} (options: {known})")
        problem = _problem(kinds[key], value)
        if problem:
            raise ValueError(f"checker {name!r} option {key!r} {problem}")
    return functools.partial(check, **options)


def _option_kinds(check: Callable[..., CheckResult]) -> dict[str, object]:
    """Each option of ``check`` and its value type."""
    parameters = inspect.signature(check, eval_str=True).parameters.values()
    return {p.name: _without_none(p.annotation) for p in parameters if p.kind is p.KEYWORD_ONLY}


def _without_none(annotation: object) -> object:
    """``X | None`` (None meaning "not given") as ``X``; other annotations as they are."""
    if isinstance(annotation, types.UnionType):
        return next(arg for arg in annotation.__args__ if arg is not type(None))
    return annotation


def _problem(kind: object, value: object) -> str:
    """What is wrong with ``value`` for an option of type ``kind``; empty if nothing."""
    if kind is bool and not isinstance(value, bool):
        return f"must be true or false, got {value!r}"
    if kind is float and not _non_negative_number(value):
        return f"must be a non-negative number, got {value!r}{_yaml_hint(value)}"
    return ""


def _non_negative_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def _yaml_hint(value: object) -> str:
    """A hint for ``1e-6``, which YAML 1.1 (PyYAML) reads as a string, not a number."""
    if not isinstance(value, str):
        return ""
    try:
        number = float(value)
    except ValueError:
        return ""
    if not math.isfinite(number):
        return ""
    return f" (YAML reads {value} as text: write a dot in the mantissa, e.g. 1.0e-6)"
