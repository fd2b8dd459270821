"""Largest-remainder shares: worked examples and the 100.00 invariant."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from survey_app.domain.scoring import (
    ScoringInputError,
    largest_remainder_hundredths,
    largest_remainder_shares,
)


def d(*values: str) -> list[Decimal]:
    return [Decimal(v) for v in values]


def test_method_example_40_8_2_0():
    # 40/50 = 80 %, 8/50 = 16 %, 2/50 = 4 %, 0 → exact, nothing to distribute.
    assert largest_remainder_shares([40, 8, 2, 0]) == d(
        "80.00", "16.00", "4.00", "0.00"
    )


def test_naive_rounding_99_99_gets_the_missing_hundredth_by_largest_remainder():
    # 1, 2, 10 of 13, in hundredths of a percent: 769.23…, 1538.46…, 7692.31…
    # Naive rounding: 7.69 + 15.38 + 76.92 = 99.99.
    # Floors 769 + 1538 + 7692 = 9999 → 1 hundredth missing; remainders .23, .46, .31
    # → the second option (.46) gets it: 15.39.
    assert largest_remainder_shares([1, 2, 10]) == d("7.69", "15.39", "76.92")


def test_naive_rounding_100_01_loses_a_hundredth_on_the_smallest_remainder():
    # 3, 3, 1 of 7: 4285.71…, 4285.71…, 1428.57… hundredths.
    # Naive rounding: 42.86 + 42.86 + 14.29 = 100.01.
    # Floors 4285 + 4285 + 1428 = 9998 → 2 missing; remainders .714, .714, .571
    # → the two larger remainders get them; the third stays at 14.28 (naive said 14.29).
    assert largest_remainder_shares([3, 3, 1]) == d("42.86", "42.86", "14.28")


def test_equal_remainders_favour_earlier_option_in_scale_order():
    # 1, 1, 1 of 3: every quota is 3333.33…, floors 9999, one hundredth to the first option.
    assert largest_remainder_shares([1, 1, 1]) == d("33.34", "33.33", "33.33")
    # Same counts in a different position: still the earliest of the tied options.
    assert largest_remainder_shares([0, 1, 1, 1]) == d(
        "0.00", "33.34", "33.33", "33.33"
    )


def test_all_zero_counts_give_all_zero_shares():
    assert largest_remainder_shares([0, 0, 0]) == d("0.00", "0.00", "0.00")


@pytest.mark.parametrize("bad", [-1, 1.5, True])
def test_bad_counts_are_refused(bad):
    with pytest.raises(ScoringInputError) as info:
        largest_remainder_hundredths([3, bad])
    assert info.value.message_zh


@given(
    st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12).filter(
        any
    )
)
def test_shares_always_add_up_to_100(counts):
    shares = largest_remainder_shares(counts)
    assert sum(shares) == Decimal("100.00")
    # Each share is its exact quota rounded down or up by less than one hundredth.
    total = sum(counts)
    for count, share in zip(counts, shares, strict=True):
        assert abs(share * total - Decimal(count * 100)) < Decimal(total) / 100
