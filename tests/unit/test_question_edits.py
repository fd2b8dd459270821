"""``services.questions.edited``: the rules of the questionnaire editor, without a page."""

from __future__ import annotations

from survey_app.services.questions import edited


def test_fields_are_applied_to_a_copy(industrial):
    changed, problems = edited(industrial, {"text_Q1": " 您对政策宣传满意吗？ ", "topic_Q1": "政策宣传",
                                            "value_Q1_C": "40", "intro_title": "新标题"})
    assert problems == {}
    q1 = changed.question("Q1")
    assert (q1.text, q1.topic, q1.option("C").value) == ("您对政策宣传满意吗？", "政策宣传", 40.0)
    assert changed.intro.title == "新标题"
    assert industrial.question("Q1").text != "您对政策宣传满意吗？"  # the original is untouched


def test_missing_fields_keep_the_current_values(industrial):
    changed, problems = edited(industrial, {})
    assert problems == {} and changed.to_dict() == industrial.to_dict()


def test_problems_name_their_fields(industrial):
    scored = industrial.scored_questions[0]
    key = next(o.key for o in scored.options if o.scored)
    changed, problems = edited(industrial, {f"text_{scored.id}": "  ", f"topic_{scored.id}": "",
                                            f"value_{scored.id}_{key}": "140"})
    assert problems == {f"text_{scored.id}": "题目文字不能为空", f"topic_{scored.id}": "计分题需要报告用的主题词",
                        f"value_{scored.id}_{key}": "赋值应为0至100之间的数"}
    # an empty text keeps the old one in the copy shown back, and a bad value keeps the old value
    assert changed.question(scored.id).text == scored.text
    assert changed.question(scored.id).option(key).value == scored.option(key).value


def test_values_must_be_numbers_within_0_and_100(industrial):
    scored = industrial.scored_questions[0]
    key = next(o.key for o in scored.options if o.scored)
    for raw, ok in (("0", True), ("100", True), ("62.5", True), ("-1", False), ("一百", False), ("", False)):
        _, problems = edited(industrial, {f"value_{scored.id}_{key}": raw})
        assert (problems == {}) is ok, raw
