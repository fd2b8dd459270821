"""The Word appendix "{项目名称}受益对象问卷调查分析报告" (METHOD.md §5), from aggregated data.

``write_appendix(data, out)`` writes the .docx; its size depends on the questionnaire and
the unit list, never on the number of answers (open answers and exclusions are capped —
see ``MAX_LISTED``).  Sections 一–四 live here, 五–六 in ``appendix_results``, 七 and the
blank questionnaire in ``appendix_tail``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, BinaryIO

from ..domain.questionnaire import CHOICE_TYPES, Questionnaire
from ..texts_zh import labels
from . import appendix_results, appendix_tail
from .docx_style import add_footer, new_document, para
from .docx_table import add_table, caption
from .text_zh import filter_zh, pct, validity_rules_zh

#: Optional parts the evaluator can switch on or off (see docs/exports.md).
OPTIONAL_SECTIONS = ("sample", "groups", "alpha", "ci")
DEFAULT_SECTIONS = frozenset({"sample", "groups"})
#: Exclusions listed one by one up to this many; beyond, only counts per reason.
MAX_LISTED = 100
_SECTION_NUMBER = re.compile(r"^[一二三四五六七八九十]+、\s*")
ZH_DIGITS = "零一二三四五六七八九十"


def zh_num(n: int) -> str:
    """1 → 一, 12 → 十二 (enough for section numbers)."""
    if n <= 10:
        return ZH_DIGITS[n]
    return ("" if n < 20 else ZH_DIGITS[n // 10]) + "十" + (ZH_DIGITS[n % 10] if n % 10 else "")


@dataclass
class AppendixData:
    """Everything the appendix prints; built by ``services.exports.appendix_data``."""

    summary: dict[str, Any]
    questionnaire: Questionnaire
    #: Frame order: {"id", "seq", "name", "county", "category", "credit_code", "attributes", "min_valid"}.
    units: list[dict[str, Any]]
    #: unit id (None: answers without a listed unit) → {"valid", "flagged", "excluded"} counts.
    unit_returns: dict[int | None, dict[str, int]]
    #: Up to MAX_LISTED excluded responses: {"id", "unit", "submitted", "reason"}; and the total.
    exclusions: list[dict[str, Any]]
    exclusion_total: int
    exclusion_reasons: list[tuple[str, int]]
    #: Flag reasons among counted (flagged, not excluded) responses: [(label, count)].
    flag_counts: list[tuple[str, int]]
    #: Per open question: {"id", "text", "parent", "total", "distinct", "items": [(text, count)], "omitted"}.
    open_answers: list[dict[str, Any]]
    first_submitted: datetime | None
    last_submitted: datetime | None
    sources: dict[str, int]
    #: Respondents who answered each multiple-choice question (shares per respondent).
    respondents_by_question: dict[str, int]
    generated_at: datetime
    sections: frozenset[str] = DEFAULT_SECTIONS
    subject: str = "受益对象"
    counters: Counter = field(default_factory=Counter)

    @property
    def project(self) -> str:
        info = self.summary["survey"]
        return info.get("project_name") or info.get("name") or "本项目"

    @property
    def title(self) -> str:
        return f"{self.project}{self.subject}问卷调查分析报告"

    def next_number(self, kind: str) -> int:
        """Running number of figures (图) and tables (表)."""
        self.counters[kind] += 1
        return self.counters[kind]


def write_appendix(data: AppendixData, out: BinaryIO) -> None:
    """Write the appendix as .docx to ``out``."""
    doc = new_document(data.title)
    title = para(doc, data.project, "Title")
    title.add_run().add_break()
    title.add_run(f"{data.subject}问卷调查分析报告")
    headings = iter(zh_num(i) for i in range(1, 20))
    for build in (_purpose, _scope, _content, _collection, appendix_results.results, appendix_results.composite,
                  appendix_tail.open_answers):
        build(doc, data, next(headings))
    appendix_tail.questionnaire(doc, data)
    add_footer(doc, data.generated_at.strftime("%Y-%m-%d %H:%M"), data.summary["fingerprint"])
    doc.save(out)


def heading(doc, text: str, level: int):
    return para(doc, text, f"Heading {level}")


def _purpose(doc, data: AppendixData, number: str) -> None:
    heading(doc, f"{number}、调查目的", 1)
    doc.add_paragraph(f"调查的目的是辅助评价工作组更好地了解{data.project}的实施情况和{data.subject}的满意程度，"
                      "为本次绩效评价提供合理性支撑。本次调查主要了解以下几个方面：")
    aspects = [f"{data.subject}对{d['dimension']}的满意程度。" for d in data.summary["dimensions"]]
    aspects = aspects or [f"{data.subject}对项目实施情况的满意程度。"]
    aspects.append(f"{data.subject}对项目管理和资金使用的意见和建议。")
    for i, aspect in enumerate(aspects, start=1):
        doc.add_paragraph(f"{i}. {aspect}")
    indicator = data.summary["survey"]["indicator"]
    if indicator.get("name"):
        weight = f"（分值{indicator['weight']:g}分）" if indicator.get("weight") else ""
        doc.add_paragraph(f"调查结果作为“{indicator.get('code') or ''}{indicator['name']}”指标{weight}的评分依据。")


def _scope(doc, data: AppendixData, number: str) -> None:
    heading(doc, f"{number}、调查对象与范围", 1)
    units = data.units
    if not units:
        doc.add_paragraph(f"本次调查未设定单位名单，面向{data.project}的{data.subject}公开发放问卷。")
        return
    by_category = Counter(u["category"] for u in units if u["category"])
    counties = {u["county"] for u in units if u["county"]}
    parts = "、".join(f"{name}{n}个" for name, n in by_category.items())
    table_no = data.next_number("表")
    text = f"本次调查对象范围为{data.project}的受益单位，共{len(units)}个" + (f"（其中{parts}）" if parts else "")
    text += f"，分布于{len(counties)}个县（市、区）" if counties else ""
    doc.add_paragraph(text + f"。调查单位名单见表{table_no}。")
    extra = _first_group_attribute(data)
    header = ["序号", "单位名称", "县（市、区）", "类别", *([extra] if extra else []), "最少有效份数"]
    rows = [[u["seq"] or i, u["name"], u["county"] or "—", u["category"] or "—",
             *([str((u["attributes"] or {}).get(extra) or "—")] if extra else []), u["min_valid"]]
            for i, u in enumerate(units, start=1)]
    widths = [1.2, 5.6, 2.4, 2.0, 3.0, 1.4] if extra else [1.2, 7.6, 2.8, 2.4, 1.6]
    caption(doc, "表", table_no, "调查单位名单")
    add_table(doc, header, rows, widths, align_left=(1,))


def _first_group_attribute(data: AppendixData) -> str | None:
    keys = [k.split(":", 1)[1] for k in data.summary["breakdowns"] if k.startswith("attribute:")]
    return keys[0] if keys else None


def _content(doc, data: AppendixData, number: str) -> None:
    heading(doc, f"{number}、调查内容", 1)
    q = data.questionnaire
    parts = [f"{_SECTION_NUMBER.sub('', s.title)}（{len(s.questions)}题）" for s in q.sections]
    scored = [x for x in data.summary["questions"] if x["scored"]]
    open_count = sum(1 for x in q.questions if x.type not in CHOICE_TYPES)
    doc.add_paragraph(f"本次调查内容为：调查对象的基本信息、调查对象对项目基本情况的了解、调查对象的满意度及意见建议。"
                      f"问卷共{len(q.questions)}题，分为{'、'.join(parts)}{len(parts)}部分。")
    dims = list(dict.fromkeys(x["dimension"] or "—" for x in scored))
    table_no = data.next_number("表")
    text = f"其中满意度计分题{len(scored)}道"
    text += f"，分为{'、'.join(dims)}{len(dims)}个维度" if dims != ["—"] else ""
    text += f"；另设开放式问题{open_count}道（含不满意原因追问），收集{data.subject}的意见和建议" if open_count else ""
    doc.add_paragraph(text + f"。计分题见表{table_no}。")
    caption(doc, "表", table_no, "满意度调查内容")
    add_table(doc, ["维度", "题号", "调查内容", "权重"],
              [[x["dimension"] or "—", x["id"], x["topic"] or x["text"], f"{x['weight']:g}"] for x in scored],
              [3.0, 1.6, 9.4, 1.6], align_left=(2,))


def _collection(doc, data: AppendixData, number: str) -> None:
    s, cov = data.summary, data.summary["coverage"]
    heading(doc, f"{number}、问卷的发放和回收", 1)
    heading(doc, "（一）发放与回收", 2)
    minimums = sorted({u["min_valid"] for u in data.units})
    quota = (f"{minimums[0]}" if len(minimums) == 1 else f"{minimums[0]}—{minimums[-1]}") if minimums else None
    text = f"本次调查以{data.subject}为调查主体，通过线上问卷平台向各调查单位定向发放专属问卷链接"
    if data.units:
        text = (f"本次调查综合考虑调查对象规模，对名单内{len(data.units)}个单位采取全覆盖发放策略。" + text
                + f"，要求每个单位至少回收{quota}份有效答卷，确保样本具备单位内部代表性")
    doc.add_paragraph(text + "。")
    if data.first_submitted:
        sources = "、".join(f"{labels.source(k)}{n}份" for k, n in data.sources.items() if n)
        doc.add_paragraph(f"答卷提交时间为{data.first_submitted:%Y年%m月%d日}至{data.last_submitted:%Y年%m月%d日}"
                          f"（北京时间）；回收的答卷中，{sources}。")
    issued = "发放问卷" if cov.get("issued_explicit") else "计划发放问卷（各单位最少有效份数之和）"
    doc.add_paragraph(f"{issued}{cov['issued']}份，实际回收{cov['returned']}份，回收率为{pct(cov['return_rate'])}%；"
                      f"有效问卷{cov['valid']}份，有效率为{pct(cov['valid_rate'])}%。{_shortfall(cov)}")
    if data.units:
        table_no = data.next_number("表")
        doc.add_paragraph(f"各单位问卷回收情况见表{table_no}。")
        caption(doc, "表", table_no, "各单位问卷回收情况")
        add_table(doc, ["序号", "单位名称", "最少有效份数", "回收份数", "有效份数", "是否达标"],
                  _unit_rows(data), [1.2, 7.0, 2.0, 1.8, 1.8, 1.8], align_left=(1,))
    heading(doc, "（二）有效性审核", 2)
    doc.add_paragraph("答卷有效性按以下规则审核：")
    for i, line in enumerate(validity_rules_zh(s["settings"]["validity"]) or ["未启用自动审核规则。"], start=1):
        doc.add_paragraph(f"{i}. {line}")
    flags = "、".join(f"{label}{n}份" for label, n in data.flag_counts)
    r = s["responses"]
    text = f"经审核，存疑但保留的答卷{r['flagged']}份" + (f"（{flags}）" if flags else "")
    text += f"；剔除无效答卷{data.exclusion_total}份。" if data.exclusion_total else "；本次调查未剔除答卷。"
    doc.add_paragraph(text + filter_zh(s["filter"], _filtered_names(data)))
    if data.exclusion_total:
        _exclusions(doc, data)
    doc.add_paragraph(f"本报告所用数据的指纹（SHA-256）为{s['fingerprint']}。纳入统计的答卷相同则指纹相同，"
                      "可据此核对本报告与数据表是否出自同一批数据。")


def _shortfall(cov: dict[str, Any]) -> str:
    units = cov.get("units") or []
    if not units:
        return ""
    short = [u for u in units if not u["met"]]
    if not short:
        return f"全部{len(units)}个单位均达到最少有效份数要求。"
    names = "、".join(f"{u['name']}（有效{u['valid']}份，差{u['short_by']}份）" for u in short)
    return f"{len(units) - len(short)}个单位达到最少有效份数要求，{len(short)}个单位未达到：{names}。"


def _unit_rows(data: AppendixData) -> list[list]:
    counts, statuses = data.unit_returns, data.summary["filter"]["statuses"]
    rows, totals = [], [0, 0, 0]
    for i, u in enumerate(data.units, start=1):
        c = counts.get(u["id"], {})
        returned, valid = sum(c.values()), sum(c.get(s, 0) for s in statuses)
        rows.append([i, u["name"], u["min_valid"], returned, valid, "是" if valid >= u["min_valid"] else "否"])
        totals = [totals[0] + u["min_valid"], totals[1] + returned, totals[2] + valid]
    if None in counts:
        c = counts[None]
        returned, valid = sum(c.values()), sum(c.get(s, 0) for s in statuses)
        rows.append(["—", "名单外单位（开放链接填写）", "—", returned, valid, "—"])
        totals = [totals[0], totals[1] + returned, totals[2] + valid]
    rows.append(["合计", "", *totals, ""])
    return rows


def _filtered_names(data: AppendixData) -> list[str]:
    ids = data.summary["filter"].get("unit_ids")
    return [u["name"] for u in data.units if ids and u["id"] in ids]


def _exclusions(doc, data: AppendixData) -> None:
    table_no = data.next_number("表")
    if data.exclusion_total <= MAX_LISTED:
        doc.add_paragraph(f"剔除的答卷及其原因见表{table_no}。")
        caption(doc, "表", table_no, "剔除答卷明细")
        add_table(doc, ["序号", "答卷编号", "单位", "提交时间", "剔除原因"],
                  [[i, e["id"], e["unit"], e["submitted"], e["reason"]] for i, e in enumerate(data.exclusions, 1)],
                  [1.2, 1.8, 4.6, 3.0, 5.0], align_left=(2, 4))
        return
    doc.add_paragraph(f"剔除的{data.exclusion_total}份答卷按原因汇总见表{table_no}；"
                      "逐份明细（答卷编号、单位、提交时间、原因）见数据表“原始数据”的状态及状态原因列。")
    caption(doc, "表", table_no, "剔除答卷原因汇总")
    add_table(doc, ["序号", "剔除原因", "份数"],
              [[i, reason, n] for i, (reason, n) in enumerate(data.exclusion_reasons, 1)], [1.2, 11.6, 2.8],
              align_left=(1,))
