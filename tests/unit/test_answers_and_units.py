"""Answer checking, credit-code checks and unit-list reading (pure domain, no app)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from survey_app.domain.answers import check_answers
from survey_app.domain.banks import load_bank
from survey_app.domain.credit_code import is_valid_credit_code
from survey_app.domain.unit_table import merge_duplicates, read_unit_frame
from survey_app.domain.vocabulary import AnswerProblem as codes

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = load_bank(ROOT / "question_banks" / "public_service.yaml")


def form(**answers):
    return {f"q_{k}": v if isinstance(v, list) else [v] for k, v in answers.items()}


def complete(**extra):
    base = {"I1": "1", **{f"Q{i}": "A" for i in range(1, 8)}}
    return form(**(base | extra))


def test_complete_sheet_passes_and_keeps_option_order():
    sheet = check_answers(PUBLIC, complete(I3=["4", "1"], I2="１２"))
    assert sheet.ok, sheet.errors
    assert sheet.answers["I3"].option_keys == ("1", "4")  # scale order, not click order
    assert sheet.answers["I2"].number == 12.0  # full-width digits accepted


@pytest.mark.parametrize(
    ("changes", "question", "code"),
    [
        ({"Q1": ""}, "Q1", codes.REQUIRED),
        ({"Q1": "Z"}, "Q1", codes.INVALID_OPTION),
        ({"Q1": ["A", "B"]}, "Q1", codes.INVALID_OPTION),
        ({"I2": "十二"}, "I2", codes.NOT_A_NUMBER),
        ({"I2": "nan"}, "I2", codes.NOT_A_NUMBER),
        ({"I2": "-1"}, "I2", codes.BELOW_MIN),
        ({"I2": "366"}, "I2", codes.ABOVE_MAX),
        ({"S1": "字" * 2001}, "S1", codes.TOO_LONG),
    ],
)
def test_each_problem_has_its_code(changes, question, code):
    sheet = check_answers(PUBLIC, complete(**changes))
    assert sheet.errors == {question: code}


def test_follow_up_is_checked_only_when_shown():
    shown = check_answers(PUBLIC, complete(Q6="D", Q6R="太慢"))
    hidden = check_answers(PUBLIC, complete(Q6="A", Q6R="太慢"))
    assert shown.answers["Q6R"].text == "太慢"
    assert "Q6R" not in hidden.answers


def test_control_characters_are_removed_but_chinese_punctuation_kept():
    sheet = check_answers(PUBLIC, complete(S1="建议：\x00加快，拨付！\x07"))
    assert sheet.answers["S1"].text == "建议：加快，拨付！"


@pytest.mark.parametrize(
    "code",
    # The standard's own example, and the published codes of three well-known companies.
    ["91350100M000100Y43", "91330100716105852F", "91440300708461136T", "91110108551385082q"],
)
def test_real_credit_codes_pass(code):
    assert is_valid_credit_code(code)


@pytest.mark.parametrize("code", ["91350100M000100Y44", "91350100M000100Y4", "91350100M0001O0Y43", ""])
def test_wrong_credit_codes_fail(code):
    assert not is_valid_credit_code(code)


def test_jincheng_unit_list_is_read_with_its_headers_and_duplicate():
    frame = pd.read_csv(ROOT / "survey_app" / "demo_data" / "units_jincheng_2024.csv", dtype=str)
    table = read_unit_frame(frame)
    assert not table.errors
    assert len(table.rows) == 29
    assert table.columns["县（市、区）"] == "county" and table.columns["单位名称"] == "name"
    assert table.columns["奖励金额（万元）"] == "attribute"
    assert table.duplicates == [[12, 15]]  # 山西建投晋东南建筑产业有限公司, two awards
    merged = merge_duplicates(table.rows)
    assert len(merged) == 28
    twice = next(r for r in merged if r.name == "山西建投晋东南建筑产业有限公司")
    assert twice.attributes["申报专项"] == "数字化智能化改造专项；绿色低碳转型专项"
    assert twice.attributes["奖励金额（万元）"] == "20；30"


def test_unit_list_errors_are_collected_with_line_numbers():
    frame = pd.DataFrame(
        {"企业名称": ["甲", "", "乙"], "类别": ["企业", "企业", "企业"],
         "统一社会信用代码": ["91350100M000100Y43", "", "91350100M000100Y44"],
         "最少有效份数": ["5", "", "-2"]}
    )
    table = read_unit_frame(frame)
    assert table.errors == [
        "第3行：缺少单位名称",
        "第4行：统一社会信用代码“91350100M000100Y44”校验位不正确或格式错误（乙）",
        "第4行：最少有效份数“-2”不是非负整数（乙）",
    ]


def test_unit_list_without_a_name_column_is_refused():
    assert read_unit_frame(pd.DataFrame({"地址": ["x"]})).errors[0].startswith("找不到单位名称列")
