"""Sections 五 (results per question) and 六 (composite satisfaction and the indicator score)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..domain.questionnaire import MULTIPLE, SINGLE
from ..domain.scoring.numbers import round2
from ..domain.summary_parts import QuestionSummary
from ..domain.summary_result import SummaryResult
from ..domain.vocabulary import COUNTED
from ..texts_zh import report as zh
from .appendix_groups import groups
from .docx_chart import add_bar_chart
from .docx_style import para
from .docx_table import add_table, caption
from .text_zh import (
    chart_caption,
    distribution_sentence,
    method_zh,
    num,
    option_values_zh,
    pct,
    satisfaction_sentence,
    table_caption,
    topic_of,
)

if TYPE_CHECKING:
    from .appendix_docx import AppendixData

SUBSECTION = ("（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）")


def _sub(i: int) -> str:
    return SUBSECTION[i]


def _heading(doc, text: str, level: int) -> None:
    para(doc, text, f"Heading {level}")


def _section(doc, number: str, title: str) -> None:
    _heading(doc, zh.SECTION.format(number=number, title=title), 1)


def results(doc, data: AppendixData, number: str) -> None:
    """五、调查结果及问卷分析: optional sample structure, then one block per question."""
    s = data.summary
    _section(doc, number, zh.RESULTS)
    doc.add_paragraph(zh.RESULTS_INTRO.format(n=s.responses.used))
    info_ids = {q.id for sec in data.questionnaire.sections if sec.kind == "unit_info" for q in sec.questions}
    sub = 0
    if data.shows("sample"):
        _heading(doc, f"{_sub(sub)}{zh.RESULTS_SAMPLE}", 2)
        sub += 1
        _sample(doc, data, [q for q in s.questions if q.id in info_ids])
        _heading(doc, f"{_sub(sub)}{zh.RESULTS_SATISFACTION}", 2)
    for question in s.questions:
        if question.id not in info_ids:
            _question_block(doc, data, question)


def _sample(doc, data: AppendixData, questions: list[QuestionSummary]) -> None:
    units = data.units
    if units and any(u["county"] for u in units):
        by_county: dict[str, list[int]] = {}
        for u in units:
            c = data.unit_returns.get(u["id"], {})
            entry = by_county.setdefault(u["county"] or zh.SAMPLE_COUNTY_MISSING, [0, 0])
            entry[0] += 1
            entry[1] += sum(c.get(status, 0) for status in COUNTED)
        total = sum(v[1] for v in by_county.values()) or 1
        table_no = data.next_number("表")
        doc.add_paragraph(zh.SAMPLE_COUNTIES.format(table=table_no))
        caption(doc, "表", table_no, zh.SAMPLE_COUNTIES_CAPTION)
        add_table(doc, ["县（市、区）", "单位数", "有效答卷（份）", "占比（%）"],
                  [[k, v[0], v[1], f"{v[1] * 100 / total:.2f}"] for k, v in by_county.items()], [4.6, 3, 4, 4])
    for question in questions:
        para(doc, zh.question_heading(data.numbers.get(question.id), question.text), "Heading 3")
        doc.add_paragraph(distribution_sentence(question, data.subject))
        if question.n:
            _distribution_table(doc, data, question)


def _question_block(doc, data: AppendixData, q: QuestionSummary) -> None:
    para(doc, zh.question_heading(data.numbers.get(q.id), q.text), "Heading 3")
    options = q.options
    if q.n and q.type == SINGLE:
        figure = data.next_number("图")
        paragraph = para(doc, "", "图表")
        add_bar_chart(doc, paragraph, [o.label for o in options], [float(o.share) for o in options],
                      name=f"图表 {figure}")
        caption(doc, "图", figure, chart_caption(q))
    not_scored = data.summary.settings.scoring.not_scored
    if q.scored:
        doc.add_paragraph(satisfaction_sentence(q, data.subject, not_scored))
    else:
        doc.add_paragraph(distribution_sentence(q, data.subject) + zh.NOT_COUNTED)
    if q.n:
        _distribution_table(doc, data, q)


def _distribution_table(doc, data: AppendixData, q: QuestionSummary) -> None:
    table_no = data.next_number("表")
    caption(doc, "表", table_no, table_caption(q))
    options = q.options
    if q.type == MULTIPLE:
        rows = [[o.label, o.count, pct(o.share)] for o in options]
        add_table(doc, ["选项", "选择人数", "比例（%）"],
                  [*rows, [zh.RESPONDENTS_ROW, q.n, ""], [zh.MENTIONS_ROW, q.mentions, ""]], [7, 3.6, 5],
                  align_left=(0,))
        doc.add_paragraph(zh.MULTIPLE_NOTE)
        return
    scored = q.scored
    rows = [[o.label, *([num(o.value) if o.value is not None else zh.NOT_SCORED_VALUE] if scored else []),
             o.count, pct(o.share)] for o in options]
    rows.append([zh.TOTAL, *([""] if scored else []), q.n, pct(q.shares_total)])
    if scored:
        rows.append([zh.SATISFACTION_ROW, "", "", pct(q.satisfaction)])
    merge = 3 if scored else 0
    header = ["选项", *(["赋值（分）"] if scored else []), "人数", "占比（%）"]
    add_table(doc, header, rows, [5, 3.4, 3.4, 3.8] if scored else [7, 4, 4.6], align_left=(0,), merge_last=merge)
    if q.shares_total is not None and q.shares_total != 100:
        share_rounding = data.summary.settings.scoring.share_rounding
        doc.add_paragraph(zh.SHARES_TOTAL_NOTE[share_rounding].format(total=pct(q.shares_total)))


def composite(doc, data: AppendixData, number: str) -> None:
    """六、综合满意度及指标得分: method, values, rounding, formula, result, rule, points, options."""
    s = data.summary
    words = method_zh(s.settings.scoring)
    _section(doc, number, zh.COMPOSITE)
    _heading(doc, zh.COMPOSITE_METHOD, 2)
    values = option_values_zh(s.questions, data.numbers)
    # 不计分选项 is explained only when a scored question offers one (不了解 …).
    has_not_scored = any(o.value is None for q in data.questionnaire.scored_questions for o in q.options)
    lines = [(zh.METHOD_LINE.format(text=words["method"]), "正文左对齐"),
             (zh.VALUES_LINE.format(text="；".join(values) if values else zh.VALUES_NONE), None),
             *([(zh.NOT_SCORED_LINE.format(text=words["not_scored"]), None)] if has_not_scored else []),
             (zh.ROUNDING_LINE.format(text=words["rounding"]), None),
             (zh.AGGREGATION_LINE.format(aggregation=words["aggregation"], composite=words["composite"]), "正文左对齐")]
    for i, (text, style) in enumerate(lines, start=1):
        para(doc, zh.NUMBERED.format(i=i, text=text), style)
    _heading(doc, zh.COMPOSITE_RESULT, 2)
    _result_table(doc, data)
    _heading(doc, zh.SCORE, 2)
    indicator = s.survey.indicator
    name = zh.SCORE_INDICATOR.format(code=indicator.code or "", name=indicator.name or zh.SCORE_INDICATOR_FALLBACK)
    para(doc, zh.SCORE_RULE.format(indicator=name, rule=s.rule_zh), "正文左对齐")
    if s.score is None:
        doc.add_paragraph(zh.SCORE_NONE)
    else:
        doc.add_paragraph(zh.SCORE_RESULT.format(working=s.score.working_zh))
    sub = 3
    for key, build in (("groups", groups), ("alpha", _alpha), ("ci", _ci)):
        if data.shows(key):
            build(doc, data, _sub(sub))
            sub += 1


def _result_table(doc, data: AppendixData) -> None:
    s = data.summary
    scored = s.scored_questions
    weighted = s.settings.scoring.composite == "weighted"
    table_no = data.next_number("表")
    doc.add_paragraph(zh.COMPOSITE_TABLE.format(table=table_no))
    caption(doc, "表", table_no, zh.COMPOSITE_CAPTION)
    rows = [[data.numbers.get(q.id, q.id), topic_of(q), q.dimension or zh.DASH, *([f"{q.weight:g}"] if weighted else []),
             q.denominator, pct(q.satisfaction)] for q in scored]
    rows.append([zh.COMPOSITE_ROW, "", "", *([""] if weighted else []), "", pct(s.composite)])
    merge = len(rows[0]) - 1
    header = ["题号", "调查内容", "维度", *(["权重"] if weighted else []), "计分答卷", "满意度（%）"]
    widths = [1.6, 6.4, 2.6, 1.2, 1.8, 2.0] if weighted else [1.6, 7.2, 2.8, 2.0, 2.0]
    add_table(doc, header, rows, widths, align_left=(1,), merge_last=merge)
    dims = [d for d in s.dimensions if d.value is not None]
    if len(dims) > 1:
        parts = "；".join(zh.DIMENSION_SATISFACTION.format(dimension=d.label, pct=pct(d.value)) for d in dims)
        doc.add_paragraph(zh.DIMENSIONS.format(parts=parts))
    para(doc, _formula(s, scored, weighted), "正文左对齐")


def _formula(s: SummaryResult, scored: tuple[QuestionSummary, ...], weighted: bool) -> str:
    if s.composite is None:
        return zh.FORMULA_NONE
    scoring = s.settings.scoring
    exact = zh.FORMULA_EXACT if scoring.rounding == "exact" else ""
    if scoring.aggregation == "unit":
        units = [g for g in s.breakdowns.units if g.composite is not None]
        return zh.FORMULA_UNITS.format(total=sum(float(g.composite_exact) for g in units), n=len(units),
                                       pct=pct(s.composite), exact=exact)
    answered = [q for q in scored if q.satisfaction is not None]
    if weighted:
        terms = " + ".join(zh.FORMULA_WEIGHTED_TERM.format(weight=q.weight, pct=pct(q.satisfaction)) for q in answered)
        return zh.FORMULA_WEIGHTED.format(terms=terms, total=sum(q.weight for q in answered), pct=pct(s.composite),
                                          exact=exact)
    terms = " + ".join(zh.FORMULA_MEAN_TERM.format(pct=pct(q.satisfaction)) for q in answered)
    return zh.FORMULA_MEAN.format(terms=terms, n=len(answered), pct=pct(s.composite), exact=exact)


def _alpha(doc, data: AppendixData, sub: str) -> None:
    _heading(doc, f"{sub}{zh.ALPHA}", 2)
    alpha = data.summary.statistics.reliability
    if alpha is None or alpha.alpha is None:
        reason = (alpha and (alpha.skipped_reason_zh or alpha.skipped_reason)) or zh.ALPHA_NOT_COMPUTED
        doc.add_paragraph(zh.ALPHA_SKIPPED.format(reason=reason))
        return
    doc.add_paragraph(zh.ALPHA_RESULT.format(k=alpha.k, n=alpha.n, dropped=alpha.dropped, alpha=alpha.shown,
                                             level=alpha.level_zh))


def _ci(doc, data: AppendixData, sub: str) -> None:
    _heading(doc, f"{sub}{zh.CI}", 2)
    ci = data.summary.statistics.confidence_interval
    if ci is None or ci.low is None:
        reason = (ci and (ci.skipped_reason_zh or ci.skipped_reason)) or zh.ALPHA_NOT_COMPUTED
        doc.add_paragraph(zh.CI_SKIPPED.format(reason=reason))
        return
    text = zh.CI_RESULT.format(by=zh.CI_BY.get(ci.resampled, zh.CI_BY["respondent"]),
                               resamples=ci.resamples, seed=ci.seed, level=ci.level * 100,
                               low=pct(ci.low_shown), high=pct(ci.high_shown))
    if ci.design_effect is not None and ci.effective_n is not None:
        text += zh.CI_DESIGN_EFFECT.format(deff=ci.design_effect, n=ci.n, neff=ci.effective_n,
                                           srs_low=pct(round2(ci.srs_low)), srs_high=pct(round2(ci.srs_high)))
    chances = data.summary.statistics.score_chances
    if chances is not None:
        text += chances.sentence_zh
    doc.add_paragraph(text)
