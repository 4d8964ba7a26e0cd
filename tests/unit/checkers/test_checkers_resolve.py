"""``resolve``: a problem's checker name and YAML options, validated once at load.

A ValueError from ``resolve`` becomes a problem-definition error shown to the problem's
author, so each one names the checker, the option and what was expected.
"""

from __future__ import annotations

import math
import re
from types import MappingProxyType

import pytest

from grader.checkers import REGISTRY, CheckResult, resolve


def test_every_registered_checker_resolves_without_options() -> None:
    for name in REGISTRY:
        assert resolve(name, {})(b"1 2\n", b"1 2\n") == CheckResult(True)


def test_sorted_is_an_alias_of_unordered_lines() -> None:
    assert REGISTRY["sorted"] is REGISTRY["unordered_lines"]


def test_options_are_bound_for_every_call() -> None:
    checker = resolve("tokens", {"case_sensitive": False, "float_tolerance": 0.5})

    assert checker(b"YES 1", b"yes 1.4").accepted


def test_options_may_come_as_any_mapping() -> None:
    checker = resolve("tokens", MappingProxyType({"case_sensitive": False}))

    assert checker(b"A", b"a").accepted


def test_unknown_checker_is_rejected_listing_the_known_ones() -> None:
    known = ", ".join(sorted(REGISTRY))
    with pytest.raises(ValueError, match=re.escape(f"unknown checker 'diff' (known: {known})")):
        resolve("diff", {})


def test_unknown_option_is_rejected_listing_the_checkers_options() -> None:
    message = (
        r"checker 'tokens' has no option 'tolerance' \(options: case_sensitive, "
        r"float_absolute_tolerance, float_relative_tolerance, float_tolerance\)"
    )
    with pytest.raises(ValueError, match=message):
        resolve("tokens", {"tolerance": 1e-6})


def test_option_for_a_checker_without_options_is_rejected() -> None:
    with pytest.raises(
        ValueError, match=r"checker 'lines' has no option 'case_sensitive' \(options: none\)"
    ):
        resolve("lines", {"case_sensitive": False})


@pytest.mark.parametrize("value", ["no", "false", 0, 1, None])
def test_case_sensitive_must_be_true_or_false(value: object) -> None:
    with pytest.raises(ValueError, match=r"option 'case_sensitive' must be true or false, got "):
        resolve("tokens", {"case_sensitive": value})


@pytest.mark.parametrize(
    "option", ["float_tolerance", "float_absolute_tolerance", "float_relative_tolerance"]
)
@pytest.mark.parametrize("value", [-1e-9, -1, "small", True, None, math.nan, [1e-6]])
def test_tolerance_must_be_a_non_negative_number(option: str, value: object) -> None:
    with pytest.raises(ValueError, match=rf"option '{option}' must be a non-negative number, got "):
        resolve("tokens", {option: value})


@pytest.mark.parametrize("value", [0, 1, 1e-6, 0.0, math.inf])
def test_tolerance_may_be_any_non_negative_int_or_float(value: float) -> None:
    assert resolve("tokens", {"float_tolerance": value})(b"1", b"1").accepted


def test_tolerance_written_1e_6_gets_a_yaml_hint() -> None:
    # PyYAML (YAML 1.1) reads `float_tolerance: 1e-6` as the string "1e-6".
    with pytest.raises(ValueError, match=r"got '1e-6' \(YAML reads 1e-6 as text: .* 1\.0e-6\)"):
        resolve("tokens", {"float_tolerance": "1e-6"})
