"""Cronbach's α, bootstrap interval, sample sizes and coverage."""

from datetime import datetime
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from survey_app.domain.scoring import (
    OptionSpec,
    QuestionSpec,
    ResponseRecord,
    ScoringSettings,
    bootstrap_ci,
    cochran_n0,
    cochran_sample_size,
    composite_ci,
    compute_composite,
    coverage,
    cronbach_alpha,
    item_matrix,
    sample_size,
    tally,
    yamane_sample_size,
)

SCALE = (
    OptionSpec("A", "非常满意", 100),
    OptionSpec("B", "比较满意", 80),
    OptionSpec("C", "不太满意", 30),
    OptionSpec("D", "不满意", 0),
    OptionSpec("E", "不了解", None),
)
QUESTIONS = tuple(QuestionSpec(f"q{i}", f"主题{i}", SCALE) for i in range(1, 4))

# --- Cronbach's α --------------------------------------------------------------------------

MATRIX = [
    [100, 80, 100],
    [80, 80, 80],
    [30, 0, 30],
    [100, 100, 80],
    [80, 30, 80],
    [0, 30, 30],
]


def alpha_by_formula(matrix):
    data = np.array(matrix, dtype=float)
    k = data.shape[1]
    item_var = data.var(axis=0, ddof=1).sum()
    total_var = data.sum(axis=1).var(ddof=1)
    return k / (k - 1) * (1 - item_var / total_var)


def test_alpha_matches_the_formula():
    result = cronbach_alpha(MATRIX, min_respondents=5)
    assert (result.k, result.n, result.dropped) == (3, 6, 0)
    assert result.alpha == pytest.approx(alpha_by_formula(MATRIX), abs=1e-12)
    # Hand check of the same formula: item variances (ddof 1) and total variance.
    item_var = sum(np.var([row[i] for row in MATRIX], ddof=1) for i in range(3))
    totals = [sum(row) for row in MATRIX]  # 280, 240, 60, 280, 190, 60
    assert totals == [280, 240, 60, 280, 190, 60]
    assert result.alpha == pytest.approx(
        3 / 2 * (1 - item_var / np.var(totals, ddof=1))
    )
    assert result.level == "good" and result.level_zh == "良好"


def test_alpha_uses_listwise_deletion():
    with_missing = [*MATRIX, [100, None, 80], [np.nan, 0, 0]]
    result = cronbach_alpha(with_missing, min_respondents=5)
    assert (result.n, result.dropped) == (6, 2)
    assert result.alpha == pytest.approx(alpha_by_formula(MATRIX))


def test_alpha_skip_reasons():
    few_items = cronbach_alpha([row[:2] for row in MATRIX], min_respondents=5)
    assert (
        few_items.alpha is None
        and few_items.skipped_reason == "fewer than 3 scored items (2)"
    )
    few_people = cronbach_alpha(MATRIX)
    assert (
        few_people.alpha is None
        and "fewer than 30 complete responses (6)" == few_people.skipped_reason
    )
    assert "少于30份" in few_people.skipped_reason_zh
    flat = cronbach_alpha([[80, 80, 80]] * 40)
    assert flat.alpha is None and flat.skipped_reason == "total score has zero variance"
    assert flat.to_dict()["alpha"] is None


def test_item_matrix_maps_answers_to_values():
    class R:
        def __init__(self, answers):
            self.unit, self.answers = "U", answers

    assert item_matrix([R({"q1": "A", "q2": "E"}), R({"q3": "D"})], QUESTIONS) == [
        [100, None, None],
        [None, None, 0],
    ]


# --- bootstrap -----------------------------------------------------------------------------


def responses(unit, key, count, start=0):
    return [
        ResponseRecord(
            f"{unit}-{i}",
            unit,
            100,
            datetime(2024, 6, 1),
            None,
            {q.id: key for q in QUESTIONS},
        )
        for i in range(start, start + count)
    ]


MIXED = (
    responses("U1", "A", 30)
    + responses("U2", "B", 15)
    + responses("U3", "C", 5)
    + responses("U3", "A", 10, 5)
)


