"""Largest-remainder rounding of counts to percentages that add up to 100.00.

Work happens in integer hundredths of a percent (10000 = 100.00 %), so the
sum is exact by construction.

Tie-break: when several options have the same remainder, the extra hundredths
go to the option that comes **earlier in scale order** (the order of the
options in the questionnaire, usually best first).  This is deterministic and
independent of any dict ordering.

All-zero counts have no distribution: every share is 0.00 and the total is
0.00, not 100.00 (callers show "no answers" rather than invented shares).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from .errors import ScoringInputError

#: 100.00 % in hundredths of a percent.
WHOLE = 10000


def largest_remainder_hundredths(counts: Sequence[int]) -> list[int]:
    """Split 10000 hundredths of a percent over ``counts`` by largest remainder.

    :param counts: non-negative integer counts in scale order.
    :returns: integer hundredths, same order, summing to 10000 (or all 0 when
        every count is 0).
    :raises ScoringInputError: on a negative or non-integer count.
    """
    for count in counts:
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ScoringInputError(
                f"counts must be non-negative integers; got {count!r}",
                f"计数必须为非负整数：{count!r}",
            )
    total = sum(counts)
    if total == 0:
        return [0] * len(counts)
    # quota = count·10000/total = floor + remainder/total; remainders share a denominator.
    parts = [divmod(count * WHOLE, total) for count in counts]
    floors = [floor for floor, _ in parts]
    missing = WHOLE - sum(floors)
    # Larger remainder first; equal remainders: earlier position in scale order first.
    order = sorted(range(len(counts)), key=lambda i: (-parts[i][1], i))
    for index in order[:missing]:
        floors[index] += 1
    return floors


def largest_remainder_shares(counts: Sequence[int]) -> list[Decimal]:
    """Return percentage shares with 2 decimals that add up to exactly 100.00."""
    return [Decimal(h).scaleb(-2) for h in largest_remainder_hundredths(counts)]
