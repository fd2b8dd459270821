"""Largest-remainder shares: worked examples and the 100.00 invariant."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from survey_app.domain.scoring import (
    ScoringInputError,
    largest_remainder_hundredths,
    largest_remainder_shares,
    share_of,
    shares_of,
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


def test_a_tie_that_cannot_be_split_is_rounded_alike():
    # 1, 1, 1 of 3: every quota is 3333.33…, floors 9999, one hundredth missing for three
    # equal remainders → none gets it (1/3 < 1/2 rounds down): 33.33 each, total 99.99.
    assert largest_remainder_shares([1, 1, 1]) == d("33.33", "33.33", "33.33")
    assert largest_remainder_shares([0, 1, 1, 1]) == d("0.00", "33.33", "33.33", "33.33")


def test_equal_counts_of_150_print_equal_shares():
    # 119, 29, 1, 1 of 150: quotas 7933.33, 1933.33, 66.67, 66.67 hundredths; floors 9998.
    # Remainders .67 (the two 1s) come first and both fit into the 2 missing hundredths.
    assert largest_remainder_shares([119, 29, 1, 1]) == d("79.33", "19.33", "0.67", "0.67")
    # 119, 29, 2 of 150: floors 7933 + 1933 + 133 = 9999, three equal remainders .33 for one
    # hundredth → all round down: 79.33 / 19.33 / 1.33 (total 99.99), never 79.34.
    assert largest_remainder_shares([119, 29, 2]) == d("79.33", "19.33", "1.33")
    # 1/150 is 0.67 here too: 148, 1, 1 → quotas 9866.67, 66.67, 66.67; floors 9998, and
    # three equal .67 remainders for two hundredths → all round up: 98.67 / 0.67 / 0.67 (100.01).
    assert largest_remainder_shares([148, 1, 1]) == d("98.67", "0.67", "0.67")


def test_a_tie_with_a_remainder_of_one_half_or_more_rounds_up_together():
    # 2, 2, 2, 1 of 7 → quotas 2857.14 ×3 and 1428.57; floors 9999.
    # The single .57 remainder takes the missing hundredth: 28.57 ×3 + 14.29 = 100.00.
    assert largest_remainder_shares([2, 2, 2, 1]) == d("28.57", "28.57", "28.57", "14.29")
    # Remainders ≥ 1/2 in a tie: 1, 1, 1, 3 of 6 → 1666.67 ×3 and 5000; floors 9998, two
    # hundredths for three equal .67 remainders → all round up: 16.67 ×3 + 50.00 = 100.01.
    assert largest_remainder_shares([1, 1, 1, 3]) == d("16.67", "16.67", "16.67", "50.00")


def test_independent_rounding_rounds_each_share_half_up():
    # 1, 1, 1 of 3 → 33.33 each; 1, 2, 10 of 13 → 7.69 / 15.38 / 76.92 (total 99.99);
    # 3, 3, 1 of 7 → 42.86 / 42.86 / 14.29 (total 100.01); 1 of 8 = 12.5 % exactly.
    assert shares_of([1, 1, 1], "independent") == d("33.33", "33.33", "33.33")
    assert shares_of([1, 2, 10], "independent") == d("7.69", "15.38", "76.92")
    assert shares_of([3, 3, 1], "independent") == d("42.86", "42.86", "14.29")
    # Half-up at the third decimal: 1 of 16 = 6.25 %, 1 of 1600 = 0.0625 → 0.06; 1 of 800 = 0.125 → 0.13.
    assert shares_of([1, 799], "independent") == d("0.13", "99.88")


def test_share_of_respondents():
    # A multiple-choice option chosen by 152 of 158 respondents: 96.2025… → 96.20; 158 of 158 → 100.00.
    assert share_of(152, 158) == Decimal("96.20")
    assert share_of(158, 158) == Decimal("100.00")
    assert share_of(1, 0) is None


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
def test_shares_add_up_to_100_unless_a_tie_cannot_be_split(counts):
    shares = largest_remainder_shares(counts)
    total = sum(counts)
    # Equal counts always print equal shares.
    for a, share_a in zip(counts, shares, strict=True):
        for b, share_b in zip(counts, shares, strict=True):
            if a == b:
                assert share_a == share_b
    # Each share is its exact quota rounded down or up (less than one hundredth away).
    for count, share in zip(counts, shares, strict=True):
        assert abs(share * total - Decimal(count * 100)) < Decimal(total) / 100
    # The total is 100.00 whenever every group of equal remainders could be served whole.
    remainders = [c * 10000 % total for c in counts]
    served, missing = True, 10000 - sum(c * 10000 // total for c in counts)
    for r in sorted({r for r in remainders if r}, reverse=True):
        group = remainders.count(r)
        if missing == 0:
            break
        if group > missing:
            served = False
            break
        missing -= group
    if served:
        assert sum(shares) == Decimal("100.00")
    else:
        # Off by less than one hundredth per option.
        assert abs(sum(shares) - Decimal("100.00")) < Decimal(len(counts)) / 100
