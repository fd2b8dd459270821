"""Score probabilities: each bootstrap composite scored by the rule; shares add up to 1."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest

from survey_app.domain.scoring import (
    OptionSpec,
    QuestionSpec,
    ScoringSettings,
    composite_ci_from_codes,
    default_band_rule,
    rule_from_dict,
    score_chances,
)


def test_hand_computed_chances_on_the_d41_bands():
    # 94.995 prints as 95.00 → 6 points; 94.994 → 94.99 → 5; 90.00 → 5; 89.99 → 4.
    values = [94.995, 95.2, 97.0, 94.994, 90.0, 91.3, 93.0, 94.0, 89.99, 96.0]
    chances = score_chances(values, default_band_rule())
    # 6 points: 94.995, 95.2, 97.0, 96.0 → 4/10; 5 points: 94.994, 90.0, 91.3, 93.0, 94.0 → 5/10; 4: 1/10.
    assert [(c.points, c.count, c.probability, c.percent) for c in chances.chances] == [
        (Decimal(5), 5, Fraction(1, 2), 50), (Decimal(6), 4, Fraction(2, 5), 40), (Decimal(4), 1, Fraction(1, 10), 10)]
    assert sum(c.probability for c in chances.chances) == 1
    assert chances.sentence_zh == "按重抽样估计，该项指标得5分的可能性约为50%，得6分约为40%，得4分约为10%。"


def test_a_rare_score_is_said_to_be_below_one_percent():
    chances = score_chances([96.0] * 999 + [94.0], default_band_rule())
    assert chances.sentence_zh == "按重抽样估计，该项指标得6分的可能性约为100%，得5分不足1%。"


def test_rules_with_many_possible_scores_are_not_listed():
    ratio = rule_from_dict({"type": "ratio", "weight": 6, "target": 90})
    chances = score_chances([80.0, 81.0, 82.0, 83.0, 84.0, 85.0, 86.0, 87.0], ratio)
    assert chances.chances == () and "未逐一列出" in chances.sentence_zh
    assert score_chances([], ratio) is None


SCALE = (OptionSpec("A", "非常满意", 100), OptionSpec("B", "比较满意", 80),
         OptionSpec("C", "不太满意", 30), OptionSpec("D", "不满意", 0))
QUESTIONS = tuple(QuestionSpec(f"q{i}", f"主题{i}", SCALE) for i in range(1, 4))


def test_bootstrap_chances_match_the_share_of_resamples_in_each_band():
    # 29 units of 5–6 respondents, mostly 非常满意: the composite sits near the 95 % boundary.
    rng = np.random.default_rng(3)
    sizes = rng.integers(5, 7, 29)
    units = np.repeat(np.arange(29), sizes)
    lean = rng.uniform(0.65, 0.97, 29)[units]  # composite ≈ 70 + 30·0.81
    draws = rng.random((len(units), 3))
    codes = np.where(draws < lean[:, None], 0, np.where(draws < lean[:, None] + (1 - lean[:, None]) * 0.8, 1, 2))
    ci = composite_ci_from_codes(codes, units, QUESTIONS, ScoringSettings(), resamples=1000)
    chances = score_chances(ci.values, default_band_rule())
    assert sum(c.probability for c in chances.chances) == 1
    assert sum(c.count for c in chances.chances) == ci.used == 1000
    # Independently: the band of each resample from its value rounded half-up to 2 decimals.
    def band(value):
        shown = np.floor(value * 100 + 0.5 + 1e-9) / 100
        return next(p for low, p in ((95, 6), (90, 5), (80, 4), (70, 3), (60, 2), (0, 0)) if shown >= low)
    expected = Counter(band(v) for v in ci.values)
    assert {int(c.points): c.count for c in chances.chances} == dict(expected)
    assert len(expected) >= 2  # the interval straddles a band boundary


@pytest.mark.parametrize("points", [6, 5])
def test_a_certain_score_is_one(points):
    value = 97.0 if points == 6 else 92.0
    chances = score_chances([value] * 20, default_band_rule())
    assert [(int(c.points), c.probability) for c in chances.chances] == [(points, 1)]
