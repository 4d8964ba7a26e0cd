"""A Kattis package's output validator as a grader checker, in every format version.

The default validator's flags (``case_sensitive``, ``space_change_sensitive``,
``float_tolerance ε``, ``float_absolute_tolerance ε``, ``float_relative_tolerance ε``)
become a built-in checker: ``tokens`` (case-INsensitive unless ``case_sensitive``, the
tolerances as its options), or ``exact`` for ``space_change_sensitive``, refused where
``exact`` would judge differently. A custom validator is a checker program called by the
Kattis convention with the flags as its arguments. Errors name the file, key and line the
flags come from (``FlagSource``). Reads the answer files (for letters) and the validator's
source.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from grader import checkers
from grader.errors import ProblemError
from grader.model import CheckerProgram, CheckerSpec, Convention
from grader.problem.yamlfile import key_error
from grader.submissions import program_source
from grader.submissions.languages import load_languages

__all__ = ["FLOAT_FLAGS", "FlagSource", "default_checker", "program_checker"]

FLOAT_FLAGS = ("float_tolerance", "float_absolute_tolerance", "float_relative_tolerance")
_KNOWN = ("case_sensitive", "space_change_sensitive", *FLOAT_FLAGS)


@dataclass(frozen=True)
class FlagSource:
    """Where a package gives its validator flags: the file, key and line an error names."""

    file: Path
    key: str
    line: int = 0

    def fail(self, message: str) -> ProblemError:
        return key_error(self.file, self.key, self.line, message)


def default_checker(root: Path, flags: Sequence[str], source: FlagSource) -> CheckerSpec:
    """The built-in checker the default validator's ``flags`` amount to, for the package
    in ``root``."""
    options: dict[str, object] = {"case_sensitive": False}
    space_sensitive = False
    words = iter(flags)
    for flag in words:
        if flag == "case_sensitive":
            options["case_sensitive"] = True
        elif flag == "space_change_sensitive":
            space_sensitive = True
        elif flag in FLOAT_FLAGS:
            options[flag] = _tolerance(flag, next(words, ""), source)
        else:
            close = difflib.get_close_matches(flag, _KNOWN, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise source.fail(f"unknown flag {flag!r}{hint}")
    if space_sensitive:
        return _exact(root, options, source)
    checkers.resolve("tokens", options)
    return CheckerSpec("tokens", options)


def program_checker(
    root: Path, name: str, flags: Sequence[str], file: Path, where: str
) -> CheckerSpec:
    """The validator program ``name`` (a file or folder in ``root``) as a Kattis checker
    program given ``flags``; a program grader cannot read names ``where`` in ``file``."""
    try:
        source = program_source(root, name, load_languages())
    except ValueError as exc:
        raise key_error(file, where, 0, str(exc)) from None
    program = CheckerProgram(source, Convention.KATTIS, tuple(flags))
    return CheckerSpec(f"{name} (kattis)", {}, program)


def _tolerance(flag: str, value: str, source: FlagSource) -> float:
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if not (number >= 0 and math.isfinite(number)):
        raise source.fail(f"{flag} needs a number >= 0; got {value!r}")
    return number


def _exact(root: Path, options: dict[str, object], source: FlagSource) -> CheckerSpec:
    """``space_change_sensitive``: whitespace compared byte for byte (``exact``), which
    also compares case and floats as text: refuse when that would differ."""
    if any(flag in options for flag in FLOAT_FLAGS):
        raise source.fail("space_change_sensitive with a float tolerance has no grader checker")
    if not options["case_sensitive"] and _answers_have_letters(root):
        raise source.fail(
            "space_change_sensitive without case_sensitive: grader's exact checker "
            "compares letter case, and the answers hold letters; add case_sensitive"
        )
    return CheckerSpec("exact", {})


def _answers_have_letters(root: Path) -> bool:
    return any(
        any(65 <= b <= 90 or 97 <= b <= 122 for b in path.read_bytes())
        for path in (root / "data").rglob("*.ans")
    )
