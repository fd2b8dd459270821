"""The question-type registry: every type validates its bank keys, checks answers and dumps back.

A matrix is one displayed question whose rows are scored single-choice items; these tests
pin that every row is an item of its own (ids, topics, weights) and that a bank with every
type survives bank → frozen copy → bank unchanged (same hash).
"""

from __future__ import annotations

import textwrap

import pytest

from survey_app.domain import question_types
from survey_app.domain.answers import check_answers, field_name
from survey_app.domain.bank_dump import dump_yaml, to_bank
from survey_app.domain.banks import BankError, parse_bank, parse_bank_data
from survey_app.domain.questionnaire import Questionnaire
from survey_app.domain.vocabulary import AnswerProblem

ALL_TYPES = textwrap.dedent("""
    id: all
    title: 全题型问卷
    intro: {title: 全题型}
    scales:
      s4:
        label: 四级
        options:
          - {key: A, label: 非常满意, value: 100}
          - {key: B, label: 比较满意, value: 80}
          - {key: C, label: 不太满意, value: 30}
          - {key: D, label: 不满意, value: 0}
          - {key: X, label: 不了解, scored: false}
    themes:
      - {name: 服务态度, keywords: [态度, 热情]}
    sections:
      - id: info
        title: 一、基本情况
        kind: unit_info
        questions:
          - {id: I1, type: multiple, text: 渠道, max_choices: 2,
             options: [{key: "1", label: 通知}, {key: "2", label: 网站}, {key: "3", label: 协会}]}
          - {id: N1, type: number, text: 职工人数, min: 0, max: 100000, required: false}
      - id: sat
        title: 二、满意度
        questions:
          - {id: Q1, type: single, scale: s4, topic: 政策宣传, text: 您对政策宣传是否满意？, keywords: [宣传, 解读]}
          - id: M1
            type: matrix
            text: 请评价以下各项
            scale: s4
            dimension: 审核与拨付
            rows:
              - {id: M1a, text: 资金发放时间, topic: 资金发放及时性, weight: 2}
              - {id: M1b, text: 审核速度, topic: 审核效率, dimension: 审核}
              - {id: M1c, text: 公示, topic: 结果公示}
          - {id: M1R, type: text, required: false, show_if: {question: M1a, any_of: [C, D]}, text: 原因, max_length: 500}
""")


def test_every_type_is_registered_once_with_its_template():
    assert set(question_types.TYPE_NAMES) == {"single", "multiple", "text", "number", "matrix"}
    assert question_types.of("matrix").template == "question_types/matrix.html"


def test_matrix_rows_are_scored_items_with_their_own_topic_dimension_and_weight():
    q = parse_bank(ALL_TYPES)
    assert [x.id for x in q.questions] == ["I1", "N1", "Q1", "M1a", "M1b", "M1c", "M1R"]
    assert [x.id for x in q.displayed] == ["I1", "N1", "Q1", "M1", "M1R"]
    rows = {x.id: x for x in q.scored_questions}
    assert list(rows) == ["Q1", "M1a", "M1b", "M1c"]
    assert (rows["M1a"].weight, rows["M1a"].dimension, rows["M1a"].parent) == (2.0, "审核与拨付", "M1")
    assert rows["M1b"].dimension == "审核"
    assert rows["M1c"].options == rows["Q1"].options
    assert q.numbers() == {"I1": "1", "N1": "2", "Q1": "3", "M1": "4", "M1a": "4.1", "M1b": "4.2", "M1c": "4.3"}


@pytest.mark.parametrize("source", ["bank", "frozen"])
def test_bank_frozen_copy_and_dump_round_trip(source):
    q = parse_bank(ALL_TYPES)
    if source == "frozen":
        q = Questionnaire.from_dict(q.to_dict())
    again = parse_bank(dump_yaml(q))
    assert again == q
    assert again.content_hash() == q.content_hash()
    assert parse_bank_data(to_bank(q)).themes[0].keywords == ("态度", "热情")


