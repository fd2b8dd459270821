"""Composite satisfaction: aggregation levels, question weights, dimensions, breakdowns."""

import json
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from survey_app.domain.scoring import (
    OptionSpec,
    QuestionSpec,
    ScoringSettings,
    breakdown,
    breakdown_by_unit,
    compute_composite,
    tally,
)

SCALE = (
    OptionSpec("A", "非常满意", 100),
    OptionSpec("B", "比较满意", 80),
    OptionSpec("C", "不太满意", 30),
    OptionSpec("D", "不满意", 0),
    OptionSpec("E", "不了解", None),
)
QUESTIONS = (
    QuestionSpec("q1", "资金拨付及时性", SCALE, weight=2, dimension="过程"),
    QuestionSpec("q2", "实际效果", SCALE, weight=1, dimension="效果"),
    QuestionSpec(
        "county",
        "所属县",
        (OptionSpec("x", "甲县", None), OptionSpec("y", "乙县", None)),
        scored=False,
    ),
)
# U1: 8 respondents, q1 all A (100), q2 all B (80)          → unit composite (100 + 80) / 2 = 90
# U2: 2 respondents, q1 one A one D (50), q2 both C (30)     → unit composite (50 + 30) / 2 = 40
# U3: 3 respondents who only answered 不了解                  → no composite
COUNTS = {
    "U1": {"q1": {"A": 8}, "q2": {"B": 8}, "county": {"x": 8}},
    "U2": {"q1": {"A": 1, "D": 1}, "q2": {"C": 2}, "county": {"y": 2}},
    "U3": {"q1": {"E": 3}, "q2": {"E": 3}},
}


def test_respondent_and_unit_aggregation_differ():
    # Respondent level pools: q1 = 9 A + 1 D of 10 scored → 90.00; q2 = (8·80 + 2·30) / 10 = 70.00.
    # Composite (mean) = (90 + 70) / 2 = 80.00.
    pooled = compute_composite(COUNTS, QUESTIONS)
    assert [q.satisfaction for q in pooled.questions[:2]] == [
        Decimal("90.00"),
        Decimal("70.00"),
    ]
    assert pooled.composite.value == Decimal("80.00")
    # Unit level: mean of unit composites 90 and 40 → 65.00; U3 has none and is left out.
    by_unit = compute_composite(COUNTS, QUESTIONS, ScoringSettings(aggregation="unit"))
    assert by_unit.composite.value == Decimal("65.00")
    assert [u.composite.value for u in by_unit.units] == [
        Decimal("90.00"),
        Decimal("40.00"),
        None,
    ]
    assert by_unit.units_without_answers == ("U3",)
    # The pooled question results are still there for display.
    assert by_unit.questions[0].satisfaction == Decimal("90.00")


def test_question_weighted_composite_and_dimensions():
    weighted = compute_composite(
        COUNTS, QUESTIONS, ScoringSettings(composite="weighted")
    )
    # (2·90 + 1·70) / (2 + 1) = 250 / 3 = 83.333… → 83.33
    assert weighted.composite.exact == Fraction(250, 3)
    assert weighted.composite.value == Decimal("83.33")
    assert [(d.label, d.value) for d in weighted.dimensions] == [
        ("过程", Decimal("90.00")),
        ("效果", Decimal("70.00")),
    ]
    # Unit level dimensions: 过程 = (100 + 50) / 2 = 75, 效果 = (80 + 30) / 2 = 55.
    by_unit = compute_composite(COUNTS, QUESTIONS, ScoringSettings(aggregation="unit"))
    assert [d.value for d in by_unit.dimensions] == [Decimal("75.00"), Decimal("55.00")]


def test_unscored_questions_get_a_distribution_but_no_satisfaction():
    result = compute_composite(COUNTS, QUESTIONS)
    county = result.questions[2]
    assert county.satisfaction is None and county.counts == (8, 2)
    assert county.shares == (Decimal("80.00"), Decimal("20.00"))


