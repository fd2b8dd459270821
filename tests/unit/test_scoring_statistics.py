"""Cronbach's α, bootstrap interval, sample sizes and coverage."""

from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from itertools import product
from types import SimpleNamespace

import numpy as np
import pytest

from survey_app.domain.scoring import (
    OptionSpec,
    QuestionSpec,
    ResponseRecord,
    ScoringInputError,
    ScoringSettings,
    alpha_from_codes,
    bootstrap_ci,
    cochran_n0,
    cochran_sample_size,
    codes_from_responses,
    composite_ci,
    composite_ci_from_codes,
    compute_composite,
    coverage,
    cronbach_alpha,
    item_matrix,
    sample_size,
    tally,
    yamane_sample_size,
)
from survey_app.domain.scoring import resampling as resampling_module

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
    first = composite_ci(MIXED, QUESTIONS, resamples=300, design="respondent")
    again = composite_ci(MIXED, QUESTIONS, resamples=300, design="respondent")
    other_seed = composite_ci(MIXED, QUESTIONS, resamples=300, seed=1, design="respondent")
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
    by_respondent = composite_ci(data, QUESTIONS, resamples=500, design="respondent")
    pooled_by_unit = composite_ci(data, QUESTIONS, resamples=500)
    by_unit = composite_ci(
        data, QUESTIONS, ScoringSettings(aggregation="unit"), resamples=500
    )
    assert by_unit.resampled == "unit" and by_unit.estimate == 50
    # Drawing 2 of 2 units gives means 0, 50 or 100 (probabilities 1/4, 1/2, 1/4): the
    # 2.5 % and 97.5 % quantiles are 0 and 100. Respondent resampling is far narrower.
    assert (by_unit.low, by_unit.high) == (0, 100)
    assert 35 < by_respondent.low < 50 < by_respondent.high < 65
    # Pooled composite, drawn by unit: the same 0 / 50 / 100, and the respondent interval for comparison.
    assert (pooled_by_unit.low, pooled_by_unit.high) == (0, 100)
    assert (pooled_by_unit.srs_low, pooled_by_unit.srs_high) == (by_respondent.low, by_respondent.high)


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
        "population_source": "setting",
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


# --- array entry points --------------------------------------------------------------------

YES_NO = (
    OptionSpec("Y", "是", 100),
    OptionSpec("N", "否", 0),
    OptionSpec("X", "不清楚", None),
)
MIXED_QUESTIONS = (
    QuestionSpec("q1", "主题1", SCALE, weight=2, dimension="甲"),
    QuestionSpec("info", "单位类型", YES_NO, scored=False),
    QuestionSpec("q2", "主题2", SCALE[1:] + SCALE[:1], dimension="乙"),
    QuestionSpec("q3", "主题3", YES_NO, weight=0.5, dimension="甲"),
)