def test_a_question_edited_away_from_its_scale_keeps_its_values_in_the_dump():
    q = parse_bank(ALL_TYPES)
    data = q.to_dict()
    data["sections"][1]["questions"][0]["options"][1]["value"] = 70.0
    edited = Questionnaire.from_dict(data)
    again = parse_bank(dump_yaml(edited))
    assert again.question("Q1").option("B").value == 70.0
    assert again.question("M1b").option("B").value == 80.0


def test_each_row_is_answered_and_checked_on_its_own():
    q = parse_bank(ALL_TYPES)
    form = {field_name("Q1"): ["A"], field_name("M1a"): ["C"], field_name("M1b"): ["X"], field_name("M1c"): ["Z"],
            field_name("I1"): ["1", "2", "3"], field_name("N1"): ["１２"]}
    sheet = check_answers(q, form)
    assert sheet.errors == {"M1c": AnswerProblem.INVALID_OPTION, "I1": AnswerProblem.TOO_MANY}
    assert sheet.answers["M1a"].option_keys == ("C",)
    assert sheet.answers["N1"].number == 12.0
    missing = check_answers(q, {field_name("Q1"): ["A"]})
    assert {"M1a", "M1b", "M1c"} <= set(missing.errors)


@pytest.mark.parametrize(("old", "new", "expected"), [
    ("scale: s4\n    dimension", "dimension", "题 M1：矩阵量表题需要“scale”"),
    ("topic: 结果公示", "topic: ''", "题 M1 的小题 M1c：矩阵小题需要报告用的主题词"),
    ("id: M1b", "id: Q1", "题 M1 的小题 Q1：题号重复"),
    ("id: M1c, text: 公示", "id: M1c, colour: red, text: 公示", "题 M1 的小题 M1c：未知的键“colour”"),
    ("rows:\n", "options: [{key: a, label: b}]\n    rows:\n", "题 M1：矩阵量表题不使用“options”"),
    ("id: N1, type: number, text: 职工人数,", "id: N1, type: number, text: 职工人数, max_choices: 2,",
     "题 N1：数值题不使用“max_choices”"),
    ("max_choices: 2", "max_choices: 0", "题 I1：最多可选项数应为不小于1的整数"),
    ("id: Q1, type", "id: Q 1, type", "题 Q 1：题号只能由字母、数字、下划线和点组成"),
    ("keywords: [宣传, 解读]", "keywords: 宣传", "题 Q1：“keywords”应为非空词语的列表"),
])
def test_type_rules_name_the_question_and_the_key(old, new, expected):
    text = ALL_TYPES.replace(old.replace("\n    ", "\n        "), new.replace("\n    ", "\n        "), 1)
    assert text != ALL_TYPES, old
    with pytest.raises(BankError) as caught:
        parse_bank(text, "bad.yaml")
    found = [str(p) for p in caught.value.problems]
    assert any(p.startswith(f"bad.yaml：{expected}") for p in found), found
    assert all(p.key for p in caught.value.problems)


def test_yaml_aliases_and_an_empty_show_if_are_refused_by_the_validator_itself():
    aliased = ALL_TYPES.replace("\nthemes:", "\nextra: &x [1]\nmore: *x\nthemes:")
    assert aliased != ALL_TYPES
    with pytest.raises(BankError) as caught:
        parse_bank(aliased, "bad.yaml")
    assert [str(p) for p in caught.value.problems] == [
        "bad.yaml：文件：题库文件不能使用YAML别名（*名称）：请把重复的内容写出来，量表请用 scales 命名后引用"]
    with pytest.raises(BankError) as caught:
        parse_bank(ALL_TYPES.replace("any_of: [C, D]", "any_of: []"), "bad.yaml")
    assert [p.key for p in caught.value.problems] == ["show_if"]
