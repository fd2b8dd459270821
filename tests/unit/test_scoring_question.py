"""Per-question satisfaction: methods, not-scored handling, rounding modes, properties."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from survey_app.domain.scoring import (
    OptionSpec,
    QuestionSpec,
    ScoringInputError,
    ScoringSettings,
    SettingsError,
    score_question,
)

FOUR = (
    OptionSpec("A", "非常满意", 100),
    OptionSpec("B", "比较满意", 80),
    OptionSpec("C", "不太满意", 30),
    OptionSpec("D", "不满意", 0),
)
FIVE = (
    OptionSpec("A", "很满意", 100),
    OptionSpec("B", "满意", 80),
    OptionSpec("C", "基本满意", 60),
    OptionSpec("D", "不太满意", 30),
    OptionSpec("E", "不满意", 0),
)
WITH_UNKNOWN = (*FOUR, OptionSpec("E", "不了解", None))
METHOD_EXAMPLE = {"A": 40, "B": 8, "C": 2, "D": 0}


def settings(**kwargs: str) -> ScoringSettings:
    return ScoringSettings(**kwargs)


def test_method_example_weighted():
    result = score_question(FOUR, METHOD_EXAMPLE)
    assert result.shares == tuple(
        Decimal(s) for s in ("80.00", "16.00", "4.00", "0.00")
    )
    # 80 % × 100 + 16 % × 80 + 4 % × 30 + 0 % × 0 = 80 + 12.8 + 1.2 = 94.00
    assert result.satisfaction == Decimal("94.00")
    assert result.satisfaction_exact == 94
    assert (result.n, result.n_scored, result.denominator) == (50, 50, 50)


def test_method_example_top2_share():
    # Two best-valued options A (100) and B (80): (40 + 8) / 50 = 96 %.
    result = score_question(FOUR, METHOD_EXAMPLE, settings(method="top2_share"))
    assert result.satisfaction == Decimal("96.00")


def test_method_example_likert_mean():
    # Ranks D=1, C=2, B=3, A=4 (m = 4): mean = (40·4 + 8·3 + 2·2 + 0·1) / 50 = 188/50 = 3.76.
    # Rescaled: (3.76 − 1) / (4 − 1) × 100 = 92.00.
    result = score_question(FOUR, METHOD_EXAMPLE, settings(method="mean"))
    assert result.likert_mean == Decimal("3.76")
    assert result.likert_points == 4
    assert result.satisfaction == Decimal("92.00")


def test_exact_and_from_displayed_shares_differ_in_the_second_decimal():
    counts = {"A": 20, "B": 5, "C": 1, "D": 1}  # n = 27
    # Exact: (20·100 + 5·80 + 1·30 + 1·0) / 27 = 2430 / 27 = 90.00 exactly.
    exact = score_question(FOUR, counts)
    assert exact.satisfaction == Decimal("90.00")
    # Shares in hundredths: 7407.41, 1851.85, 370.37, 370.37 → floors sum 9998, two missing;
    # remainders .41, .85, .37, .37 → B then A: 74.08 / 18.52 / 3.70 / 3.70.
    assert exact.shares == tuple(Decimal(s) for s in ("74.08", "18.52", "3.70", "3.70"))
    # Displayed: 74.08 + 18.52 × 0.8 + 3.70 × 0.3 + 0 = 74.08 + 14.816 + 1.11 = 90.006 → 90.01.
    shown = score_question(FOUR, counts, settings(rounding="from_displayed_shares"))
    assert shown.satisfaction_exact == Fraction("90.006")
    assert shown.satisfaction == Decimal("90.01")


def test_not_scored_exclude_versus_zero():
    counts = {"A": 6, "B": 2, "C": 1, "D": 0, "E": 1}  # E = 不了解, n = 10
    excluded = score_question(WITH_UNKNOWN, counts)
    # Display shares are of all 10 answers: 60 / 20 / 10 / 0 / 10.
    assert excluded.shares == tuple(
        Decimal(s) for s in ("60.00", "20.00", "10.00", "0.00", "10.00")
    )
    # exclude: (600 + 160 + 30) / 9 = 790 / 9 = 87.777… → 87.78
    assert (excluded.n, excluded.n_scored, excluded.denominator) == (10, 9, 9)
    assert excluded.satisfaction == Decimal("87.78")
    # basis shares over the 9 scored answers: 66.67 / 22.22 / 11.11 / 0 and none for 不了解
    assert excluded.basis_shares == (
        Decimal("66.67"),
        Decimal("22.22"),
        Decimal("11.11"),
        Decimal("0.00"),
        None,
    )
    # zero: 不了解 counts with value 0: 790 / 10 = 79.00
    zero = score_question(WITH_UNKNOWN, counts, settings(not_scored="zero"))
    assert zero.denominator == 10
    assert zero.satisfaction == Decimal("79.00")


def test_not_scored_zero_in_top2_and_mean():
    counts = {"A": 6, "B": 2, "C": 1, "D": 0, "E": 1}
    # top-2: (6 + 2) / 9 = 88.888… → 88.89 (exclude); (6 + 2) / 10 = 80.00 (zero)
    assert score_question(
        WITH_UNKNOWN, counts, settings(method="top2_share")
    ).satisfaction == Decimal("88.89")
    zero_top2 = score_question(
        WITH_UNKNOWN, counts, settings(method="top2_share", not_scored="zero")
    )
    assert zero_top2.satisfaction == Decimal("80.00")
    # mean with zero: 不了解 takes rank 1: (6·4 + 2·3 + 1·2 + 1·1) / 10 = 33 / 10 = 3.30
    # → rescaled (3.3 − 1) / 3 · 100 = 76.666… → 76.67
    zero_mean = score_question(
        WITH_UNKNOWN, counts, settings(method="mean", not_scored="zero")
    )
    assert zero_mean.likert_mean == Decimal("3.30")
    assert zero_mean.satisfaction == Decimal("76.67")


def test_top2_of_a_two_option_question_counts_only_the_best():
    yes_no = (OptionSpec("Y", "是", 100), OptionSpec("N", "否", 0))
    # 3 of 4 said yes: 75 %, not the trivial 100 %.
    assert score_question(
        yes_no, {"Y": 3, "N": 1}, settings(method="top2_share")
    ).satisfaction == Decimal("75.00")


def test_no_answers_gives_no_satisfaction():
    result = score_question(WITH_UNKNOWN, {"E": 3})
    assert result.satisfaction is None
    assert result.shares[-1] == Decimal("100.00")


def test_unknown_option_and_bad_settings_are_refused():
    with pytest.raises(ScoringInputError):
        score_question(FOUR, {"Z": 1})
    with pytest.raises(SettingsError) as info:
        ScoringSettings(method="median")
    assert "method" in str(info.value) and "计算方法" in info.value.message_zh
    with pytest.raises(SettingsError):
        ScoringSettings.from_dict({"metod": "mean"})
    assert ScoringSettings.from_dict({"method": "mean"}).to_dict()["method"] == "mean"


def test_question_spec_validation():
    with pytest.raises(ScoringInputError):
        QuestionSpec(
            "q1", "主题", (OptionSpec("A", "是", 100), OptionSpec("A", "否", 0))
        )
    with pytest.raises(ScoringInputError):
        QuestionSpec("q1", "主题", (OptionSpec("A", "是", 100),))
    with pytest.raises(ScoringInputError):
        OptionSpec("A", "非常满意", 120)


def test_to_dict_lists_options_in_scale_order():
    data = score_question(WITH_UNKNOWN, {"E": 1, "A": 1})
    assert [option["key"] for option in data.to_dict()["options"]] == [
        "A",
        "B",
        "C",
        "D",
        "E",
    ]
    assert data.to_dict()["satisfaction"] == 100.0


# --- properties -----------------------------------------------------------------------------

SCALES = st.sampled_from([FOUR, FIVE, WITH_UNKNOWN])
METHODS = st.sampled_from(["weighted", "top2_share", "mean"])


@st.composite
def scale_and_counts(draw: st.DrawFn) -> tuple[tuple[OptionSpec, ...], dict[str, int]]:
    scale = draw(SCALES)
    counts = {o.key: draw(st.integers(min_value=0, max_value=500)) for o in scale}
    return scale, counts


@given(scale_and_counts(), st.sampled_from(["exact", "from_displayed_shares"]))
def test_weighted_satisfaction_lies_between_lowest_and_highest_scored_value(
    case, rounding
):
    scale, counts = case
    result = score_question(scale, counts, settings(rounding=rounding))
    values = [o.value for o in scale if o.scored]
    if result.satisfaction is not None:
        assert min(values) <= result.satisfaction <= max(values)


@given(scale_and_counts(), METHODS, st.sampled_from(["exclude", "zero"]))
def test_adding_an_all_best_answer_never_lowers_satisfaction(case, method, not_scored):
    scale, counts = case
    chosen = settings(method=method, not_scored=not_scored)
    best = max((o for o in scale if o.scored), key=lambda o: o.value).key
    before = score_question(scale, counts, chosen).satisfaction_exact
    after = score_question(
        scale, {**counts, best: counts[best] + 1}, chosen
    ).satisfaction_exact
    assert after is not None
    assert before is None or after >= before
