"""Numeric token comparison with an absolute and a relative tolerance (Kattis' rule).

A token is a number if it is a decimal literal (``12``, ``-0.5``, ``.5``, ``1e-7``, ``2.E+3``)
or ``inf``, ``infinity`` or ``nan`` with an optional sign, in any letter case. A number passes
if ``|got - expected| <= absolute`` or ``<= relative * |expected|``; ``nan`` matches only
``nan`` and an infinity only the same infinity.

Most pairs are decided with floats, which is fast; a pair whose float verdict could be an
artefact of rounding (too close to the limit, or beyond the range of normal floats, as with
400-digit integers or 1e-400) is decided exactly with ``Decimal``. Tolerances are taken as
written (``1e-7`` is exactly 10^-7, not the nearest float), so a difference of exactly the
tolerance passes.
"""

from __future__ import annotations

import functools
import sys
from dataclasses import dataclass
from decimal import MAX_EMAX, MIN_EMIN, Context, Decimal, InvalidOperation

__all__ = ["Tolerance"]

# Enough that no parsed number overflows and no digit that could decide a verdict is lost.
_EXACT = Context(prec=100, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[])
_NORMAL = (1e-290, 1e290)  # magnitudes where float rounding is relative and tiny
_MARGIN = 1e-12  # far more than the relative error of a few float operations


@dataclass(frozen=True)
class Tolerance:
    """What a number ``got`` may differ from ``expected`` by: either tolerance (both >= 0)."""

    absolute: Decimal
    relative: Decimal

    @classmethod
    def of(cls, both: float | None, absolute: float | None, relative: float | None) -> Tolerance:
        """The tolerance from the checker options: ``absolute``/``relative`` override ``both``."""
        return cls(_decimal(absolute, both), _decimal(relative, both))

    def accepts(self, expected: bytes, got: bytes) -> bool:
        """Whether token ``got`` passes for ``expected``: as numbers if both are, else equal."""
        if expected == got:
            return True
        try:  # hot: one call per differing token, so the float path is inlined here
            want, have = float(expected), float(got)
        except ValueError:
            return False
        if b"_" in expected or b"_" in got:  # float() reads 1_000; not a number here
            return False
        quick = self._quick(want, have)
        return quick if quick is not None else self._exact(expected, got)

    def allowed(self, expected: Decimal) -> Decimal:
        """The largest difference accepted around ``expected``."""
        relative = _EXACT.multiply(self.relative, _EXACT.abs(expected))  # NaN for inf * 0
        return _EXACT.max(self.absolute, relative)  # a quiet max: NaN loses

    def explain(self, expected: bytes, got: bytes) -> str:
        """For a rejected pair of finite numbers: by how much, and what was allowed."""
        want, have = _decimal_of(expected), _decimal_of(got)
        if want is None or have is None or not (want.is_finite() and have.is_finite()):
            return ""
        difference = _EXACT.abs(_EXACT.subtract(have, want))
        return f"; off by {_short(difference)}, allowed {_short(self.allowed(want))}"

    @functools.cached_property
    def _floats(self) -> tuple[float, float]:
        return float(self.absolute), float(self.relative)

    def _quick(self, want: float, have: float) -> bool | None:
        """The verdict by floats, or None where rounding could have decided it."""
        low, high = _NORMAL
        if not (low <= abs(want) <= high and low <= abs(have) <= high):
            return None  # zero (maybe underflowed), huge, infinite or nan
        absolute, relative = self._floats
        allowed = max(absolute, relative * abs(want))
        difference, margin = abs(have - want), _MARGIN * (abs(want) + abs(have) + allowed)
        if difference <= allowed - margin:
            return True
        return False if difference > allowed + margin else None

    def _exact(self, expected: bytes, got: bytes) -> bool:
        want, have = _decimal_of(expected), _decimal_of(got)
        if want is None or have is None:
            return False
        if want.is_nan() or have.is_nan():
            return want.is_nan() and have.is_nan()
        if want.is_infinite() or have.is_infinite():
            return want == have
        return _EXACT.abs(_EXACT.subtract(have, want)) <= self.allowed(want)


def _float(token: bytes) -> float | None:
    """``token`` as a float if it is a number (float() also takes ``1_000``: not a number here)."""
    try:
        value = float(token)
    except ValueError:
        return None
    return None if b"_" in token else value


def _decimal_of(token: bytes) -> Decimal | None:
    """``token`` exactly, if it is a number whose exponent ``Decimal`` can hold."""
    if _float(token) is None:
        return None
    try:
        return Decimal(token.decode("ascii"))
    except InvalidOperation:  # an exponent beyond 10**18
        return None


def _short(value: Decimal) -> str:
    """``value`` to 3 significant digits, as a float would print it when a float can hold it."""
    if value.is_finite() and abs(value.adjusted()) < sys.float_info.max_10_exp:
        return f"{float(value):.3g}"
    return f"{value.normalize(_EXACT):.3g}"


def _decimal(value: float | None, default: float | None) -> Decimal:
    """``value`` (or ``default``, or 0) exactly as written: ``1e-07`` is 1e-7, not its float."""
    chosen = value if value is not None else default
    if chosen is None:
        return Decimal(0)
    return Decimal(chosen) if isinstance(chosen, int) else Decimal(repr(chosen))
