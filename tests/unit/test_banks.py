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
        ("scale: s4, topic", "scale: s9, topic", "bad.yaml：题 Q1：未知的量表“s9”"),
        ("id: N1", "id: Q1", "bad.yaml：题 Q1：题号重复"),
        ("id: N1, type: number", "id: N1, weight: 0, type: number", "bad.yaml：题 N1：权重 0 超出范围"),
        ("id: N1, type: number", "id: N1, weight: 500, type: number", "bad.yaml：题 N1：权重 500 超出范围"),
        ("show_if: {question: Q1,", "show_if: {question: Q9,",
         "bad.yaml：题 Q1R：显示条件引用了不存在的题或后面的题“Q9”"),
        ("any_of: [C, D]", "any_of: [C, E]", "bad.yaml：题 Q1R：显示条件中的选项“E”不是题“Q1”的选项"),
        ("type: single, scale", "type: choice, scale", "bad.yaml：题 Q1：未知的题型“choice”"),
        ("topic: 政策宣传, ", "", "bad.yaml：题 Q1：计分题需要报告用的主题词"),
        ("text: 次数", "text: ''", "bad.yaml：题 N1：题目文字必填"),
        ("min: 0, max: 10", "min: 10, max: 0", "bad.yaml：题 N1：最小值 10 大于最大值 0"),
        ("value: 80", "value: 120", "bad.yaml：量表 s4：选项“B”的分值应在0到100之间"),
        ("{key: X, label: 不了解, scored: false}", "{key: X, label: 不了解, scored: false, value: 10}",
         "bad.yaml：量表 s4：选项“X”不计分，却有分值"),
        ("{key: B, label", "{key: A, label", "bad.yaml：量表 s4：选项代码“A”重复"),
        ("type: single, scale: s4,", "type: single, scale: s4, options: [{key: a, label: b}],",
         "bad.yaml：题 Q1：选择题需要且只能有“scale”或“options”之一"),
        ("type: text, required: false,", "type: text, required: false, scale: s4,",
         "bad.yaml：题 Q1R：填空题不使用“scale”"),
        ("id: N1, type: number", "id: N1, colour: red, type: number", "bad.yaml：题 N1：未知的键“colour”"),
        ("id: N1, type: number", "id: N1, required: maybe, type: number",
         "bad.yaml：题 N1：“required”应为 true 或 false"),
        ("type: text, required: false,", "type: text, max_length: 5000, required: false,",
         "bad.yaml：题 Q1R：字数上限应在1到2000之间"),
        ("    title: 一、满意度", "    title: 一、满意度\n    kind: other", "bad.yaml：部分 s：未知的部分类型“other”"),
    ],
)
def test_each_error_names_file_question_and_problem(old, new, expected):
    found = problems(edit(old, new))
    assert any(p.startswith(expected) for p in found), found


def test_show_if_on_a_later_question_is_refused():
    text = edit("      - {id: Q1R, type: text, required: false, show_if: {question: Q1, any_of: [C, D]}, text: 原因}\n", "")
    earlier = "      - {id: Q0, type: text, show_if: {question: Q1, any_of: [A]}, text: 早}\n"
    text = text.replace("      - {id: Q1, type: single", earlier + "      - {id: Q1, type: single")
    assert any("显示条件引用了不存在的题或后面的题“Q1”" in p for p in problems(text))


def test_show_if_on_a_text_question_is_refused():
    text = GOOD + "      - {id: N2, type: text, show_if: {question: N1, any_of: [A]}, text: 跟进}\n"
    assert any("不是选择题" in p for p in problems(text))


def test_all_problems_are_reported_at_once():
    found = problems(edit("scale: s4, topic", "scale: s9, topic").replace("id: N1", "id: Q1R"))
    assert len(found) >= 2


def test_invalid_yaml_and_wrong_top_level():
    assert problems("a: [1, 2")[0].startswith("bad.yaml：文件：不是有效的YAML")
    assert problems("- just a list")[0].startswith("bad.yaml：文件：最外层应是包含 id、title")
    assert any("“title”必填" in p for p in problems("id: x\nintro: {title: t}\nsections: []"))


def test_load_bank_names_the_file(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text(edit("scale: s4, topic", "scale: nope, topic"), encoding="utf-8")
    with pytest.raises(BankError) as caught:
        load_bank(path)
    assert str(caught.value).startswith("mine.yaml：题 Q1：未知的量表“nope”")
