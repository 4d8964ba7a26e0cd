"""Output checkers: one small module per comparison rule, all behind one contract.

A checker is a function ``check(expected: bytes, output: bytes, **options) -> CheckResult``
that never raises, whatever the bytes, and stays linear in their size. ``resolve(name,
options)`` validates a problem's YAML options and binds them with ``functools.partial`` once,
when the problem is loaded; a ValueError there says what was expected.

=================== =======================================================================
``exact``           the bytes are equal
``lines``           line by line, ignoring trailing whitespace (CR too) and final blank lines
``tokens``          (default) whitespace-separated tokens equal; options ``case_sensitive``,
                    ``float_tolerance``, ``float_absolute_tolerance``,
                    ``float_relative_tolerance`` (see ``tokens``)
``unordered_lines`` the lines of ``lines`` in any order, as a multiset (a set with
                    ``distinct``); alias ``sorted``
=================== =======================================================================

``diff.unified`` renders a bounded diff for reports. A problem's own checker program is not
in the registry: ``judging.checker_program`` compiles and runs it in a sandbox,
``judging.conventions`` reads its exit status (Kattis or testlib).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from grader.checkers import exact, lines, tokens, unordered_lines
from grader.checkers.options import Checker, bind
from grader.checkers.result import CheckResult

__all__ = ["REGISTRY", "CheckResult", "Checker", "resolve"]

REGISTRY: dict[str, Callable[..., CheckResult]] = {
    "exact": exact.check,
    "lines": lines.check,
    "sorted": unordered_lines.check,
    "tokens": tokens.check,
    "unordered_lines": unordered_lines.check,
}


def resolve(name: str, options: Mapping[str, object]) -> Checker:
    """The checker ``name`` with ``options`` bound; ValueError names what is wrong."""
    if name not in REGISTRY:
        raise ValueError(f"unknown checker {name!r} (known: {', '.join(sorted(REGISTRY))})")
    return bind(name, REGISTRY[name], options)