def test_answers_without_unit_are_left_out_at_unit_level_only():
    counts = {**COUNTS, None: {"q1": {"D": 4}}}
    # Respondent level: q1 = (9·100) / 14 = 64.285… ; unit level ignores the 4 answers.
    assert compute_composite(counts, QUESTIONS).questions[0].satisfaction == Decimal(
        "64.29"
    )
    by_unit = compute_composite(counts, QUESTIONS, ScoringSettings(aggregation="unit"))
    assert by_unit.composite.value == Decimal("65.00")
    assert by_unit.unassigned_answers == 4


def test_from_displayed_shares_combines_displayed_question_values():
    chosen = ScoringSettings(rounding="from_displayed_shares")
    counts = {None: {"q1": {"A": 1, "D": 2}, "q2": {"A": 2, "B": 1, "D": 4}}}
    result = compute_composite(counts, QUESTIONS, chosen)
    q1, q2 = (q.satisfaction for q in result.questions[:2])
    assert result.composite.exact == (Fraction(q1) + Fraction(q2)) / 2


def test_breakdown_by_group_respects_aggregation_level():
    groups = {"U1": "甲县", "U2": "甲县", "U3": "乙县"}
    counts = {**COUNTS, "U4": {"q1": {"C": 1}, "q2": {"C": 1}}}  # U4 not in the mapping
    rows = breakdown(counts, QUESTIONS, ScoringSettings(aggregation="unit"), groups)
    assert [(row.group, row.units) for row in rows] == [
        ("甲县", ("U1", "U2")),
        ("乙县", ("U3",)),
        (None, ("U4",)),
    ]
    # 甲县 = (90 + 40) / 2 = 65; 乙县 has no scored answers; U4 = (30 + 30) / 2 = 30.
    assert [row.result.composite.value for row in rows] == [
        Decimal("65.00"),
        None,
        Decimal("30.00"),
    ]
    pooled = breakdown(counts, QUESTIONS, None, groups)
    # Respondent level inside 甲县 equals the pooled 80.00 computed above.
    assert pooled[0].result.composite.value == Decimal("80.00")
    json.dumps([row.to_dict() for row in rows], ensure_ascii=False)


def test_breakdown_by_unit():
    rows = breakdown_by_unit(COUNTS, QUESTIONS)
    assert [(row.group, row.result.composite.value) for row in rows] == [
        ("U1", Decimal("90.00")),
        ("U2", Decimal("40.00")),
        ("U3", None),
    ]


def test_tally_counts_answers_per_unit():
    class R:
        def __init__(self, unit, answers):
            self.unit, self.answers = unit, answers

    counts = tally(
        [R("U1", {"q1": "A", "q2": "B", "open": "text"}), R("U1", {"q1": ["A"]})],
        QUESTIONS,
    )
    assert counts == {"U1": {"q1": {"A": 2}, "q2": {"B": 1}}}


def test_to_dict_is_json_ready_and_ordered():
    data = compute_composite(
        COUNTS, QUESTIONS, ScoringSettings(aggregation="unit")
    ).to_dict()
    text = json.dumps(data, ensure_ascii=False)
    assert [q["question_id"] for q in data["questions"]] == ["q1", "q2", "county"]
    assert data["composite"] == 65.0 and "非常满意" in text


@given(
    st.dictionaries(st.sampled_from("ABCDE"), st.integers(0, 50)),
    st.dictionaries(st.sampled_from("ABCDE"), st.integers(0, 50)),
    st.sampled_from(["mean", "weighted"]),
)
def test_adding_an_all_best_respondent_never_lowers_the_composite(q1, q2, kind):
    chosen = ScoringSettings(composite=kind)
    before = compute_composite(
        {None: {"q1": q1, "q2": q2}}, QUESTIONS, chosen
    ).composite.exact
    more = {
        None: {
            "q1": {**q1, "A": q1.get("A", 0) + 1},
            "q2": {**q2, "A": q2.get("A", 0) + 1},
        }
    }
    after = compute_composite(more, QUESTIONS, chosen).composite.exact
    assert before is None or after >= before
