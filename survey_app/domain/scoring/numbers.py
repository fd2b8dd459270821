"""Exact arithmetic helpers shared by the scoring modules.

Why exact: a satisfaction of 94.995 must round to 95.00 (and land in the 6-point
band) whatever binary floats would have made of it.  All internal arithmetic is
done with :class:`fractions.Fraction`; display rounding follows
``decimal.ROUND_HALF_UP`` (halves away from zero), applied to the exact value.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

Number = int | float | Decimal | Fraction


def to_fraction(value: Number) -> Fraction:
    """Convert a number to an exact Fraction, reading floats by their shortest repr.

    ``Fraction(0.1)`` would give the binary value 3602879701896397/36028797018963968;
    going through ``str`` keeps the decimal the user typed (``80.5`` stays 161/2).
    """
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number here")
    if isinstance(value, Fraction | int):
        return Fraction(value)
    if isinstance(value, Decimal):
        return Fraction(value)
    return Fraction(str(value))


def round_half_up(value: Number, places: int = 2) -> Decimal:
    """Round exactly to ``places`` decimals with ROUND_HALF_UP (half away from zero)."""
    exact = to_fraction(value)
    scale = 10**places
    magnitude = abs(exact) * scale
    rounded = int(magnitude + Fraction(1, 2))  # floor(x + 1/2) for x >= 0
    sign = -1 if exact < 0 else 1
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(sign * rounded) * quantum).quantize(quantum, rounding=ROUND_HALF_UP)


def round2(value: Number) -> Decimal:
    """Round to the 2 decimals every printed percentage and score uses."""
    return round_half_up(value, 2)


def as_float(value: Decimal | Fraction | None) -> float | None:
    """Return a JSON-ready float (or None) for a result field."""
    return None if value is None else float(value)


def plain(value: Number) -> str:
    """Format a number without trailing zeros or exponent, e.g. 95, 92.5, 0.5.

    Used in rendered rule text, where "95%" reads better than "95.00%".
    Rule numbers are typed decimals, so 6 places never lose anything.
    """
    return format(round_half_up(value, 6).normalize(), "f")


def json_key(value: object) -> str | int | None:
    """Return a unit or group key as JSON data: None, int and str as they are, else str()."""
    if (
        value is None
        or isinstance(value, str)
        or (isinstance(value, int) and not isinstance(value, bool))
    ):
        return value
    return str(value)