def test_bootstrap_is_deterministic_and_contains_the_estimate():
    first = composite_ci(MIXED, QUESTIONS, resamples=300)
    again = composite_ci(MIXED, QUESTIONS, resamples=300)
    other_seed = composite_ci(MIXED, QUESTIONS, resamples=300, seed=1)
    assert first == again
    assert (first.low, first.high) != (other_seed.low, other_seed.high)
    # Point estimate: (30·100 + 15·80 + 5·30 + 10·100) / 60 = 5350 / 60 = 89.1666…
    assert first.estimate == pytest.approx(5350 / 60)
    assert first.low < first.estimate < first.high
    assert (first.resampled, first.used, first.seed) == ("respondent", 300, 20240601)
    assert first.to_dict()["estimate"] == 89.17


def test_bootstrap_resamples_units_when_aggregating_by_unit():
    # Two units, 50 respondents each: U1 all 非常满意 (100), U2 all 不满意 (0).
    data = responses("U1", "A", 50) + responses("U2", "D", 50)
    by_respondent = composite_ci(data, QUESTIONS, resamples=500)
    by_unit = composite_ci(
        data, QUESTIONS, ScoringSettings(aggregation="unit"), resamples=500
    )
    assert by_unit.resampled == "unit" and by_unit.estimate == 50
    # Drawing 2 of 2 units gives means 0, 50 or 100 (probabilities 1/4, 1/2, 1/4): the
    # 2.5 % and 97.5 % quantiles are 0 and 100. Respondent resampling is far narrower.
    assert (by_unit.low, by_unit.high) == (0, 100)
    assert 35 < by_respondent.low < 50 < by_respondent.high < 65


def test_generic_bootstrap_reuses_any_statistic():
    def statistic(sample):
        return compute_composite(tally(sample, QUESTIONS), QUESTIONS).composite.exact

    generic = bootstrap_ci(MIXED, statistic, resamples=100)
    assert generic.estimate == pytest.approx(5350 / 60)
    assert generic.low <= generic.estimate <= generic.high
    assert bootstrap_ci(MIXED, statistic, resamples=100) == generic


# --- sample size and coverage --------------------------------------------------------------


def test_sample_sizes():
    # n0 = 1.96² × 0.5 × 0.5 / 0.05² = 3.8416 × 0.25 / 0.0025 = 384.16 → 385
    assert cochran_n0() == Fraction("384.16")
    assert cochran_sample_size() == 385
    # N = 2000: 384.16 / (1 + 383.16 / 2000) = 384.16 / 1.19158 = 322.39… → 323
    assert cochran_sample_size(2000) == 323
    # N = 158: 384.16 / (1 + 383.16 / 158) = 384.16 / 3.42506… = 112.16… → 113
    assert cochran_sample_size(158) == 113
    # Yamane N = 2000: 2000 / (1 + 2000 × 0.0025) = 2000 / 6 = 333.3… → 334
    assert yamane_sample_size(2000) == 334
    report = sample_size(158, population=158)
    assert report.to_dict() == {
        "achieved": 158,
        "population": 158,
        "cochran_n0": 384.16,
        "cochran": 113,
        "cochran_met": True,
        "yamane": 114,
        "yamane_met": True,
    }
    # 158 / (1 + 158 × 0.0025) = 158 / 1.395 = 113.26… → 114


def test_coverage_and_rates():
    minimums = {"U1": 5, "U2": 5, "U3": 5}
    result = coverage(minimums, {"U1": 7, "U2": 5, "U3": 2}, returned=16, valid=14)
    assert [(u.unit, u.met, u.short_by) for u in result.units] == [
        ("U1", True, 0),
        ("U2", True, 0),
        ("U3", False, 3),
    ]
    # issued = Σ minimums = 15; 回收率 16/15 = 106.666… → 106.67 %; 有效率 14/16 = 87.50 %
    assert (result.issued, result.issued_explicit) == (15, False)
    assert result.return_rate == Decimal("106.67") and result.valid_rate == Decimal(
        "87.50"
    )
    explicit = coverage(minimums, {}, returned=0, valid=0, issued=30)
    assert (
        explicit.issued_explicit
        and explicit.return_rate == 0
        and explicit.valid_rate is None
    )
    assert result.to_dict()["units_short"] == ["U3"]


def test_bootstrap_defaults():
    result = composite_ci(MIXED, QUESTIONS)
    assert (result.resamples, result.used, result.seed, result.level) == (
        2000,
        2000,
        20240601,
        0.95,
    )
