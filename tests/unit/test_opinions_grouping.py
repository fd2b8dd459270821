"""Grouping open answers by theme: hand-made answer sets, no app, no database."""

from __future__ import annotations

from pathlib import Path

import pytest

from survey_app.domain.banks import load_bank
from survey_app.domain.opinions import build_board, collect, question_labels, summarise
from survey_app.domain.opinions.text import is_non_answer, normalise

BANKS = Path(__file__).resolve().parents[2] / "question_banks"


@pytest.fixture(scope="module")
def industrial():
    return load_bank(BANKS / "industrial_fund.yaml")


def themes_of(board) -> dict[str, set[str]]:
    """Theme name → texts in it."""
    return {t.name: {a.text for a in t.items} for t in board.themes()}


def test_answers_about_one_topic_land_in_its_theme(industrial):
    rows = [("S1", "资金拨付太慢，希望尽快到位", 3), ("S1", "奖补资金迟迟不到账", 1),
            ("Q6R", "拖了一年多", 2), ("S1", "申报材料太多，手续繁琐", 2),
            ("S1", "评审过程不够透明", 1)]
    themes = themes_of(build_board(industrial, rows))
    assert themes["奖补资金拨付及时性"] == {"资金拨付太慢，希望尽快到位", "奖补资金迟迟不到账", "拖了一年多"}
    assert themes["申报流程便捷性"] == {"申报材料太多，手续繁琐"}
    assert themes["认定评审标准的公平透明"] == {"评审过程不够透明"}


def test_an_answer_on_two_topics_counts_in_both(industrial):
    board = build_board(industrial, [("S1", "建议简化申报流程，缩短资金拨付时间。", 4)])
    themes = {t.name: t.count for t in board.themes()}
    assert themes == {"申报流程便捷性": 4, "奖补资金拨付及时性": 4}


def test_a_follow_up_without_keywords_belongs_to_its_question_topic(industrial):
    board = build_board(industrial, [("Q7R", "跟其他地市比差距较大", 1), ("Q4R", "资金拨付周期较长", 1)])
    themes = themes_of(board)
    assert themes["奖补资金额度和补助标准"] == {"跟其他地市比差距较大"}
    # Keywords win over the parent: a reason about payment given under Q4 is about payment.
    assert themes["奖补资金拨付及时性"] == {"资金拨付周期较长"}


@pytest.mark.parametrize("text", ["无", "没有", "暂无", "好", "满意", "无。", " 没有意见 ", "非常满意！", "都挺好的",
                                  "暂无其他建议", "/", ""])
def test_non_answers_are_recognised(text):
    assert is_non_answer(text)


@pytest.mark.parametrize("text", ["无法及时到位", "好的方面是流程简化", "满意度调查太频繁", "没有及时拨付"])
def test_answers_that_start_like_non_answers_are_kept(text):
    assert not is_non_answer(text)


def test_non_answers_are_counted_apart_not_listed(industrial):
    rows = [("S1", "无", 30), ("S1", "满意", 5), ("S1", "没有意见。", 2), ("S1", "希望加强政策宣传", 3), ("S1", "   ", 4)]
    answers = collect(rows)
    assert answers.non_answers == 37 and answers.total == 40
    summary = summarise(build_board(industrial, rows), industrial)
    listed = {e[0] for t in summary.themes for e in t.examples}
    assert listed == {"希望加强政策宣传"}
    assert (summary.total, summary.non_answers, summary.reported) == (40, 37, 3)


def test_identical_answers_merge_after_trimming(industrial):
    answers = collect([("S1", "拨付慢。", 2), ("S1", " 拨付慢", 1), ("Q6R", "拨付慢！", 1)])
    assert len(answers.items) == 1 and answers.items[0].count == 4 and normalise("拨付慢。") == "拨付慢"


def test_answers_matching_no_topic_are_clustered_by_shared_words(industrial):
    rows = [("S1", "希望增加人才引进补贴", 1), ("S1", "人才引进政策落实不够", 1), ("S1", "多支持人才引进", 2),
            ("S1", "园区道路需要修缮", 1)]
    board = build_board(industrial, rows)
    by_id = {t.id: t for t in board.themes()}
    cluster = next(t for tid, t in by_id.items() if tid.startswith("c:"))
    assert cluster.name.startswith("人才") and len(cluster.items) == 3
    assert {a.text for a in by_id["other"].items} == {"园区道路需要修缮"}


def test_bank_themes_take_answers_too(industrial):
    themes = themes_of(build_board(industrial, [("S1", "希望政策能长期延续下去", 1)]))
    assert "政策延续与扩大支持" in themes


def test_outputs_use_respondent_numbers_never_internal_ids(industrial):
    labels = question_labels(industrial)
    numbers = industrial.numbers()
    assert labels["Q6"] == f"第{numbers['Q6']}题" and labels["Q6R"] == f"第{numbers['Q6']}题追问"
    rows = [("Q6R", "拨付慢", 1), ("S1", "拨付慢", 1), ("Q1R", "到账晚", 1), ("Q2R", "到账晚", 1), ("Q3R", "到账晚", 1)]
    summary = summarise(build_board(industrial, rows), industrial)
    q1, q3, q6 = numbers["Q1"], numbers["Q3"], numbers["Q6"]
    assert summary.themes[0].questions == (f"第{numbers['S1']}题", f"第{q1}—{q3}、{q6}题追问")
    assert "Q6R" not in str(summary.to_json()) and "S1" not in str(summary.to_json())


def test_themes_come_in_order_of_frequency(industrial):
    rows = [("S1", "材料太多", 2), ("S1", "拨付太慢", 5), ("S1", "评审不透明", 3)]
    summary = summarise(build_board(industrial, rows), industrial)
    assert [t.count for t in summary.themes] == [5, 3, 2]


def test_a_bank_without_keywords_falls_back_to_the_topics_own_distinct_words(industrial):
    from dataclasses import replace

    plain = replace(industrial, themes=(), sections=tuple(
        replace(s, questions=tuple(replace(q, keywords=()) for q in s.questions)) for s in industrial.sections))
    themes = themes_of(build_board(plain, [("S1", "拨付太慢", 1), ("S1", "申报流程复杂", 1), ("S1", "资金太少", 1)]))
    assert themes["奖补资金拨付及时性"] == {"拨付太慢"}  # "拨付" is in that topic only
    assert themes["申报流程便捷性"] == {"申报流程复杂"}  # "流程": "申报" is shared with 申报指南清晰度
    # "资金" is in half the topics: it ties the answer to none of them.
    assert not any("资金太少" in texts for name, texts in themes.items() if name != "其他意见")


def test_the_public_service_bank_groups_by_its_keywords():
    bank = load_bank(BANKS / "public_service.yaml")
    themes = themes_of(build_board(bank, [("S1", "排队时间太长", 1), ("Q7R", "工作人员态度冷淡", 1)]))
    assert themes == {"办理流程的便捷程度": {"排队时间太长"}, "工作人员的服务态度": {"工作人员态度冷淡"}}
