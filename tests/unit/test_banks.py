"""Bank parsing: the shipped banks load, and every validation error names file, question and problem."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from survey_app.domain.banks import BankError, load_bank, parse_bank

BANKS = Path(__file__).resolve().parents[2] / "question_banks"

GOOD = """
id: t
title: 测试问卷
intro: {title: 测试}
scales:
  s4:
    options:
      - {key: A, label: 非常满意, value: 100}
      - {key: B, label: 比较满意, value: 80}
      - {key: C, label: 不太满意, value: 30}
      - {key: D, label: 不满意, value: 0}
      - {key: X, label: 不了解, scored: false}
sections:
  - id: s
    title: 一、满意度
    questions:
      - {id: Q1, type: single, scale: s4, topic: 政策宣传, text: 您对政策宣传是否满意？}
      - {id: Q1R, type: text, required: false, show_if: {question: Q1, any_of: [C, D]}, text: 原因}
      - {id: N1, type: number, min: 0, max: 10, text: 次数}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(BankError) as caught:
        parse_bank(textwrap.dedent(text), "bad.yaml")
    return [str(p) for p in caught.value.problems]


def edit(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new)


@pytest.mark.parametrize("name", ["industrial_fund.yaml", "public_service.yaml"])
def test_shipped_banks_load(name):
    questionnaire = load_bank(BANKS / name)
    assert questionnaire.scored_questions
    assert all(q.topic for q in questionnaire.scored_questions)


def test_industrial_bank_follows_method_section_6():
    questionnaire = load_bank(BANKS / "industrial_fund.yaml")
    scored = questionnaire.scored_questions
    assert len(scored) == 10
    assert [(o.label, o.value) for o in scored[0].options] == [
        ("非常满意", 100), ("比较满意", 80), ("不太满意", 30), ("不满意", 0)]
    follow_ups = [q for q in questionnaire.questions if q.show_if]
    assert {q.show_if.question for q in follow_ups} == {q.id for q in scored}
    assert all(q.show_if.any_of == ("C", "D") for q in follow_ups)


def test_public_service_bank_has_a_not_scored_option():
    questionnaire = load_bank(BANKS / "public_service.yaml")
    options = questionnaire.scored_questions[0].options
    assert [o.value for o in options] == [100, 80, 60, 30, 0, None]
    assert options[-1].label == "不了解" and not options[-1].scored


def test_good_bank_parses_and_round_trips_through_the_frozen_copy():
    questionnaire = parse_bank(GOOD)
    from survey_app.domain.questionnaire import Questionnaire

    again = Questionnaire.from_dict(questionnaire.to_dict())
    assert again == questionnaire
    assert again.content_hash() == questionnaire.content_hash()


def test_hash_changes_when_a_question_text_changes():
    a = parse_bank(GOOD)
    b = parse_bank(edit("您对政策宣传是否满意？", "您对政策宣传满意吗？"))
    assert a.content_hash() != b.content_hash()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("scale: s4, topic", "scale: s9, topic", "bad.yaml: question Q1: unknown scale 's9'"),
        ("id: N1", "id: Q1", "bad.yaml: question Q1: duplicate question id"),
        ("id: N1, type: number", "id: N1, weight: 0, type: number", "bad.yaml: question N1: weight 0 out of range"),
        ("id: N1, type: number", "id: N1, weight: 500, type: number", "bad.yaml: question N1: weight 500 out of range"),
        ("show_if: {question: Q1,", "show_if: {question: Q9,",
         "bad.yaml: question Q1R: show_if refers to unknown or later question 'Q9'"),
        ("any_of: [C, D]", "any_of: [C, E]", "bad.yaml: question Q1R: show_if option 'E' is not an option of question 'Q1'"),
        ("type: single, scale", "type: choice, scale", "bad.yaml: question Q1: unknown type 'choice'"),
        ("topic: 政策宣传, ", "", "bad.yaml: question Q1: a scored question needs a 'topic'"),
        ("text: 次数", "text: ''", "bad.yaml: question N1: 'text' is required"),
        ("min: 0, max: 10", "min: 10, max: 0", "bad.yaml: question N1: min 10 is greater than max 0"),
        ("value: 80", "value: 120", "bad.yaml: scale s4: option 'B' needs a value between 0 and 100"),
        ("{key: X, label: 不了解, scored: false}", "{key: X, label: 不了解, scored: false, value: 10}",
         "bad.yaml: scale s4: option 'X' is not scored but has a value"),
        ("{key: B, label", "{key: A, label", "bad.yaml: scale s4: duplicate option key 'A'"),
        ("type: single, scale: s4,", "type: single, scale: s4, options: [{key: a, label: b}],",
         "bad.yaml: question Q1: a choice question needs exactly one of 'scale' or 'options'"),
        ("type: text, required: false,", "type: text, required: false, scale: s4,",
         "bad.yaml: question Q1R: a text question takes no 'scale' or 'options'"),
        ("id: N1, type: number", "id: N1, colour: red, type: number", "bad.yaml: question N1: unknown key 'colour'"),
        ("id: N1, type: number", "id: N1, required: maybe, type: number",
         "bad.yaml: question N1: 'required' must be true or false"),
        ("type: text, required: false,", "type: text, max_length: 5000, required: false,",
         "bad.yaml: question Q1R: max_length must be between 1 and 2000"),
        ("    title: 一、满意度", "    title: 一、满意度\n    kind: other", "bad.yaml: section s: unknown kind 'other'"),
    ],
)
def test_each_error_names_file_question_and_problem(old, new, expected):
    found = problems(edit(old, new))
    assert any(p.startswith(expected) for p in found), found


def test_show_if_on_a_later_question_is_refused():
    text = edit("      - {id: Q1R, type: text, required: false, show_if: {question: Q1, any_of: [C, D]}, text: 原因}\n", "")
    earlier = "      - {id: Q0, type: text, show_if: {question: Q1, any_of: [A]}, text: 早}\n"
    text = text.replace("      - {id: Q1, type: single", earlier + "      - {id: Q1, type: single")
    assert any("show_if refers to unknown or later question 'Q1'" in p for p in problems(text))


def test_show_if_on_a_text_question_is_refused():
    text = GOOD + "      - {id: N2, type: text, show_if: {question: N1, any_of: [A]}, text: 跟进}\n"
    assert any("which is not a choice question" in p for p in problems(text))


def test_all_problems_are_reported_at_once():
    found = problems(edit("scale: s4, topic", "scale: s9, topic").replace("id: N1", "id: Q1R"))
    assert len(found) >= 2


def test_invalid_yaml_and_wrong_top_level():
    assert problems("a: [1, 2")[0].startswith("bad.yaml: file: invalid YAML")
    assert problems("- just a list")[0].startswith("bad.yaml: file: the top level must be a mapping")
    assert any("'title' is required" in p for p in problems("id: x\nintro: {title: t}\nsections: []"))


def test_load_bank_names_the_file(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(edit("scale: s4, topic", "scale: nope, topic"), encoding="utf-8")
    with pytest.raises(BankError) as caught:
        load_bank(path)
    assert str(caught.value).startswith("mine.yaml: question Q1: unknown scale 'nope'")
