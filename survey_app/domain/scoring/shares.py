"""Rounding counts to percentage shares with 2 decimals, in two conventions.

Work happens in integer hundredths of a percent (10000 = 100.00 %).

* ``largest_remainder`` (default): shares add up to 100.00.  Each option gets the floor
  of its exact quota; the hundredths still missing go to the largest remainders.
  **Tie rule**: options with equal remainders (equal counts always have equal remainders)
  are rounded alike — a group of equal remainders gets its extra hundredths only when
  there are enough left for every member (once none are left, the rest keep their
  floors).  From the first group that would have to be
  split on, every share is rounded half-up on its own, so equal counts still print equal
  shares; the total then differs from 100.00 and the report says so.
* ``independent``: each share rounded half-up on its own; the total may differ from
  100.00 ("因四舍五入，各项比例之和可能不等于100%").

All-zero counts have no distribution: every share is 0.00 and the total is 0.00.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .errors import ScoringInputError

#: 100.00 % in hundredths of a percent.
WHOLE = 10000
LARGEST_REMAINDER, INDEPENDENT = "largest_remainder", "independent"
SHARE_CONVENTIONS = (LARGEST_REMAINDER, INDEPENDENT)


def _check(counts: Sequence[int]) -> None:
    for count in counts:
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ScoringInputError(
                f"counts must be non-negative integers; got {count!r}",
                f"计数必须为非负整数：{count!r}",
            )


def half_up_units(count: int, total: int, whole: int = WHOLE) -> int:
    """Return count·whole/total rounded half-up to an integer (count, total ≥ 0, total > 0)."""
    return (2 * count * whole + total) // (2 * total)


def rounded_units(
    counts: Sequence[int], convention: str = LARGEST_REMAINDER, whole: int = WHOLE
) -> list[int]:
    """Split ``whole`` units over ``counts`` (in scale order) under ``convention``.

    :returns: integer units (hundredths of a percent for ``whole`` = 10000), same order;
        all 0 when every count is 0.
    :raises ScoringInputError: on a negative or non-integer count, or an unknown convention.
    """
    _check(counts)
    if convention not in SHARE_CONVENTIONS:
        raise ScoringInputError(
            f"unknown share rounding {convention!r}", f"未知的比例修约方式：{convention}"
        )
    total = sum(counts)
    if total == 0:
        return [0] * len(counts)
    if convention == INDEPENDENT:
        return [half_up_units(c, total, whole) for c in counts]
    # quota = count·whole/total = floor + remainder/total; remainders share a denominator.
    parts = [divmod(count * whole, total) for count in counts]
    units = [floor for floor, _ in parts]
    missing = whole - sum(units)
    for remainder in sorted({r for _, r in parts if r}, reverse=True):
        if missing == 0:
            break
        members = [i for i, (_, r) in enumerate(parts) if r == remainder]
        if len(members) <= missing:
            for i in members:
                units[i] += 1
            missing -= len(members)
            continue
        # A tie that cannot be split: from here on, every share is rounded half-up alone.
        for i, (_, r) in enumerate(parts):
            if 0 < r <= remainder and 2 * r >= total:
                units[i] += 1
        break
    return units


def largest_remainder_hundredths(counts: Sequence[int]) -> list[int]:
    """Largest-remainder hundredths with the tie rule (see the module doc)."""
    return rounded_units(counts, LARGEST_REMAINDER)


def shares_of(counts: Sequence[int], convention: str = LARGEST_REMAINDER) -> list[Decimal]:
    """Return percentage shares with 2 decimals under ``convention``."""
    return [Decimal(h).scaleb(-2) for h in rounded_units(counts, convention)]


def largest_remainder_shares(counts: Sequence[int]) -> list[Decimal]:
    """Return largest-remainder shares with 2 decimals (see the module doc for ties)."""
    return shares_of(counts, LARGEST_REMAINDER)


def share_of(count: int, base: int) -> Decimal | None:
    """Return count/base in percent, 2 decimals, half-up (None when base is 0).

    The share of respondents of a multiple-choice option (问卷星's 比例).
    """
    _check([count, base])
    return None if base == 0 else Decimal(half_up_units(count, base)).scaleb(-2)
