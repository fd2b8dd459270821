"""Score rules: points, refusals, Chinese renderings, dict round trips."""

from decimal import Decimal

import pytest

from survey_app.domain.scoring import (
    BandRule,
    DeductionRule,
    RatioRule,
    RuleError,
    ThresholdRule,
    default_band_rule,
    rule_from_dict,
)

D41_TEXT = (
    "满意度95%（含）—100%，得6分；90%（含）—95%，得5分；80%（含）—90%，得4分；"
    "70%（含）—80%，得3分；60%（含）—70%，得2分；低于60%不得分。"
)


@pytest.mark.parametrize(
    ("satisfaction", "points"),
    [
        ("95.00", "6"),
        ("94.99", "5"),
        ("89.99", "4"),
        ("60.00", "2"),
        ("59.99", "0"),
        ("100", "6"),
        ("0", "0"),
    ],
)
def test_d41_band_table(satisfaction, points):
    assert default_band_rule().score(Decimal(satisfaction)) == Decimal(points)


def test_band_compares_the_displayed_two_decimal_satisfaction():
    # 94.999 is printed as 95.00 (ROUND_HALF_UP), and 95.00 earns 6: the printed score.
    assert default_band_rule().score(94.999) == 6
    assert default_band_rule().score(94.994) == 5  # printed 94.99


def test_band_rule_text_and_working():
    rule = default_band_rule()
    assert rule.describe_zh() == D41_TEXT
    assert (
        rule.working_zh(94.71)
        == "综合满意度为94.71%，位于90%（含）—95%区间，该项指标分值为6分，得5分。"
    )
    assert (
        rule.working_zh(55) == "综合满意度为55.00%，低于60%，该项指标分值为6分，得0分。"
    )
    result = rule.evaluate(94.71)
    assert (result.points, result.rule_zh) == (Decimal("5.00"), D41_TEXT)
    assert result.to_dict()["points"] == 5.0


def test_ratio_rule():
    rule = RatioRule(weight=6, target=90)
    # min(1, 96/90) × 6 = 6.00; 85/90 × 6 = 5.666… → 5.67
    assert rule.score(96) == Decimal("6.00")
    assert rule.score(85) == Decimal("5.67")
    assert rule.working_zh(85).endswith(
        "得分=85.00%÷90%×6分=5.67分，该项指标分值为6分，得5.67分。"
    )
    floored = RatioRule(weight=6, target=90, floor=60)
    assert (
        floored.score(Decimal("59.99")) == 0 and floored.score(60) == 4
    )  # 60/90 × 6 = 4
    assert floored.describe_zh().endswith("；低于60%不得分。")


def test_deduction_rule():
    rule = DeductionRule(weight=6, target=90, per_point=Decimal("0.5"))
    # 87 is 3 points below 90: 6 − 3 × 0.5 = 4.5
    assert rule.score(87) == Decimal("4.50")
    assert rule.score(90) == 6
    assert rule.score(70) == 0  # 6 − 20 × 0.5 = −4 → floored at 0
    assert (
        rule.describe_zh()
        == "满意度达到90%（含）以上得6分；每低于1个百分点扣0.5分，扣完为止。"
    )
    assert "低于目标值90%共3个百分点，扣1.5分" in rule.working_zh(87)


def test_threshold_rule():
    rule = ThresholdRule(weight=6, target=90)
    assert rule.score(Decimal("89.9")) == 0
    assert rule.score(90) == 6
    assert (
        rule.working_zh(Decimal("89.9"))
        == "综合满意度为89.90%，未达到目标值90%，该项指标分值为6分，得0分。"
    )


def test_band_rule_with_a_gap_is_refused():
    bands = [
        {"min": 95, "points": 6},
        {"min": 80, "max": 90, "points": 4},
        {"min": 0, "points": 0},
    ]
    with pytest.raises(RuleError) as info:
        BandRule.from_bands(6, bands)
    assert "gap between 90 and 95" in str(info.value)
    assert "90%至95%之间没有对应的区间" in info.value.message_zh


def test_band_rule_with_an_overlap_is_refused():
    bands = [
        {"min": 90, "points": 6},
        {"min": 80, "max": 92, "points": 4},
        {"min": 0, "points": 0},
    ]
    with pytest.raises(RuleError) as info:
        BandRule.from_bands(6, bands)
    assert "overlap between 90 and 92" in str(info.value)


@pytest.mark.parametrize(
    "bands",
    [
        [
            {"min": 60, "points": 2},
            {"min": 90, "points": 5},
            {"min": 0, "points": 0},
        ],  # unordered
        [{"min": 90, "points": 6}, {"min": 60, "points": 2}],  # nothing below 60
        [
            {"min": 90, "points": 2},
            {"min": 0, "points": 6},
        ],  # points rise as satisfaction falls
        [{"min": 90, "points": 7}, {"min": 0, "points": 0}],  # more than the weight
        [],
    ],
)
def test_malformed_band_rules_are_refused(bands):
    with pytest.raises(RuleError):
        BandRule.from_bands(6, bands)


@pytest.mark.parametrize(
    "data",
    [
        {"type": "median", "weight": 6},
        {"type": "ratio", "weight": 6},
        {"type": "ratio", "weight": 6, "target": 90, "k": 1},
        {"type": "threshold", "weight": 0, "target": 90},
        {"type": "threshold", "weight": 6, "target": 120},
        {"type": "threshold", "weight": True, "target": 90},
        {"type": "deduction", "weight": 6, "target": 90, "per_point": "abc"},
        {"type": "ratio", "weight": 6, "target": 90, "floor": 95},
    ],
)
def test_bad_rule_dicts_are_refused(data):
    with pytest.raises(RuleError) as info:
        rule_from_dict(data)
    assert info.value.message_zh


@pytest.mark.parametrize(
    "data",
    [
        {
            "type": "band",
            "weight": 6,
            "bands": [
                {"min": 95, "points": 6},
                {"min": 90, "points": 5},
                {"min": 0, "points": 0},
            ],
        },
        {"type": "ratio", "weight": 10, "target": 90, "floor": 60},
        {"type": "deduction", "weight": 6, "target": 90, "per_point": 0.5},
        {"type": "threshold", "weight": 6, "target": 92.5},
    ],
)
def test_rules_round_trip_through_dicts(data):
    rule = rule_from_dict(data)
    assert rule_from_dict(rule.to_dict()) == rule
    assert rule.to_dict()["type"] == data["type"]


def test_band_to_dict_has_explicit_limits():
    assert default_band_rule().to_dict()["bands"][:2] == [
        {"min": 95, "max": 100, "points": 6},
        {"min": 90, "max": 95, "points": 5},
    ]


def test_satisfaction_outside_0_100_is_refused():
    with pytest.raises(RuleError):
        default_band_rule().score(100.01)
