"""The typed summary without a database: its parts, its attributes and its one ``to_json()``.

Example: two scored questions on the 4-level scale (100/80/30/0) plus 不了解 (not scored), one
unscored question; unit 1 answers A, A (Q1) and A, B (Q2), unit 2 answers C (Q1) and 不了解 (Q2).
Rounding ``from_displayed_shares``: Q1 2×A + 1×C of 3 → 66.67 % × 100 + 33.33 % × 30 = 76.67;
Q2 1×A + 1×B of 2 scored → 90.00; composite (76.67 + 90.00)/2 = 83.335 → 83.34 (ROUND_HALF_UP).
"""

from __future__ import annotations

import json
from dataclasses import FrozenInstanceError
from datetime import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from survey_app.domain.scoring import (
    AlphaResult,
    ConfidenceInterval,
    OptionSpec,
    QuestionSpec,
    ScoringSettings,
    ValidityRules,
    breakdown,
    breakdown_by_unit,
    compute_composite,
    coverage,
    default_band_rule,
    rule_from_dict,
    sample_size,
)
from survey_app.domain.summary_parts import (
    UNIT,
    Breakdown,
    Breakdowns,
    GroupRow,
    QuestionSummary,
)
from survey_app.domain.summary_result import (
    Indicator,
    ResponseCounts,
    ResponseFilter,
    Statistics,
    SummaryResult,
    SurveyInfo,
)

SCALE = (OptionSpec("A", "非常满意", 100), OptionSpec("B", "比较满意", 80), OptionSpec("C", "不太满意", 30),
         OptionSpec("D", "不满意", 0), OptionSpec("E", "不了解", None))
SPECS = [
    QuestionSpec("Q1", "政策宣传", SCALE, 1.0, "政策", True),
    QuestionSpec("Q2", "拨付及时性", SCALE, 2.0, "拨付", True),
    QuestionSpec("I1", "身份", (OptionSpec("1", "本人", None), OptionSpec("2", "家属", None)), 1.0, None, False),
]
COUNTS = {1: {"Q1": {"A": 2}, "Q2": {"A": 1, "B": 1}, "I1": {"1": 2}}, 2: {"Q1": {"C": 1}, "Q2": {"E": 1}}}


class Settings:
    """Stands in for ``services.settings.SurveySettings`` (the summary only needs these)."""

    def __init__(self, scoring: ScoringSettings, rule):
        self.scoring, self.score_rule, self.validity = scoring, rule, ValidityRules()

    def to_dict(self):
        return {"scoring": self.scoring.to_dict(), "score_rule": self.score_rule.to_dict(),
                "validity": self.validity.to_dict()}


def make_summary(scoring: ScoringSettings | None = None, rule=None, statistics: Statistics | None = None):
    scoring = scoring or ScoringSettings(rounding="from_displayed_shares")
    rule = rule or default_band_rule()
    result = compute_composite(COUNTS, SPECS, scoring)
    texts = {"Q1": "您对政策宣传是否满意？", "Q2": "您对拨付及时性是否满意？", "I1": "您的身份是？"}
    questions = tuple(QuestionSummary(s.id, texts[s.id], s.topic if s.scored else None, "single", s.scored,
                                      s.dimension, s.weight, r) for s, r in zip(SPECS, result.questions, strict=True))
    names = {1: "甲公司", 2: "乙公司"}
    units = Breakdown(UNIT, tuple(GroupRow(g, names[g.group]) for g in breakdown_by_unit(COUNTS, SPECS, scoring)))
    county = Breakdown("county", tuple(GroupRow(g) for g in breakdown(COUNTS, SPECS, scoring, {1: "城区", 2: "郊区"})))
    return SummaryResult(
        survey=SurveyInfo(7, "测试调查", "工业专项", "工信局", 2024, Indicator("D41", "奖补对象满意度", 6.0), "open", "abc"),
        filter=ResponseFilter(since=datetime(2025, 1, 1, 16)),
        settings=Settings(scoring, rule),
        responses=ResponseCounts(used=3, valid=2, flagged=1, excluded=1),
        questions=questions,
        satisfaction=result,
        score=rule.evaluate(result.composite.value),
        rule_zh=rule.describe_zh(),
        breakdowns=Breakdowns((units, county)),
        coverage=coverage({1: 2, 2: 5}, {1: 2, 2: 1}, returned=4, valid=3, names=names),
        statistics=statistics or Statistics(sample_size(3)),
        fingerprint="f" * 64,
    )


def test_attributes_are_the_domain_results():
    s = make_summary()
    assert s.composite == Decimal("83.34") and s.composite_exact == Fraction(83335, 1000)
    assert [(d.label, d.value) for d in s.dimensions] == [("政策", Decimal("76.67")), ("拨付", Decimal("90.00"))]
    q1 = s.question("Q1")
    assert [(o.key, o.count, o.share) for o in q1.options][:3] == [("A", 2, Decimal("66.67")), ("B", 0, Decimal("0.00")),
                                                                 ("C", 1, Decimal("33.33"))]
    assert q1.satisfaction == Decimal("76.67") and q1.n == 3 and q1.denominator == 3
    q2 = s.question("Q2")
    assert (q2.n, q2.denominator, q2.options[-1].scored, q2.options[-1].value) == (3, 2, False, None)
    assert [q.id for q in s.scored_questions] == ["Q1", "Q2"] and s.question("nope") is None
    assert s.question("I1").method == "unscored" and s.question("I1").satisfaction is None
    assert s.responses.total == 4 and s.responses.of("flagged") == 1


