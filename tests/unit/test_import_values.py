"""Import domain, small parts: headers, 所用时间, 提交答卷时间, 来自IP, option look-up, merged headers."""

from __future__ import annotations

from datetime import datetime

import pytest

from survey_app.domain.imports.headers import (
    assemble_headers,
    meta_field,
    normalise,
    option_splits,
    split_number,
)
from survey_app.domain.imports.values import (
    OptionLookup,
    parse_beijing_time,
    parse_duration,
    split_ip,
    tidy,
)


@pytest.mark.parametrize("header", ["1、您对宣传是否满意？", "Q1：您对宣传是否满意?", "第1题 您对宣传是否满意",
                                    "1. 您对 宣传 是否满意",
                                    "１、您对宣传，是否满意？"])
def test_numbering_punctuation_and_spaces_are_ignored(header):
    assert normalise(header) == "您对宣传是否满意"
    assert split_number(header)[0] == 1


def test_a_year_is_not_numbering():
    assert split_number("2024年您单位是否获得奖补")[0] is None


@pytest.mark.parametrize("header, expected", [
    ("2、您通过哪些渠道？:主管部门", ("2、您通过哪些渠道?", "主管部门")),
    ("第3题(主管部门)", ("第3题", "主管部门")),
    ("3（主管部门）", ("3", "主管部门")),
])
def test_per_option_headers(header, expected):
    assert expected in option_splits(header)


def test_meta_columns_of_wenjuanxing():
    assert [meta_field(h) for h in ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP", "1、单位名称"]] == [
        "seq", "submitted_at", "duration", "source", "source_detail", "ip", "unit"]


@pytest.mark.parametrize("text, seconds", [("125秒", 125), ("2分5秒", 125), ("1小时2分3秒", 3723), ("02:05", 125),
                                           ("125", 125), ("(跳过)", None), ("", None)])
def test_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["很久", "5天", "1.5分"])
def test_bad_duration_is_refused(text):
    with pytest.raises(ValueError):
        parse_duration(text)


@pytest.mark.parametrize("text", ["2024/5/6 9:05:03", "2024-05-06 09:05:03", "2024年5月6日 9:05:03"])
def test_submission_time_is_beijing_time_stored_as_utc(text):
    assert parse_beijing_time(text) == datetime(2024, 5, 6, 1, 5, 3)


def test_ip_keeps_the_address_only():
    assert split_ip("1.2.3.4(山西-晋城)") == "1.2.3.4"
    assert split_ip("(跳过)") is None


def test_numbers_read_by_excel_lose_their_decimal():
    assert tidy("1.0") == "1" and tidy("（跳过）") == "(跳过)"


def test_option_lookup_by_label_key_position_and_fill_in(industrial):
    q1, i3 = industrial.question("Q1"), industrial.question("I3")
    assert OptionLookup(q1).key("非常满意") == "A" and OptionLookup(q1).key("b") == "B"
    assert OptionLookup(q1).key("2") is None
    assert OptionLookup(q1, position=True).key("2") == "B"
    assert OptionLookup(i3).key("其他渠道〖自媒体〗") == "5"
    assert OptionLookup(q1, {"很满意": "A"}).key("很满意") == "A"


def test_two_row_header_from_merged_cells():
    grid = [["序号", "3、渠道", "", "", "4、总体"], ["", "主管部门", "政府网站", "行业协会", ""], ["1", "1", "0", "1", "A"]]
    columns, used, notes = assemble_headers(grid)
    assert used == 2 and "two_row_header" in notes
    assert columns == [("序号",), ("3、渠道:主管部门", "主管部门"), ("3、渠道:政府网站", "政府网站"),
                       ("3、渠道:行业协会", "行业协会"), ("4、总体",)]


def test_title_row_is_skipped_and_a_full_header_is_one_row():
    columns, used, notes = assemble_headers([["满意度调查数据", "", ""], ["序号", "a", "b"], ["1", "x", ""]])
    assert used == 2 and columns == [("序号",), ("a",), ("b",)] and notes == ["title:满意度调查数据"]