def random_responses(seed, n=60, units=("U1", "U2", "U3", None)):
    """Respondents with random answers, 不了解/不清楚 and skipped questions, some without unit."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n):
        answers = {}
        for spec in MIXED_QUESTIONS:
            pick = rng.integers(-1, len(spec.options))
            if pick >= 0:
                answers[spec.id] = spec.options[pick].key
        out.append(SimpleNamespace(unit=units[i % len(units)], answers=answers))
    return out


ALL_SETTINGS = [
    ScoringSettings(method=m, not_scored=z, aggregation=a, composite=c)
    for m, z, a, c in product(
        ("weighted", "top2_share", "mean"),
        ("exclude", "zero"),
        ("respondent", "unit"),
        ("mean", "weighted"),
    )
]


@pytest.mark.parametrize(
    "settings", ALL_SETTINGS, ids=lambda s: "-".join(s.to_dict().values())
)
def test_estimate_equals_the_exact_composite(settings):
    data = random_responses(7)
    exact = compute_composite(tally(data, MIXED_QUESTIONS), MIXED_QUESTIONS, settings)
    result = composite_ci(data, MIXED_QUESTIONS, settings, resamples=200)
    assert result.estimate == pytest.approx(float(exact.composite.exact), abs=1e-9)
    assert result.low <= result.estimate <= result.high
    # The respondents belong to units: two-stage by unit, whatever the aggregation.
    assert result.resampled == "unit" and result.used == 200
    # The interval describes sampling, not display rounding: the exact computation is used.
    displayed = replace(settings, rounding="from_displayed_shares")
    assert composite_ci(data, MIXED_QUESTIONS, displayed, resamples=200) == result


@pytest.mark.parametrize("aggregation", ["respondent", "unit"])
def test_array_entry_point_agrees_with_objects(aggregation):
    data = random_responses(3)
    settings = ScoringSettings(aggregation=aggregation)
    codes, units, keys = codes_from_responses(data, MIXED_QUESTIONS)
    assert keys == ["U1", "U2", "U3"] and list(units[:4]) == [0, 1, 2, -1]
    # The unscored column ("info") is left empty.
    assert codes.shape == (60, 4) and set(codes[:, 1]) == {-1}
    from_codes = composite_ci_from_codes(codes, units, MIXED_QUESTIONS, settings)
    assert from_codes == composite_ci(data, MIXED_QUESTIONS, settings)
    # Unit numbers are labels: any distinct ints give the same interval.
    relabelled = np.where(units >= 0, 1000 + 7 * units, -1)
    assert (
        composite_ci_from_codes(codes, relabelled, MIXED_QUESTIONS, settings)
        == from_codes
    )


def test_resamples_are_the_generic_bootstrap_of_the_exact_code():
    """Same seed, same draws: simple respondent resampling equals re-tallying each resample in Fractions."""

    def statistic(sample):
        return compute_composite(tally(sample, QUESTIONS), QUESTIONS).composite.exact

    fast = composite_ci(MIXED, QUESTIONS, resamples=150, design="respondent")
    slow = bootstrap_ci(MIXED, statistic, resamples=150)
    assert (fast.low, fast.high) == pytest.approx((slow.low, slow.high), abs=1e-9)
    # Unit level, respondents drawn: the mean over the units that appear in the resample.
    settings = ScoringSettings(aggregation="unit")

    def unit_statistic(sample):
        return compute_composite(tally(sample, QUESTIONS), QUESTIONS, settings).composite.exact

    by_unit = composite_ci(MIXED, QUESTIONS, settings, resamples=150, design="respondent")
    generic = bootstrap_ci(MIXED, unit_statistic, resamples=150)
    assert by_unit.estimate == pytest.approx((100 + 80 + 1150 / 15) / 3)
    assert (by_unit.low, by_unit.high) == pytest.approx((generic.low, generic.high), abs=1e-9)


# --- clustered (two-stage) bootstrap, against an independent implementation ----------------

POINTS = {"A": 100, "B": 80, "C": 30, "D": 0}  # the 4-level preset; "E" (不了解) is not scored


def clustered_data(seed=5, units=7):
    """Units of 3–8 respondents whose answers lean on the unit (as real units do), a few without unit."""
    rng = np.random.default_rng(seed)
    rows, labels = [], []
    for u in range(units):
        lean = rng.uniform(0.3, 0.95)
        for _ in range(int(rng.integers(3, 9))):
            rows.append([rng.choice(list("ABCDE"), p=[lean, (1 - lean) * 0.6, (1 - lean) * 0.25,
                                                      (1 - lean) * 0.1, (1 - lean) * 0.05]) for _ in QUESTIONS])
            labels.append(10 * u + 3)  # any ints are labels
    for _ in range(4):
        rows.append([rng.choice(list("ABCD")) for _ in QUESTIONS])
        labels.append(-1)
    return rows, labels


def reference_two_stage(rows, labels, resamples, seed, by_unit):
    """Two-stage bootstrap written out with loops: draw units, then respondents within each drawn unit.

    Clusters: the units in ascending label order, then (pooled composite only) each
    respondent without a unit alone; respondents keep their input order inside a cluster.
    Same random calls as documented: integers(0, m, m), then integers(0, sizes repeated).
    """
    units = sorted({u for u in labels if u >= 0})
    clusters = [[r for r, u in zip(rows, labels, strict=True) if u == unit] for unit in units]
    if not by_unit:
        clusters += [[r] for r, u in zip(rows, labels, strict=True) if u < 0]

    def composite(groups_of_rows):
        sats = []
        for q in range(len(QUESTIONS)):
            answers = [POINTS[r[q]] for rs in groups_of_rows for r in rs if r[q] in POINTS]
            if answers:
                sats.append(sum(answers) / len(answers))
        return sum(sats) / len(sats) if sats else None

    rng = np.random.default_rng(seed)
    values = []
    for _ in range(resamples):
        picked = rng.integers(0, len(clusters), len(clusters))
        sizes = [len(clusters[c]) for c in picked]
        within = iter(rng.integers(0, np.repeat(sizes, sizes)))
        draws = [[clusters[c][next(within)] for _ in range(len(clusters[c]))] for c in picked]
        if by_unit:
            per_unit = [composite([d]) for d in draws]
            per_unit = [v for v in per_unit if v is not None]
            values.append(sum(per_unit) / len(per_unit))
        else:
            values.append(composite(draws))
    return np.quantile(values, [0.025, 0.975]), values


def as_codes(rows):
    index = {o.key: k for k, o in enumerate(SCALE)}
    return np.array([[index[key] for key in row] for row in rows])


@pytest.mark.parametrize("aggregation", ["respondent", "unit"])
def test_clustered_bootstrap_equals_an_independent_implementation(aggregation):
    rows, labels = clustered_data()
    settings = ScoringSettings(aggregation=aggregation)
    result = composite_ci_from_codes(as_codes(rows), np.array(labels), QUESTIONS, settings, resamples=400)
    (low, high), values = reference_two_stage(rows, labels, 400, 20240601, aggregation == "unit")
    assert result.resampled == "unit" and result.used == 400
    assert (result.low, result.high) == pytest.approx((low, high), abs=1e-9)
    assert list(result.values) == pytest.approx(values, abs=1e-9)
    # The design effect compares with simple respondent resampling of the same estimator.
    simple = composite_ci_from_codes(as_codes(rows), np.array(labels), QUESTIONS, settings, resamples=400,
                                     design="respondent")
    assert (result.srs_low, result.srs_high) == (simple.low, simple.high)
    deff = np.var(values, ddof=1) / np.var(simple.values, ddof=1)
    assert result.design_effect == pytest.approx(deff)


def test_homogeneous_units_widen_the_interval_and_give_a_design_effect_above_one():
    # Ten units of 5: half answer all 非常满意 (100), half all 比较满意 (80). Within a unit
    # nothing varies, so resampling units is the only source of variance: 10 clusters
    # behave like 10 respondents, not 50 — deff ≈ 50/10 = 5 up to the bootstrap's noise.
    data = []
    for u in range(10):
        data += responses(f"U{u}", "A" if u % 2 else "B", 5)
    result = composite_ci(data, QUESTIONS, resamples=2000)
    assert result.estimate == pytest.approx(90)
    assert result.resampled == "unit" and 3.5 < result.design_effect < 6.5
    assert result.low < result.srs_low and result.high > result.srs_high
    assert result.effective_n == pytest.approx(50 / result.design_effect)
    # Without units: simple respondent resampling, no design effect.
    alone = composite_ci([replace(r, unit=None) for r in data], QUESTIONS, resamples=300)
    assert (alone.resampled, alone.design_effect) == ("respondent", None)


def test_chunking_does_not_change_the_interval(monkeypatch):
    data = random_responses(11, n=90)
    whole = composite_ci(data, MIXED_QUESTIONS, resamples=300)
    # 7 resamples per chunk instead of all 300 at once.
    monkeypatch.setattr(resampling_module, "CHUNK_CELLS", 90 * 7)
    assert composite_ci(data, MIXED_QUESTIONS, resamples=300) == whole
    assert composite_ci(data, MIXED_QUESTIONS, resamples=300, seed=5) != whole


def test_too_little_to_resample_is_skipped_with_a_reason():
    one = composite_ci(MIXED[:1], QUESTIONS)
    assert (one.estimate, one.low, one.used) == (100, None, 0)
    assert one.skipped_reason == "fewer than 2 respondents (1)"
    assert "少于2份" in one.skipped_reason_zh and one.to_dict()["low"] is None
    unit = composite_ci(MIXED[:30], QUESTIONS, ScoringSettings(aggregation="unit"))
    assert unit.skipped_reason == "fewer than 2 units with a composite (1)"
    assert unit.estimate == 100 and unit.low is None
    unknown = [SimpleNamespace(unit="U", answers={"q1": "E"})] * 5
    nothing = composite_ci(unknown, QUESTIONS)
    assert (nothing.estimate, nothing.skipped_reason) == (None, "no scored answers")


def test_max_draws_lowers_resamples_only_when_asked():
    assert composite_ci(MIXED, QUESTIONS).resamples == 2000
    # 60 respondents × 2000 = 120 000 draws > 12 000: B = max(500, 12 000 // 60 = 200) = 500.
    capped = composite_ci(MIXED, QUESTIONS, max_draws=12_000)
    assert (capped.resamples, capped.used) == (500, 500)
    assert composite_ci(MIXED, QUESTIONS, max_draws=10**6).resamples == 2000


def test_codes_are_checked():
    codes = np.zeros((3, 3), dtype=int)
    with pytest.raises(ScoringInputError):
        composite_ci_from_codes(codes[:, :2], [0, 0, 0], QUESTIONS)
    with pytest.raises(ScoringInputError):  # SCALE has indexes 0..4
        composite_ci_from_codes(codes + 5, [0, 0, 0], QUESTIONS)
    with pytest.raises(ScoringInputError):
        composite_ci_from_codes(codes, [0, 0], QUESTIONS)
    with pytest.raises(ScoringInputError):
        composite_ci_from_codes(np.full((3, 3), np.nan), [0, 0, 0], QUESTIONS)
    as_floats = composite_ci_from_codes(codes.astype(float), [0, 0, 0], QUESTIONS)
    assert as_floats == composite_ci_from_codes(codes, [0, 0, 0], QUESTIONS)
    with pytest.raises(ScoringInputError):
        composite_ci([SimpleNamespace(unit=None, answers={"q1": "Z"})], QUESTIONS)


def test_alpha_from_codes_matches_the_object_path():
    index = {o.value: k for k, o in enumerate(SCALE)}
    codes = np.array([[index[v] for v in row] for row in MATRIX * 6])
    codes[0, 1] = 4  # 不了解: missing, so respondent 0 is dropped
    codes[1, 2] = -1  # no answer: dropped too
    result = alpha_from_codes(codes, QUESTIONS)
    assert (result.k, result.n, result.dropped) == (3, 34, 2)
    assert result.alpha == pytest.approx(alpha_by_formula((MATRIX * 6)[2:]))
    people = [
        SimpleNamespace(
            unit=None,
            answers={q.id: SCALE[c].key for q, c in zip(QUESTIONS, row, strict=False) if c >= 0},
        )
        for row in codes
    ]
    assert cronbach_alpha(item_matrix(people, QUESTIONS)) == result
    assert alpha_from_codes(codes[:, :2], QUESTIONS[:2]).skipped_reason == (
        "fewer than 3 scored items (2)"
    )


def test_units_only_design_keeps_each_drawn_unit_whole():
    # Answers independent of the unit (no clustering at all): drawing units with their
    # respondents kept gives about the variance of simple respondent resampling (deff ≈ 1),
    # while also resampling within units adds the within-unit variance again:
    # deff ≈ 1 + (n̄ − 1)/n̄ = 1.8 for 5 respondents per unit (docs/scoring.md §7).
    rng = np.random.default_rng(8)
    codes = rng.integers(0, 4, (400, 3))
    units = np.arange(400) // 5
    whole = composite_ci_from_codes(codes, units, QUESTIONS, design="units_only", resamples=2000)
    two_stage = composite_ci_from_codes(codes, units, QUESTIONS, resamples=2000)
    assert whole.resampled == "units_only" and 0.8 < whole.design_effect < 1.25
    assert 1.5 < two_stage.design_effect < 2.1
    # One unit drawn twice counts its respondents twice: with units of one respondent the
    # units-only design is exactly simple respondent resampling's distribution.
    singles = composite_ci_from_codes(codes, np.arange(400), QUESTIONS, design="units_only", resamples=300)
    assert 0.8 < singles.design_effect < 1.25
