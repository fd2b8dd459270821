"""Sections 五 (results per question) and 六 (composite satisfaction and the indicator score)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

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

GROUP_NAMES = {"county": "县（市、区）", "category": "类别"}
SUBSECTION = ("（一）", "（二）", "（三）", "（四）", "（五）", "（六）", "（七）", "（八）")


def _sub(i: int) -> str:
    return SUBSECTION[i]


def _heading(doc, text: str, level: int) -> None:
    para(doc, text, f"Heading {level}")


def results(doc, data: AppendixData, number: str) -> None:
    """五、调查结果及问卷分析: optional sample structure, then one block per question."""
    s = data.summary
    _heading(doc, f"{number}、调查结果及问卷分析", 1)
    doc.add_paragraph(f"本次调查共纳入统计答卷{s['responses']['used']}份，调查结果及分析如下。")
    info_ids = {q.id for sec in data.questionnaire.sections if sec.kind == "unit_info" for q in sec.questions}
    sub = 0
    if "sample" in data.sections:
        _heading(doc, f"{_sub(sub)}样本结构", 2)
        sub += 1
        _sample(doc, data, [q for q in s["questions"] if q["id"] in info_ids])
        _heading(doc, f"{_sub(sub)}满意度调查结果", 2)
    for question in s["questions"]:
        if question["id"] not in info_ids:
            _question_block(doc, data, question)


def _sample(doc, data: AppendixData, questions: list[dict[str, Any]]) -> None:
    units = data.units
    if units and any(u["county"] for u in units):
        by_county: dict[str, list[int]] = {}
        for u in units:
            c = data.unit_returns.get(u["id"], {})
            entry = by_county.setdefault(u["county"] or "未填写", [0, 0])
            entry[0] += 1
            entry[1] += c.get("valid", 0) + c.get("flagged", 0)
        total = sum(v[1] for v in by_county.values()) or 1
        table_no = data.next_number("表")
        doc.add_paragraph(f"纳入统计的答卷按单位所在县（市、区）分布见表{table_no}。")
        caption(doc, "表", table_no, "答卷地区分布")
        add_table(doc, ["县（市、区）", "单位数", "有效答卷（份）", "占比（%）"],
                  [[k, v[0], v[1], f"{v[1] * 100 / total:.2f}"] for k, v in by_county.items()], [4.6, 3, 4, 4])
    for question in questions:
        para(doc, f"{question['text']}", "Heading 3")
        respondents = data.respondents_by_question.get(question["id"])
        doc.add_paragraph(distribution_sentence(question, respondents, data.subject))
        if question["n"]:
            _distribution_table(doc, data, question, respondents)


def _question_block(doc, data: AppendixData, q: dict[str, Any]) -> None:
    para(doc, f"{q['id']}：{q['text']}", "Heading 3")
    if q["n"] and q["type"] == "single":
        figure = data.next_number("图")
        paragraph = para(doc, "", "图表")
        add_bar_chart(doc, paragraph, [o["label"] for o in q["options"]], [o["share"] for o in q["options"]],
                      name=f"图表 {figure}")
        caption(doc, "图", figure, chart_caption(q))
    not_scored = data.summary["settings"]["scoring"]["not_scored"]
    if q["scored"]:
        doc.add_paragraph(satisfaction_sentence(q, data.subject, not_scored))
    else:
        doc.add_paragraph(distribution_sentence(q, data.respondents_by_question.get(q["id"]), data.subject)
                          + "本题不计入满意度。")
    if q["n"]:
        _distribution_table(doc, data, q, data.respondents_by_question.get(q["id"]))


def _distribution_table(doc, data: AppendixData, q: dict[str, Any], respondents: int | None) -> None:
    table_no = data.next_number("表")
    caption(doc, "表", table_no, table_caption(q))
    if q["type"] == "multiple":
        base = respondents or 0
        rows = [[o["label"], o["count"], f"{o['count'] * 100 / base:.2f}" if base else "—"] for o in q["options"]]
        add_table(doc, ["选项", "选择人次", "占答题人数比例（%）"], [*rows, ["答题人数", base, ""]], [7, 3.6, 5],
                  align_left=(0,))
        return
    scored = q["scored"]
    rows = [[o["label"], *([num(o["value"]) if o["value"] is not None else "不计分"] if scored else []),
             o["count"], pct(o["share"])] for o in q["options"]]
    rows.append(["合计", *([""] if scored else []), q["n"], "100.00"])
    if scored:
        rows.append(["满意度（%）", "", "", pct(q["satisfaction"])])
    merge = 3 if scored else 0
    header = ["选项", *(["赋值（分）"] if scored else []), "人数", "占比（%）"]
    add_table(doc, header, rows, [5, 3.4, 3.4, 3.8] if scored else [7, 4, 4.6], align_left=(0,), merge_last=merge)


def composite(doc, data: AppendixData, number: str) -> None:
    """六、综合满意度及指标得分: method, values, rounding, formula, result, rule, points, options."""
    s = data.summary
    scoring = s["settings"]["scoring"]
    words = method_zh(scoring)
    _heading(doc, f"{number}、综合满意度及指标得分", 1)
    _heading(doc, "（一）计算方法", 2)
    para(doc, f"1. 计算方法：{words['method']}", "正文左对齐")
    values = option_values_zh(s["questions"])
    doc.add_paragraph("2. 选项赋值：" + ("；".join(values) if values else "本问卷无计分题") + "。")
    doc.add_paragraph(f"3. 不计分选项：{words['not_scored']}")
    doc.add_paragraph(f"4. 数值修约：{words['rounding']}")
    para(doc, f"5. 汇总方式：{words['aggregation']}{words['composite']}", "正文左对齐")
    _heading(doc, "（二）计算结果", 2)
    _result_table(doc, data)
    _heading(doc, "（三）指标得分", 2)
    indicator = s["survey"]["indicator"]
    name = f"“{indicator.get('code') or ''}{indicator.get('name') or '满意度'}”指标"
    para(doc, f"评分标准（{name}）：{s['rule_zh']}", "正文左对齐")
    if s["score"] is None:
        doc.add_paragraph("暂无计分答卷，无法计算综合满意度和指标得分。")
    else:
        doc.add_paragraph(f"评分结果：{s['score']['working_zh']}")
    sub = 3
    for key, build in (("groups", _groups), ("alpha", _alpha), ("ci", _ci)):
        if key in data.sections:
            build(doc, data, _sub(sub))
            sub += 1


def _result_table(doc, data: AppendixData) -> None:
    s = data.summary
    scored = [q for q in s["questions"] if q["scored"]]
    weighted = s["settings"]["scoring"]["composite"] == "weighted"
    table_no = data.next_number("表")
    doc.add_paragraph(f"各计分题满意度见表{table_no}。")
    caption(doc, "表", table_no, "各题满意度及综合满意度")
    rows = [[q["id"], topic_of(q), q["dimension"] or "—", *([f"{q['weight']:g}"] if weighted else []),
             q["denominator"], pct(q["satisfaction"])] for q in scored]
    rows.append(["综合满意度", "", "", *([""] if weighted else []), "", pct(s["composite"])])
    merge = len(rows[0]) - 1
    header = ["题号", "调查内容", "维度", *(["权重"] if weighted else []), "计分答卷", "满意度（%）"]
    widths = [1.6, 6.4, 2.6, 1.2, 1.8, 2.0] if weighted else [1.6, 7.2, 2.8, 2.0, 2.0]
    add_table(doc, header, rows, widths, align_left=(1,), merge_last=merge)
    dims = [d for d in s["dimensions"] if d["satisfaction"] is not None]
    if len(dims) > 1:
        doc.add_paragraph("分维度看，" + "；".join(f"{d['dimension']}满意度为{pct(d['satisfaction'])}%" for d in dims) + "。")
    para(doc, _formula(s, scored, weighted), "正文左对齐")


def _formula(s: dict[str, Any], scored: list[dict[str, Any]], weighted: bool) -> str:
    if s["composite"] is None:
        return "暂无计分答卷，未能计算综合满意度。"
    exact = "（按未修约的数值计算，结果保留两位小数）" if s["settings"]["scoring"]["rounding"] == "exact" else ""
    if s["settings"]["scoring"]["aggregation"] == "unit":
        units = [g for g in s["breakdowns"].get("unit", []) if g["composite"] is not None]
        return (f"按单位汇总：综合满意度 = 各单位综合满意度之和 ÷ 单位数 = {sum(g['composite_exact'] for g in units):.2f}"
                f" ÷ {len(units)} = {pct(s['composite'])}%{exact}。")
    answered = [q for q in scored if q["satisfaction"] is not None]
    if weighted:
        terms = " + ".join(f"{q['weight']:g}×{pct(q['satisfaction'])}%" for q in answered)
        total = sum(q["weight"] for q in answered)
        return f"综合满意度 =（{terms}）÷ {total:g} = {pct(s['composite'])}%{exact}。"
    terms = " + ".join(f"{pct(q['satisfaction'])}%" for q in answered)
    return f"综合满意度 =（{terms}）÷ {len(answered)} = {pct(s['composite'])}%{exact}。"


def _groups(doc, data: AppendixData, sub: str) -> None:
    breakdowns = data.summary["breakdowns"]
    _heading(doc, f"{sub}分组分析", 2)
    doc.add_paragraph("按单位所在县（市、区）、单位类别及单位名单中的分组字段分别计算综合满意度（计算方法同上），"
                      "各单位的综合满意度列于最后。")
    for key, groups in breakdowns.items():
        if key == "unit":
            continue
        label = GROUP_NAMES.get(key) or key.split(":", 1)[-1]
        table_no = data.next_number("表")
        caption(doc, "表", table_no, f"按{label}分组的综合满意度")
        add_table(doc, [label, "单位数", "综合满意度（%）"],
                  [[g["group"] if g["group"] is not None else "未分组", len(g["units"]), pct(g["composite"])]
                   for g in groups], [8, 3, 4.6], align_left=(0,))
    if breakdowns.get("unit"):
        table_no = data.next_number("表")
        caption(doc, "表", table_no, "各单位综合满意度")
        add_table(doc, ["序号", "单位名称", "综合满意度（%）"],
                  [[i, g.get("name") or "名单外单位", pct(g["composite"])] for i, g in enumerate(breakdowns["unit"], 1)],
                  [1.4, 10.2, 4.0], align_left=(1,))


def _alpha(doc, data: AppendixData, sub: str) -> None:
    _heading(doc, f"{sub}信度检验", 2)
    alpha = data.summary["statistics"].get("reliability") or {}
    if alpha.get("alpha") is None:
        reason = alpha.get("skipped_reason_zh") or alpha.get("skipped_reason") or "未计算"
        doc.add_paragraph(f"采用Cronbach's α系数检验问卷的内部一致性。本次未计算α系数：{reason}。")
        return
    doc.add_paragraph(
        f"采用Cronbach's α系数检验问卷计分题的内部一致性：α = k/(k−1)·(1 − Σσᵢ²/σₜ²)。本次{alpha['k']}道计分题、"
        f"{alpha['n']}份完整答卷（缺答任一计分题的{alpha['dropped']}份不参与计算）的α系数为{alpha['alpha']:.3f}，"
        f"信度{alpha['level_zh']}（α≥0.8为良好，0.7—0.8为可接受，0.6—0.7为一般，低于0.6为较差）。")


def _ci(doc, data: AppendixData, sub: str) -> None:
    _heading(doc, f"{sub}置信区间", 2)
    ci = data.summary["statistics"].get("confidence_interval") or {}
    if ci.get("low") is None:
        reason = ci.get("skipped_reason_zh") or ci.get("skipped_reason") or "未计算"
        doc.add_paragraph(f"本次未计算综合满意度的置信区间：{reason}。")
        return
    unit = "单位" if ci["resampled"] == "unit" else "受访者"
    doc.add_paragraph(
        f"采用自助法（bootstrap）按{unit}有放回重抽样{ci['resamples']}次（随机种子{ci['seed']}），"
        f"综合满意度的{ci['level'] * 100:g}%置信区间为{pct(ci['low'])}%—{pct(ci['high'])}%。"
        "该区间反映抽样带来的不确定性，可据此判断评分所在区间是否稳定。")
