"""The appendix's sentences and the writers' cell rules, without an app or a database."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime

from survey_app.domain.scoring import OptionSpec, ValidityRules, score_question
from survey_app.domain.summary_parts import QuestionSummary
from survey_app.domain.summary_result import ResponseFilter
from survey_app.reports.appendix_docx import zh_num
from survey_app.reports.cells import Column, neutralise
from survey_app.reports.table_csv import write_csv
from survey_app.reports.text_zh import (
    distribution_sentence,
    filter_zh,
    option_values_zh,
    satisfaction_sentence,
    topic_of,
    validity_rules_zh,
)

SAT4 = [("非常满意", 100.0), ("比较满意", 80.0), ("不太满意", 30.0), ("不满意", 0.0)]


def summary_question(counts, labels, *, id="Q6", text="您对奖补资金拨付的及时性是否满意？", topic="奖补资金拨付及时性",
                     type="single", scored=True, respondents=None):
    """A question of the summary, scored by the domain from ``counts`` (labels: [(label, value)])."""
    options = [OptionSpec(chr(65 + i), label, value if scored else None) for i, (label, value) in enumerate(labels)]
    result = score_question(options, {o.key: c for o, c in zip(options, counts, strict=True)}, question_id=id)
    if not scored:
        result = replace(result, method="unscored", satisfaction=None, satisfaction_exact=None)
    return QuestionSummary(id, text, topic, type, scored, None, 1.0, result, respondents)


def question(counts, shares, satisfaction, labels=SAT4, **extra):
    """A scored question; ``shares`` and ``satisfaction`` are what the domain must compute from ``counts``."""
    q = summary_question(counts, labels, **extra)
    assert [float(o.share) for o in q.options] == shares
    assert (None if q.satisfaction is None else float(q.satisfaction)) == satisfaction
    return q


def test_standard_sentence_matches_method_md_example():
    # METHOD.md §2: 40 / 8 / 2 / 0 of 50 → 80.00 / 16.00 / 4.00 / 0.00 → 94.00 %
    q = question([40, 8, 2, 0], [80.0, 16.0, 4.0, 0.0], 94.0)
    assert satisfaction_sentence(q) == (
        "调查结果显示，80.00%的受益对象对奖补资金拨付及时性非常满意；16.00%的受益对象比较满意；"
        "4.00%的受益对象不太满意；0.00%的受益对象不满意。综上，反映出受益对象对奖补资金拨付及时性满意程度为94.00%。")


def test_sentence_variants_read_sensibly():
    labels = [("很满意", 100.0), ("一般", 60.0), ("不了解", None)]
    q = question([6, 3, 1], [60.0, 30.0, 10.0], 86.67, labels=labels)
    text = satisfaction_sentence(q)
    assert "60.00%的受益对象对奖补资金拨付及时性很满意；30.00%的受益对象评价为“一般”；10.00%的受益对象不了解。" in text
    assert "选择“不了解”的1份答卷不计入满意度计算。" in text
    assert "按0分计入" in satisfaction_sentence(q, not_scored="zero")
    nobody = question([0, 0, 0, 0], [0.0] * 4, None)
    assert satisfaction_sentence(nobody) == "本题暂无有效作答，未能统计受益对象对奖补资金拨付及时性的满意程度。"
    only_unknown = question([0, 0, 2], [0.0, 0.0, 100.0], None, labels=labels)
    assert satisfaction_sentence(only_unknown).endswith("本题答卷均为不计分选项，未计算满意度。")


def test_unscored_and_multiple_choice_sentences():
    single = summary_question([3, 1], [("本人", None), ("家属", None)], text="您的身份是？", topic=None, scored=False)
    assert [float(o.share) for o in single.options] == [75.0, 25.0]
    assert distribution_sentence(single) == "“您的身份是”一题中，75.00%的受益对象选择“本人”；25.00%的受益对象选择“家属”。"
    multiple = summary_question([2, 1, 0], [("网站", None), ("培训", None), ("其他", None)], text="渠道？（可多选）",
                                topic=None, type="multiple", scored=False, respondents=2)
    # Share of respondents (问卷星's 比例): 2 of 2 = 100.00, 1 of 2 = 50.00 (3 mentions in all).
    assert [float(o.share) for o in multiple.options] == [100.0, 50.0, 0.0]
    assert (multiple.n, multiple.mentions) == (2, 3)
    assert distribution_sentence(multiple) == (
        "“渠道？（可多选）”一题（多选）共有2名受益对象作答（合计选择3人次），选择“网站”的有2人（占作答受益对象的100.00%）；"
        "选择“培训”的有1人（占作答受益对象的50.00%）。")
    unanswered = summary_question([0, 0], [("本人", None), ("家属", None)], text="您的身份是？", topic=None, scored=False)
    assert distribution_sentence(unanswered) == "“您的身份是”一题暂无有效作答。"


def test_topic_fallback_and_option_values():
    assert topic_of(summary_question([0], [("满意", 100)], text="您对办理流程的便捷程度是否满意？", topic=None)) == \
        "办理流程的便捷程度"
    q = question([1, 0, 0, 0], [100.0, 0, 0, 0], 100.0)
    assert option_values_zh([q, replace(q, id="Q7")]) == [
        "非常满意100分、比较满意80分、不太满意30分、不满意0分（适用于Q6、Q7，共2题）"]


def test_rules_and_filter_in_words():
    rules = validity_rules_zh(ValidityRules.from_dict({"min_duration": {"action": "exclude", "seconds": 20},
                                                       "straight_line": {"action": "off"},
                                                       "straight_line_fast": {"action": "off"}}))
    assert rules[0] == "答题用时少于20秒的，直接认定为无效答卷并剔除。"
    assert all("同一选项" not in r for r in rules) and len(rules) == 3  # defaults for the rules not given
    assert filter_zh(ResponseFilter(statuses=("valid",), unit_ids=None)) == "统计口径：有效答卷。"
    # A cell already labelled 统计口径 gets the description alone.
    assert filter_zh(ResponseFilter(statuses=("valid",), unit_ids=None), label=False) == "有效答卷。"
    text = filter_zh(ResponseFilter(statuses=("valid", "flagged"), since=datetime(2025, 1, 1, 16), until=None))
    assert "提交时间2025年1月2日 00:00至不限（北京时间）" in text


def test_neutralise_formula_triggers():
    for payload in ("=1+1", "@SUM(A1)", "-2+3", "+cmd", "\tx", "\rx"):
        assert neutralise(payload) == "'" + payload
    assert neutralise("<script>alert(1)</script>") == "<script>alert(1)</script>"
    assert neutralise("正常文字") == "正常文字"


def test_csv_has_bom_crlf_and_inert_cells():
    out = io.BytesIO()
    n = write_csv(out, [Column("单位"), Column("用时", "number")], [["=1+1", 30], ["甲,乙", 2.5], [None, 1.0]])
    data = out.getvalue()
    assert n == 3 and not out.closed
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\r\n") == 4
    assert data.decode("utf-8-sig").splitlines() == ["单位,用时", "'=1+1,30", '"甲,乙",2.5', ",1"]


def test_chinese_numerals():
    assert [zh_num(n) for n in (1, 7, 10, 11, 20, 21)] == ["一", "七", "十", "十一", "二十", "二十一"]