def test_score_carries_its_band_and_only_band_rules_have_one():
    s = make_summary()
    assert s.score.points == Decimal("4.00")
    assert (s.score.band.min, s.score.band.max, s.score.band.points) == (80, 90, 4)
    ratio = make_summary(rule=rule_from_dict({"type": "ratio", "weight": 6, "target": 90}))
    assert ratio.score.band is None and "band" not in ratio.score.to_dict()
    top = default_band_rule().evaluate(Decimal("100"))
    assert (top.band.min, top.band.max) == (95, 100)  # the top band is closed


def test_breakdowns_by_unit_and_by_group():
    b = make_summary().breakdowns
    assert [x.by for x in b] == ["unit", "county"] and [x.by for x in b.groupings] == ["county"]
    assert [(g.group, g.name, g.composite) for g in b.units] == [(1, "甲公司", Decimal("95.00")),
                                                                 (2, "乙公司", Decimal("30.00"))]
    assert b.get("county").rows[0].units == (1,) and b.get("category") is None
    assert Breakdown("attribute:专项", ()).attribute == "专项" and Breakdown("county", ()).attribute is None
    json_rows = b.to_dict()
    assert "name" in json_rows["unit"][0] and "name" not in json_rows["county"][0]


def test_coverage_rows_name_their_unit_outside_the_domain_json():
    cov = make_summary().coverage
    assert [(u.unit, u.name, u.met, u.short_by) for u in cov.units] == [(1, "甲公司", True, 0), (2, "乙公司", False, 4)]
    assert "name" not in cov.to_dict()["units"][0]


def test_to_json_is_the_api_shape():
    data = make_summary().to_json()
    assert list(data) == ["survey", "filter", "settings", "responses", "questions", "composite", "composite_exact",
                          "dimensions", "score", "rule_zh", "breakdowns", "coverage", "statistics", "fingerprint"]
    statuses_as_list = {**data, "filter": {**data["filter"], "statuses": list(data["filter"]["statuses"])}}
    assert json.loads(json.dumps(data)) == statuses_as_list  # JSON types only (a tuple becomes a list)
    assert data["survey"]["indicator"] == {"code": "D41", "name": "奖补对象满意度", "weight": 6.0}
    assert data["filter"] == {"statuses": ("valid", "flagged"), "unit_ids": None, "since": "2025-01-01T16:00:00",
                              "until": None}
    assert data["responses"] == {"used": 3, "valid": 2, "flagged": 1, "excluded": 1, "total": 4}
    q1 = data["questions"][0]
    assert list(q1)[:7] == ["id", "text", "topic", "type", "scored", "dimension", "weight"] and "question_id" not in q1
    assert q1["options"][0] == {"key": "A", "label": "非常满意", "value": 100, "scored": True, "count": 2,
                                "share": 66.67, "basis_share": 66.67}
    assert (data["composite"], data["composite_exact"]) == (83.34, 83.335)
    assert data["dimensions"] == [{"dimension": "政策", "satisfaction": 76.67, "satisfaction_exact": 76.67},
                                  {"dimension": "拨付", "satisfaction": 90.0, "satisfaction_exact": 90.0}]
    assert data["score"]["points"] == 4.0 and data["score"]["rule"]["type"] == "band"
    assert data["coverage"]["units"][1] == {"unit": 2, "minimum": 5, "valid": 1, "met": False, "short_by": 4,
                                            "name": "乙公司"}
    assert data["statistics"] == {"sample_size": sample_size(3).to_dict()}
    assert "unit_level_notes" not in data


def test_to_json_statistics_and_unit_level_notes():
    alpha = AlphaResult(0.81234, k=2, n=40, dropped=1)
    ci = ConfidenceInterval(83.3, 80.004, 86.125, 0.95, 2000, 2000, 1, "unit")
    s = make_summary(ScoringSettings(aggregation="unit"), statistics=Statistics(sample_size(3), alpha, ci))
    data = s.to_json()
    assert data["statistics"]["reliability"]["alpha"] == 0.812 == alpha.shown
    assert (data["statistics"]["confidence_interval"]["low"], ci.low_shown, ci.high_shown) == \
        (80.0, Decimal("80.00"), Decimal("86.13"))
    # unit level: unit 1 = (100 + 90)/2 = 95, unit 2 = 30 (Q2 has only 不了解) → 62.5
    assert s.composite == Decimal("62.50") and s.units_without_answers == () and s.unassigned_answers == 0
    assert "unit_level_notes" not in data
    with_unassigned = make_summary(ScoringSettings(aggregation="unit"))
    object.__setattr__(with_unassigned.satisfaction, "unassigned_answers", 2)
    assert with_unassigned.to_json()["unit_level_notes"] == {"units_without_answers": [], "unassigned_answers": 2}


def test_results_are_frozen():
    s = make_summary()
    with pytest.raises(FrozenInstanceError):
        s.fingerprint = "x"
    with pytest.raises(FrozenInstanceError):
        s.responses.used = 0
